// Certificates for the lab's simulated hosts: one self-signed certificate naming every host (DNS
// names and addresses as subjectAltNames) that the lab's relay trusts — "the lab's CA", standing
// in for the CA an admin gives in mta.tls.caFile — and one with the same names that nothing
// trusts, for a next hop whose certificate `verify` must refuse. The gateway's own self-signed
// pair is the relay's; both are made by makeSelfSigned (relay/smtp/tls-credentials.ts), here with
// several names and IP addresses, which next hops known by address need.
import { isIP } from 'node:net';
import { makeSelfSigned } from '../relay/smtp/tls-credentials.js';

export interface LabCertificate {
  key: string;
  cert: string;
}

const made = new Map<string, LabCertificate>();

const keyOf = (names: readonly string[], kind: 'trusted' | 'untrusted') => {
  const unique = [...new Set(names.map((n) => n.toLowerCase()))].sort();
  return { unique, cacheKey: `${kind}|${unique.join(',')}` };
};

/** A self-signed certificate for `names` (host names and IP addresses), one per names list and kind per process. */
export function labCertificate(names: readonly string[], kind: 'trusted' | 'untrusted'): LabCertificate {
  const { unique, cacheKey } = keyOf(names, kind);
  const cached = made.get(cacheKey);
  if (cached) return cached;
  const commonName = unique.find((n) => !isIP(n)) ?? 'lab.example';
  const out = makeSelfSigned(unique, commonName, kind === 'trusted' ? 'ksmg-setup lab' : 'ksmg-setup lab (untrusted)');
  made.set(cacheKey, out);
  return out;
}

/** A certificate labCertificate() made in another thread (certificates.ts): this thread uses it too. */
export function rememberLabCertificate(names: readonly string[], kind: 'trusted' | 'untrusted', pair: LabCertificate): void {
  made.set(keyOf(names, kind).cacheKey, pair);
}
