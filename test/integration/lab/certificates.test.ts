// The lab's certificates made in a thread of their own (certificates.ts): the gateway's pair is the
// relay's own kind (CN and DNS name mta.hostname, key and certificate belong together), made once
// per process; none is made when the relay needs none; a lab in a worker thread uses the parent's.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { fixedCertificates, needsGatewayPair, threadedCertificates, type CertificateSource } from '../../../src/lab/certificates.js';

const config = (tls: Record<string, unknown> = {}, hostname = 'gw.corp.example') =>
  configSchema.parse({ version: 1, integration: 'behind-edge-no-verify', mta: { hostname, domains: [{ name: 'corp.example' }], tls } });

describe('lab certificates', () => {
  it('makes the gateway pair for mta.hostname in another thread, once per process', async () => {
    const a = threadedCertificates(config());
    const pair = (await a.gateway())!;
    const x = new X509Certificate(pair.cert);
    expect(x.subject).toContain('CN=gw.corp.example');
    expect(x.subjectAltName).toBe('DNS:gw.corp.example');
    expect(x.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    expect(await threadedCertificates(config()).gateway()).toBe(pair);
  });

  it('makes none when TLS is off or mta.tls names the files', async () => {
    expect(needsGatewayPair(config({ securityLevel: 'none' }))).toBe(false);
    expect(needsGatewayPair(config({ certFile: '/x/cert.pem', keyFile: '/x/key.pem' }))).toBe(false);
    expect(needsGatewayPair(config())).toBe(true);
    expect(await threadedCertificates(config({ securityLevel: 'none' }, 'off.corp.example')).gateway()).toBeNull();
  });

  it('makes the lab certificates for every name, trusted and untrusted apart, and hands them on', async () => {
    const names = ['mx.corp.example', '10.0.0.25'];
    const source = threadedCertificates(config());
    const trusted = await source.lab('trusted', names);
    const untrusted = await source.lab('untrusted', names);
    const t = new X509Certificate(trusted.cert);
    expect(t.subjectAltName?.split(', ').sort()).toEqual(['DNS:mx.corp.example', 'IP Address:10.0.0.25']);
    expect(new X509Certificate(untrusted.cert).fingerprint256).not.toBe(t.fingerprint256);
    const material = await source.material();
    expect(material.lab.map((l) => l.kind).sort()).toEqual(['trusted', 'untrusted']);
    const asked: string[] = [];
    const fallback: CertificateSource = {
      gateway: async () => (asked.push('gateway'), null),
      lab: async (kind) => (asked.push(kind), trusted),
    };
    const fixed = fixedCertificates(material, fallback);
    expect(await fixed.gateway()).toBe(material.gateway);
    expect((await fixed.lab('untrusted', ['10.0.0.25', 'MX.corp.example'])).cert).toBe(untrusted.cert);
    await fixed.lab('untrusted', ['other.example']);
    expect(asked).toEqual(['untrusted']);
  });
});
