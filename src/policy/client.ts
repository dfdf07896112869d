// Client class: is the SMTP client inside mynetworks (trustedNetworks)? Trusted clients relay
// anywhere (permit_mynetworks) and are exempt from recipient verification and rate limits.
import { isIP, NetworkMatcher, normaliseIp, parseCidr, type Cidr } from '../config/net.js';

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
 * a zone id, and the IPv4-mapped form in any spelling (::ffff:10.1.2.3 and ::ffff:a01:203 are
 * 10.1.2.3).
 */
export function bareAddress(ip: string): string {
  let s = ip.trim();
  if (/^ipv6:/i.test(s)) s = s.slice(5);
  s = s.replace(/^\[|\]$/g, '');
  const pct = s.indexOf('%');
  if (pct !== -1) s = s.slice(0, pct);
  return normaliseIp(s.toLowerCase());
}

// The BlockList for a compiled network list, built once (the relay compiles its lists at start).
const matchers = new WeakMap<readonly Cidr[], NetworkMatcher>();

export function inNetworks(networks: readonly Cidr[], ip: string): boolean {
  const a = bareAddress(ip);
  if (!isIP(a)) return false;
  let m = matchers.get(networks);
  if (!m) matchers.set(networks, (m = new NetworkMatcher(networks)));
  return m.has(a);
}

/**
 * Route hosts given as IP addresses — the internal mail servers — that no trusted network
 * covers, each once with the index of the first domain routed to it. The relay would refuse
 * their outgoing mail as relaying; the audit warns about them and the wizard suggests them.
 */
export function untrustedRouteHosts(
  domains: ReadonlyArray<{ name: string; route?: { host: string } }>,
  trustedNetworks: readonly string[],
): Array<{ host: string; domain: string; index: number }> {
  const networks = compileNetworks(trustedNetworks);
  const out: Array<{ host: string; domain: string; index: number }> = [];
  domains.forEach((d, index) => {
    const host = d.route?.host;
    if (!host || !isIP(host) || out.some((o) => o.host === host)) return;
    if (!inNetworks(networks, host)) out.push({ host, domain: d.name, index });
  });
  return out;
}

export function classifyClient(networks: readonly Cidr[], ip: string): ClientClass {
  return inNetworks(networks, ip) ? 'trusted' : 'untrusted';
}

/** The address as Postfix writes it in Received: and logs: `IPv6:2001:db8::5` for IPv6. */
export function rfcAddress(ip: string): string {
  const a = bareAddress(ip);
  return a.includes(':') ? `IPv6:${a}` : a;
}
