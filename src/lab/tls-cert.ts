// Certificates for the lab's simulated hosts: one self-signed certificate naming every host (DNS
// names and addresses as subjectAltNames) that the lab's relay trusts — "the lab's CA", standing
// in for the CA an admin gives in mta.tls.caFile — and one with the same names that nothing
// trusts, for a next hop whose certificate `verify` must refuse. The gateway's own self-signed
// pair is the relay's (relay/smtp/tls-credentials.ts); this module makes the same kind of
// certificate with several names and IP addresses, which next hops known by address need.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface LabCertificate {
  key: string;
  cert: string;
}

const made = new Map<string, LabCertificate>();

/** A self-signed certificate for `names` (host names and IP addresses), one per names list and kind per process. */
export function labCertificate(names: readonly string[], kind: 'trusted' | 'untrusted'): LabCertificate {
  const unique = [...new Set(names.map((n) => n.toLowerCase()))].sort();
  const cacheKey = `${kind}|${unique.join(',')}`;
  const cached = made.get(cacheKey);
  if (cached) return cached;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const fKey = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(fKey.n, fKey.e);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // positive
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 86_400_000);
  const subject = [
    { name: 'commonName', value: unique.find((n) => !isIP(n)) ?? 'lab.example' },
    { name: 'organizationName', value: kind === 'trusted' ? 'ksmg-setup lab' : 'ksmg-setup lab (untrusted)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: unique.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(fKey, forge.md.sha256.create());
  const out = { key: keyPem, cert: forge.pki.certificateToPem(cert) };
  made.set(cacheKey, out);
  return out;
}
