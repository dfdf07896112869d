// The built-in packs compiled at build time (pack-cache.ts, compile-packs.ts): a file is taken from
// the cache only when its text is exactly the compiled one; anything else is parsed as before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledScenario, readPackCache, textHash } from '../../../src/lab/pack-cache.js';
import { loadScenarios, parseScenario, readScenarioFiles } from '../../../src/lab/scenario.js';
import { BUILTIN_SCENARIOS, loadPacks } from '../../../src/lab/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'ksmg-pack-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = 'name: Greeting\nclient: { address: untrusted }\ndialogue:\n  - { send: NOOP, expect: "250" }\n';

describe('pack cache', () => {
  it('every built-in scenario survives the JSON round trip the cache makes', async () => {
    for (const f of await readScenarioFiles(BUILTIN_SCENARIOS)) {
      const { scenario } = parseScenario(f.text!, f.file);
      expect(isDeepStrictEqual(JSON.parse(JSON.stringify(scenario)), scenario), f.file).toBe(true);
    }
  });

  it('answers only for the exact text compiled, with a copy of its own', () => {
    const url = pathToFileURL(join(dir, 'cache.json'));
    const { scenario } = parseScenario(text, 'g.yaml');
    writeFileSync(url, JSON.stringify({ format: 1, scenarios: { [textHash(text)]: scenario } }));
    const cache = readPackCache(url);
    const a = compiledScenario(text, cache);
    expect(a).toEqual(scenario);
    expect(a).not.toBe(compiledScenario(text, cache));
    expect(compiledScenario(text.replace('NOOP', 'RSET'), cache)).toBeUndefined();
    expect(readPackCache(pathToFileURL(join(dir, 'missing.json')))).toBeNull();
    writeFileSync(url, JSON.stringify({ format: 2, scenarios: {} }));
    expect(readPackCache(url)).toBeNull();
  });

  it('loadScenarios takes a compiled form when given one and parses (and reports) the rest', async () => {
    const good = join(dir, 'a.yaml');
    const bad = join(dir, 'b.yaml');
    writeFileSync(good, text);
    writeFileSync(bad, 'name: Broken\nclient: { adress: untrusted }\ndialogue: [{ send: NOOP }]\n');
    const stale = { ...parseScenario(text, good).scenario, name: 'From the cache' };
    const loaded = await loadScenarios([good], { compiled: (f) => (f === good ? stale : undefined) });
    expect(loaded.map((l) => l.scenario.name)).toEqual(['From the cache']);
    await expect(loadScenarios([bad], { compiled: () => undefined })).rejects.toThrow(/b\.yaml:2:\d+: client: unknown key "adress"/);
  });

  it('loadPacks gives the built-in scenarios as parsing them gives', async () => {
    const parsed = (await readScenarioFiles(BUILTIN_SCENARIOS)).map((f) => parseScenario(f.text!, f.file).scenario);
    expect((await loadPacks({})).map((l) => l.scenario)).toEqual(parsed);
  });
});
