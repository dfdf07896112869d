// `ksmg-setup relay` and `verify` with an mta.tls certificate that cannot be used: exit 2 and a config error at
// the key's line (file, line, key, what is expected), before anything listens.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-relay-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('relay: mta.tls files', () => {
  it('a certificate file that does not exist: exit 2, the file, line and key named', async () => {
    const cfg = join(dir, 'ksmg.yaml');
    const cert = join(dir, 'gw.pem');
    await writeFile(
      cfg,
      `version: 1\nintegration: edge\nmta:\n  tls:\n    certFile: ${cert}\n    keyFile: ${join(dir, 'gw.key')}\n  domains:\n    - name: corp.example\n`,
    );
    const r = runBuiltCli(['relay', '--config', cfg, '--listen', '127.0.0.1:0', '--spool', join(dir, 'spool')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:5:15: mta.tls.certFile: ${cert} does not exist; expected a readable PEM certificate file`);
  });

  it('verify: the same problem before any lab starts, in Czech with --lang cs', async () => {
    const cfg = join(dir, 'verify.yaml');
    const key = join(dir, 'gw.key');
    await writeFile(
      cfg,
      `version: 1\nintegration: edge\nmta:\n  tls:\n    certFile: ${key}\n    keyFile: ${key}\n  domains:\n    - name: corp.example\n`,
    );
    await writeFile(key, 'not a certificate\n');
    const r = runBuiltCli(['--lang', 'cs', 'verify', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${cfg}:5:15: mta.tls.certFile: ${key} není ve formátu PEM (chybí řádek „-----BEGIN“); očekáváno PEM (certifikát)`,
    );
    expect(r.stdout).not.toMatch(/passed|prošl/);
  });
});
