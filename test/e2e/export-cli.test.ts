// `ksmg-setup export postfix` as a user runs it (the built CLI).
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ksmg-setup export postfix', () => {
  it('prints main.cf without --out', () => {
    const r = runBuiltCli(['export', 'postfix', '-c', 'examples/edge.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Settings > Built-in MTA > Basic settings > Hostname\nmyhostname = mx\.corp\.example$/m);
    expect(r.stdout).toMatch(/^unverified_recipient_reject_code = 550$/m);
  });

  it('writes main.cf, master.cf and the maps with --out, and says what to run next', async () => {
    const out = join(dir, 'pf');
    const r = runBuiltCli(['export', 'postfix', '--config', 'examples/behind-edge-no-verify.yaml', '--out', out]);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'aliases',
      'ksmg-gateway-cert.pem',
      'ksmg-gateway-key.pem',
      'main.cf',
      'master.cf',
      'relay_domains',
      'tls_policy',
      'transport',
      'trusted_networks.cidr',
    ]);
    expect(r.stderr).toMatch(/postmap -c .* hash:.*\/tls_policy/);
    // The self-signed pair smtpd_tls_cert_file/key_file name; the key readable by root only.
    expect((await stat(join(out, 'ksmg-gateway-key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(out, 'ksmg-gateway-cert.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await readFile(join(out, 'transport'), 'utf8')).toMatch(/^sales\.corp\.example\s+smtp:\[10\.0\.0\.26\]:25$/m);
    expect(r.stderr).toMatch(/postmap -c .* hash:.*\/transport/);
  });

  it('exits 2 on an unusable config', () => {
    const r = runBuiltCli(['export', 'postfix', '-c', 'no-such-file.yaml']);
    expect(r.code).toBe(2);
  });
});
