// reject_unknown_recipient_domain's DNS part: MX, else A/AAAA. The verdict is policy's.
import { DnsError, type Resolver } from '../resolver.js';
import type { DomainLookup } from '../../policy/recipient.js';

const isTemp = (e: unknown) => e instanceof DnsError && (e.kind === 'servfail' || e.kind === 'timeout');
const isNx = (e: unknown) => e instanceof DnsError && e.kind === 'nxdomain';

export async function lookupRecipientDomain(resolver: Resolver, domain: string): Promise<DomainLookup> {
  try {
    const mx = await resolver.resolveMx(domain);
    // RFC 7505 null MX: a single MX with an empty exchange ("." on the wire).
    if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) return 'null-mx';
    if (mx.some((m) => m.exchange === '' || m.exchange === '.')) return 'malformed';
    if (mx.length) return 'found';
  } catch (e) {
    if (isTemp(e)) return 'tempfail';
    if (isNx(e)) return 'not-found';
    if (!(e instanceof DnsError)) return 'tempfail';
  }
  let temp = false;
  for (const f of [resolver.resolve4.bind(resolver), resolver.resolve6.bind(resolver)]) {
    try {
      if ((await f(domain)).length) return 'found';
    } catch (e) {
      if (isTemp(e) || !(e instanceof DnsError)) temp = true;
    }
  }
  return temp ? 'tempfail' : 'not-found';
}
