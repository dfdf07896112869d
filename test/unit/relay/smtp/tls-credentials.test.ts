// The gateway's TLS pair: the files mta.tls names (checked: readable, PEM, key matches), or a
// self-signed certificate for mta.hostname.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../../src/config/load.js';
import { readPemPair, selfSignedFor, TlsFileError } from '../../../../src/relay/smtp/tls-credentials.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ksmg-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('selfSignedFor', () => {
  it('makes a certificate for the host name (CN and DNS SAN), valid now, with a matching key; one per name', () => {
    const pair = selfSignedFor('ksmg.corp.example');
    const x = new X509Certificate(pair.cert);
    expect(x.subject).toBe('CN=ksmg.corp.example');
    expect(x.issuer).toBe('CN=ksmg.corp.example');
    expect(x.subjectAltName).toBe('DNS:ksmg.corp.example');
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    expect(x.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    expect(pair.selfSigned).toBe(true);
    expect(selfSignedFor('ksmg.corp.example')).toBe(pair);
    expect(selfSignedFor('other.corp.example').cert).not.toBe(pair.cert);
  });
});

describe('readPemPair', () => {
  const pair = selfSignedFor('ksmg.corp.example');
  const other = selfSignedFor('other.corp.example');

  it('reads a matching PEM pair', async () => {
    await writeFile(path.join(dir, 'c.pem'), pair.cert);
    await writeFile(path.join(dir, 'k.pem'), pair.key);
    await expect(readPemPair(path.join(dir, 'c.pem'), path.join(dir, 'k.pem'))).resolves.toMatchObject({
      selfSigned: false,
      cert: pair.cert,
    });
  });

  it('names the key and the problem: missing, not PEM, key of another certificate', async () => {
    const err = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: TlsFileError) => e.message,
      );
    await writeFile(path.join(dir, 'text.pem'), 'hello');
    await writeFile(path.join(dir, 'other.key'), other.key);
    expect(await err(readPemPair(path.join(dir, 'nope.pem'), path.join(dir, 'k.pem')))).toBe(
      `mta.tls.certFile: ${path.join(dir, 'nope.pem')} does not exist; expected a readable PEM certificate file`,
    );
    expect(await err(readPemPair(path.join(dir, 'c.pem'), path.join(dir, 'text.pem')))).toMatch(
      /^mta\.tls\.keyFile: .*text\.pem is not PEM/,
    );
    expect(await err(readPemPair(path.join(dir, 'c.pem'), path.join(dir, 'other.key')))).toMatch(
      /^mta\.tls: the key in .*other\.key does not belong to the certificate in .*c\.pem$/,
    );
  });

  it('points at the line of the key in ksmg.yaml', () => {
    const { source } = parseConfigText(
      'version: 1\nintegration: edge\nmta:\n  tls:\n    certFile: /nope.pem\n    keyFile: /nope.key\n',
      'ksmg.yaml',
    );
    const e = new TlsFileError('mta.tls.certFile', '/nope.pem does not exist; expected a readable PEM certificate file');
    expect(e.toConfigError(source).format()).toBe(
      'The configuration cannot be used (1 problem):\n  ksmg.yaml:5:15: mta.tls.certFile: /nope.pem does not exist; expected a readable PEM certificate file',
    );
  });
});
