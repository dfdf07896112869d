// Client class: is the SMTP client inside mynetworks (trustedNetworks)? Trusted clients relay
// anywhere (permit_mynetworks) and are exempt from recipient verification and rate limits.
import { cidrContains, isIP, normaliseIp, parseCidr, type Cidr } from '../config/net.js';

export type ClientClass = 'trusted' | 'untrusted';

/** trustedNetworks (already validated by the schema) → CIDRs; entries that fail to parse are skipped. */
export function compileNetworks(list: readonly string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const entry of list) {
    const r = parseCidr(entry);
    if (r.ok) out.push(r.cidr);
  }
  return out;
}

/**
 * Strips what a socket or XCLIENT may put around an address: `IPv6:` prefix, brackets,
 * a zone id, and the IPv4-mapped form (::ffff:10.1.2.3 is 10.1.2.3).
 */
export function bareAddress(ip: string): string {
  let s = ip.trim();
  if (/^ipv6:/i.test(s)) s = s.slice(5);
  s = s.replace(/^\[|\]$/g, '');
  const pct = s.indexOf('%');
  if (pct !== -1) s = s.slice(0, pct);
  return normaliseIp(s.toLowerCase());
}

export function inNetworks(networks: readonly Cidr[], ip: string): boolean {
  const a = bareAddress(ip);
  if (!isIP(a)) return false;
  return networks.some((n) => cidrContains(n, a));
}

export function classifyClient(networks: readonly Cidr[], ip: string): ClientClass {
  return inNetworks(networks, ip) ? 'trusted' : 'untrusted';
}

/** The address as Postfix writes it in Received: and logs: `IPv6:2001:db8::5` for IPv6. */
export function rfcAddress(ip: string): string {
  const a = bareAddress(ip);
  return a.includes(':') ? `IPv6:${a}` : a;
}
