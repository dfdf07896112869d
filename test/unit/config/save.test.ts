import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile, symlink, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, loadConfig } from '../../../src/config/load.js';
import { renderConfig, saveConfig } from '../../../src/config/save.js';
import { defaultConfig } from '../../../src/config/schema.js';

const COMMENTED = `# Corp mail gateway
version: 1
integration: behind-edge-no-verify   # seed 254179
mta:
  trustedNetworks: [10.0.0.0/8]  # LAN
  domains:
    - name: corp.example   # main domain
      local: true
    - name: příklad.cz
  advanced:
    maximalQueueLifetime: 3d   # five days was too long
    minimalBackoff: 300
    bounceQueueLifetime: 2d
`;

const tmp = () => mkdtemp(join(tmpdir(), 'ksmg-save-'));

describe('renderConfig', () => {
  it('returns the file unchanged when nothing changed', () => {
    const { config } = parseConfigText(COMMENTED);
    expect(renderConfig(config, COMMENTED)).toBe(COMMENTED);
  });

  it('rewrites only changed keys, keeping comments, order, IDN and duration spelling', () => {
    const { config } = parseConfigText(COMMENTED);
    config.protection.spf = false;
    config.mta.advanced.minimalBackoff = 600;
    config.mta.advanced.bounceQueueLifetime = 86400;
    config.mta.trustedNetworks.push('192.168.1.0/24');
    config.mta.domains.push({ name: 'new.example', local: true });
    config.rules[0]!.antiPhishing.phishing = 'delete-message';
    const text = renderConfig(config, COMMENTED);
    expect(text).toContain('# Corp mail gateway');
    expect(text).toContain('# seed 254179');
    expect(text).toContain('trustedNetworks: [10.0.0.0/8, 192.168.1.0/24] # LAN');
    expect(text).toContain('- name: corp.example # main domain');
    expect(text).toContain('- name: příklad.cz');
    expect(text).toContain('maximalQueueLifetime: 3d # five days was too long');
    expect(text).toContain('minimalBackoff: 600'); // written as plain seconds before, so still seconds
    expect(text).toContain('bounceQueueLifetime: 1d');
    expect(text).toMatch(/protection:\n {2}spf: false\n/);
    // Only the one changed module action of the Default rule, not every default.
    expect(text).toMatch(/rules:\n {2}- name: Default\n {4}antiPhishing:\n {6}phishing: delete-message\n$/);
    expect(text).not.toContain('messageSizeLimit');
    expect(parseConfigText(text).config).toEqual(config);
  });

  it('keeps list entries (and their comments) when the list is reordered or shrinks', () => {
    const { config } = parseConfigText(COMMENTED);
    config.mta.domains = [config.mta.domains[1]!, config.mta.domains[0]!];
    let text = renderConfig(config, COMMENTED);
    expect(text.indexOf('příklad.cz')).toBeLessThan(text.indexOf('corp.example # main domain'));
    config.mta.domains = config.mta.domains.slice(1);
    text = renderConfig(config, text);
    expect(text).not.toContain('příklad');
    expect(text).toContain('corp.example # main domain');
  });

  it('fills empty sections, adds to and removes from flow maps, keeping their padding style', () => {
    const text = `version: 1
integration: edge
mta:
  advanced:
  domains:
    - name: a.example
      route: { host: 10.0.0.25 }   # keep me
    - name: b.example
      route:
        host: 10.0.0.26
protection:
`;
    const { config } = parseConfigText(text);
    config.mta.advanced.sessionTimeout = 60;
    config.mta.domains[0]!.route!.port = 2525;
    delete config.mta.domains[1]!.route;
    config.protection.dkim = false;
    const out = renderConfig(config, text);
    expect(out).toBe(`version: 1
integration: edge
mta:
  advanced:
    sessionTimeout: 1m
  domains:
    - name: a.example
      route: { host: 10.0.0.25, port: 2525 } # keep me
    - name: b.example
protection:
  dkim: false
`);
    expect(parseConfigText(out).config).toEqual(config);
  });

  it('writes values that the loader would otherwise derive differently', () => {
    const { config } = parseConfigText(COMMENTED);
    config.integration = 'edge'; // would derive destination mode dns
    config.mta.destination.mode = 'edge-gateway';
    config.mta.destination.host = 'edge.corp.example';
    const text = renderConfig(config, COMMENTED);
    expect(parseConfigText(text).config).toEqual(config);
    expect(text).toMatch(/mode: edge-gateway/);
  });

  it('writes a new file with only the non-default values', () => {
    const config = defaultConfig('behind-edge-no-verify', [{ name: 'corp.example' }]);
    config.protection.spf = false;
    config.protection.dmarc = false;
    config.mta.advanced.sessionTimeout = 300;
    const text = renderConfig(config, undefined, 'ksmg.yaml written by ksmg-setup');
    expect(text).toBe(`# ksmg.yaml written by ksmg-setup

version: 1
integration: behind-edge-no-verify
mta:
  domains:
    - name: corp.example
  advanced:
    sessionTimeout: 5m
protection:
  spf: false
  dmarc: false
`);
    expect(parseConfigText(text).config).toEqual(config);
  });

  it('replaces an unparseable existing file with a complete new one', () => {
    const config = defaultConfig('edge', [{ name: 'corp.example' }]);
    const text = renderConfig(config, 'version: [\n');
    expect(parseConfigText(text).config).toEqual(config);
  });
});

describe('saveConfig', () => {
  it('round-trips through a file and keeps the previous file as .bak', async () => {
    const dir = await tmp();
    const file = join(dir, 'ksmg.yaml');
    await writeFile(file, COMMENTED);
    const { config } = await loadConfig(file);
    config.protection.dmarc = false;
    const res = await saveConfig(file, config);
    expect(res.backupPath).toBe(`${file}.bak`);
    expect(await readFile(`${file}.bak`, 'utf8')).toBe(COMMENTED);
    const now = await readFile(file, 'utf8');
    expect(now).toContain('# five days was too long');
    expect((await loadConfig(file)).config).toEqual(config);
    // No temp files are left behind.
    expect((await readdir(dir)).sort()).toEqual(['ksmg.yaml', 'ksmg.yaml.bak']);
  });

  it('keeps Windows line endings', async () => {
    const dir = await tmp();
    const file = join(dir, 'ksmg.yaml');
    await writeFile(file, COMMENTED.replace(/\n/g, '\r\n'));
    const { config } = await loadConfig(file);
    config.protection.spf = false;
    await saveConfig(file, config);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('protection:\r\n  spf: false\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('creates a new file without a .bak', async () => {
    const dir = await tmp();
    const file = join(dir, 'ksmg.yaml');
    const config = defaultConfig('edge', [{ name: 'corp.example' }]);
    const res = await saveConfig(file, config);
    expect(res.backupPath).toBeUndefined();
    expect((await loadConfig(file)).config).toEqual(config);
    expect(await readdir(dir)).toEqual(['ksmg.yaml']);
  });

  it('a save that fails half-way leaves the old file intact and no temp file behind', async () => {
    const dir = await tmp();
    const file = join(dir, 'ksmg.yaml');
    await writeFile(file, COMMENTED);
    const { config } = await loadConfig(file);
    config.protection.spf = false;
    await expect(
      saveConfig(file, config, {
        io: {
          rename: async () => {
            throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
          },
        },
      }),
    ).rejects.toThrow(/disk full/);
    expect(await readFile(file, 'utf8')).toBe(COMMENTED);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through a symlink to its target', async () => {
    const dir = await tmp();
    const real = join(dir, 'real.yaml');
    await writeFile(real, COMMENTED);
    await symlink(real, join(dir, 'ksmg.yaml'));
    const { config } = await loadConfig(join(dir, 'ksmg.yaml'));
    config.protection.spf = false;
    await saveConfig(join(dir, 'ksmg.yaml'), config);
    expect((await lstat(join(dir, 'ksmg.yaml'))).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toContain('spf: false');
  });
});
