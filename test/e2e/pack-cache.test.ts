// The built-in packs as the build compiled them (dist/lab/builtin-packs.json, written by
// src/lab/compile-packs.ts after tsc): the built CLI takes a built-in file from there only when
// its text is the compiled one, so the cache must hold every file exactly as parsing it gives.
import { describe, expect, it } from 'vitest';
import { compiledScenario, readPackCache } from '../../src/lab/pack-cache.js';
import { parseScenario, readScenarioFiles } from '../../src/lab/scenario.js';
import { BUILTIN_SCENARIOS } from '../../src/lab/builtin.js';

describe('the built pack cache', () => {
  it('holds every built-in file as parsing it now gives', async () => {
    const built = readPackCache(new URL('../../dist/lab/builtin-packs.json', import.meta.url));
    expect(built).not.toBeNull();
    const files = await readScenarioFiles(BUILTIN_SCENARIOS);
    for (const f of files) expect(compiledScenario(f.text!, built), f.file).toEqual(parseScenario(f.text!, f.file).scenario);
    expect(built!.size).toBe(files.length);
  });
});
