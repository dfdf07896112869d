import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfigText } from '../../../src/config/load.js';

function problemsOf(text: string) {
  try {
    parseConfigText(text, 'ksmg.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const MINIMAL = `version: 1
integration: behind-edge-no-verify
mta:
  domains:
    - name: corp.example
`;

describe('parseConfigText', () => {
  it('accepts the minimal file and fills every default', () => {
    const { config, source } = parseConfigText(MINIMAL, 'ksmg.yaml');
    expect(config.mta.domains).toEqual([{ name: 'corp.example', local: true }]);
    expect(config.mta.hostname).toBe('ksmg.corp.example');
    expect(config.mta.destination.mode).toBe('edge-gateway');
    expect(config.rules.map((r) => r.name)).toEqual(['Default']);
    expect(source.locate('mta.domains[0].name')).toEqual({ line: 5, column: 13 });
    // Not written in the file: nearest written ancestor, or nothing at all.
    expect(source.locate('mta.advanced.sessionTimeout')).toEqual({ line: 3, column: 1 });
    expect(source.locate('mta.advanced.sessionTimeout', { exact: true })).toBeUndefined();
    expect(source.locate('protection.spf')).toBeUndefined();
  });

  it('reports YAML syntax errors with line and column', () => {
    const problems = problemsOf('version: 1\nintegration: edge\nmta:\n  domains: [a, b\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'ksmg.yaml', path: '' });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(problems[0]!.message).toMatch(/^YAML syntax error: /);
  });

  it('reports a duplicate key as a syntax error naming the rule', () => {
    const problems = problemsOf('version: 1\nversion: 1\nintegration: edge\n');
    expect(problems[0]!.line).toBe(2);
    expect(problems[0]!.message).toMatch(/unique|duplicate/i);
    expect(problems[0]!.message).toMatch(/each key may appear only once/);
  });

  it('reports an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const problems = problemsOf(bomb.join('\n') + '\n');
    expect(problems[0]!.message).toMatch(/YAML cannot be read: .*alias/i);
  });

  it('reads a file with a byte-order mark and Windows line endings', () => {
    const { config } = parseConfigText('\uFEFF' + MINIMAL.replace(/\n/g, '\r\n'));
    expect(config.mta.domains[0]!.name).toBe('corp.example');
  });

  it('reads an empty section (all its keys commented out) as the defaults', () => {
    const { config } = parseConfigText(`${MINIMAL}  advanced:\n    # sessionTimeout: 5m\n  trustedNetworks:\nprotection:\nrules:\n`);
    expect(config.mta.advanced.sessionTimeout).toBe(30);
    expect(config.mta.trustedNetworks).toEqual([]);
    expect(config.protection.spf).toBe(true);
    expect(config.rules.map((r) => r.name)).toEqual(['Default']);
  });

  it('still reports an empty value where a scalar is required', () => {
    expect(problemsOf(`${MINIMAL}  hostname:\n`)[0]).toMatchObject({
      path: 'mta.hostname',
      message: 'expected a text value, found an empty value (null)',
    });
  });

  it('reports an empty file', () => {
    expect(problemsOf('')[0]!.message).toMatch(/the file is empty/);
    expect(problemsOf('# only a comment\n')[0]!.message).toMatch(/the file is empty/);
  });

  it('reports a file that is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')[0]!.message).toMatch(/expected a mapping of keys .* found a list/);
  });

  it('reports ALL schema errors at once, in file order, with positions, paths, found and allowed values', () => {
    const text = `version: 2
integration: behind-edge
mta:
  hostnme: ksmg.corp.example
  destination: { host: 10.0.0.1, mxLookup: true, port: 70000 }
  trustedNetworks: [10.0.0.1/8]
  domains:
    - name: corp..example
      local: yes
  advanced:
    sessionTimeout: 5x
    recipientVerification: nope
rules:
  - name: X
    mode: rej
    antiSpam: { spam: reject, bogus: 1 }
`;
    const problems = problemsOf(text);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a - b));
    expect(byPath['version']).toMatchObject({ line: 1, column: 10 });
    expect(byPath['version']!.message).toMatch(/expected version: 1.*found 2/);
    expect(byPath['integration']).toMatchObject({ line: 2 });
    expect(byPath['integration']!.message).toBe('expected one of edge, behind-edge-verify, behind-edge-no-verify, found "behind-edge"');
    expect(byPath['mta.hostnme']).toMatchObject({ line: 4, column: 3 });
    expect(byPath['mta.hostnme']!.message).toMatch(
      /unknown key "hostnme" \(did you mean "hostname"\?\); allowed keys here: hostname, domain, /,
    );
    expect(byPath['mta.destination.mxLookup']!.message).toMatch(/only possible for a domain name/);
    expect(byPath['mta.destination.port']!.message).toMatch(/1–65535.*found 70000/);
    expect(byPath['mta.trustedNetworks[0]']!.message).toMatch(/host bits are set.*10\.0\.0\.0\/8/);
    expect(byPath['mta.domains[0].name']).toMatchObject({ line: 8, column: 13 });
    expect(byPath['mta.domains[0].local']!.message).toMatch(/expected true or false, found "yes" \(YAML 1\.2 reads yes\/no/);
    expect(byPath['mta.advanced.sessionTimeout']!.message).toMatch(/duration.*30s, 5m, 4h, 3d.*found "5x"/);
    expect(byPath['mta.advanced.recipientVerification']!.message).toBe(
      'expected one of none, reject-unverified, reject-unlisted, found "nope"',
    );
    expect(byPath['rules[0].mode']!.message).toBe('expected one of scan, reject, delete, skip, found "rej"');
    expect(byPath['rules[0].antiSpam.bogus']).toMatchObject({ line: 16, column: 31 });
    expect(byPath['rules[0].antiSpam.bogus']!.message).toMatch(/allowed keys here: enabled, spam, probableSpam/);
    expect(problems).toHaveLength(12);
  });

  it('suggests the object form for a bare domain name in the list', () => {
    const problems = problemsOf('version: 1\nintegration: edge\nmta:\n  domains: [corp.example]\n');
    expect(problems[0]).toMatchObject({ path: 'mta.domains[0]', line: 4, column: 13 });
    expect(problems[0]!.message).toBe('expected a mapping of keys, found "corp.example" (write it as { name: corp.example })');
  });

  it('names required keys that are missing', () => {
    const problems = problemsOf('version: 1\nmta: {}\n');
    expect(problems).toEqual([
      expect.objectContaining({ path: 'integration', message: 'is required: one of edge, behind-edge-verify, behind-edge-no-verify' }),
    ]);
  });

  it('format() lists every problem as file:line:column: path: message', () => {
    try {
      parseConfigText('version: 1\nintegration: edge\nmta:\n  messageSizeLimit: -1\n', 'conf/k.yaml');
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const text = (e as ConfigError).format();
      expect(text).toContain('The configuration cannot be used (1 problem):');
      expect(text).toContain('conf/k.yaml:4:21: mta.messageSizeLimit: expected 0 (unlimited) or more (found -1)');
    }
  });
});

describe('loadConfig', () => {
  it('loads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ksmg-load-'));
    await writeFile(join(dir, 'ksmg.yaml'), MINIMAL);
    const { config, source } = await loadConfig(join(dir, 'ksmg.yaml'));
    expect(config.integration).toBe('behind-edge-no-verify');
    expect(source.file).toBe(join(dir, 'ksmg.yaml'));
  });

  it('says clearly when the file is missing or a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ksmg-load-'));
    await expect(loadConfig(join(dir, 'nope.yaml'))).rejects.toThrow(/does not exist.*ksmg-setup init/);
    await mkdir(join(dir, 'd.yaml'));
    await expect(loadConfig(join(dir, 'd.yaml'))).rejects.toThrow(/directory/);
  });
});
