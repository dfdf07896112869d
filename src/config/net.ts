// Pure address helpers shared by the schema, the audit and the relay policy.
// Kept free of I/O so src/policy can use them. Membership tests go through node's net.BlockList,
// which understands every spelling of an address (::ffff:10.1.2.3, ::ffff:a01:203,
// 0:0:0:0:0:ffff:10.1.2.3, upper case, …).
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

export { isIPv4, isIPv6 };

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** Address bytes as a bigint plus the family width, for CIDR arithmetic. */
export function ipToBigInt(ip: string): { value: bigint; bits: 32 | 128 } | null {
  if (isIPv4(ip)) {
    const parts = ip.split('.').map(Number);
    let v = 0n;
    for (const p of parts) v = (v << 8n) | BigInt(p);
    return { value: v, bits: 32 };
  }
  if (isIPv6(ip)) {
    let s = ip;
    // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups.
    const m = s.match(/(.*:)(\d+\.\d+\.\d+\.\d+)$/);
    if (m) {
      const q = ipToBigInt(m[2]!)!.value;
      s = `${m[1]}${(q >> 16n).toString(16)}:${(q & 0xffffn).toString(16)}`;
    }
    const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
    const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    if (groups.length !== 8) return null;
    let v = 0n;
    for (const g of groups) v = (v << 16n) | BigInt(parseInt(g || '0', 16));
    return { value: v, bits: 128 };
  }
  return null;
}

export interface Cidr {
  /** Network address as written (normalised host bits are NOT applied). */
  address: string;
  prefix: number;
  bits: 32 | 128;
  network: bigint;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a bare host address (as /32 or /128). */
export function parseCidr(text: string): CidrParse {
  const s = text.trim();
  if (s.includes('%')) return { ok: false, reason: zoneReason(s.split('/')[0]!) };
  const slash = s.indexOf('/');
  const addr = slash === -1 ? s : s.slice(0, slash);
  const ip = ipToBigInt(addr);
  if (!ip) return { ok: false, reason: `"${addr}" is not an IPv4 or IPv6 address` };
  let prefix: number = ip.bits;
  if (slash !== -1) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > ip.bits) {
      return { ok: false, reason: `prefix length "/${p}" must be 0–${ip.bits} for ${ip.bits === 32 ? 'IPv4' : 'IPv6'}` };
    }
    prefix = Number(p);
  }
  const hostMask = (1n << BigInt(ip.bits - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n) {
    const net = ip.value & ~hostMask;
    return {
      ok: false,
      reason: `host bits are set in "${s}": the network of /${prefix} is ${bigIntToIp(net, ip.bits)}/${prefix}`,
    };
  }
  return { ok: true, cidr: { address: addr, prefix, bits: ip.bits, network: ip.value } };
}

export function bigIntToIp(v: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((sh) => Number((v >> sh) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 asks.
  let best = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const V4_MAPPED = new BlockList();
V4_MAPPED.addSubnet('::ffff:0.0.0.0', 96, 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:0:0/96) in any spelling. */
function isV4Mapped(ip: string): boolean {
  return isIPv6(ip) && V4_MAPPED.check(ip, 'ipv6');
}

/**
 * The family an address is matched in, as Postfix does: an IPv4-mapped IPv6 client is an IPv4
 * client; null for something that is not an address.
 */
export function matchFamily(ip: string): 'ipv4' | 'ipv6' | null {
  if (isIPv4(ip)) return 'ipv4';
  if (!isIPv6(ip)) return null;
  return isV4Mapped(ip) ? 'ipv4' : 'ipv6';
}

/** An IPv4-mapped IPv6 address in any spelling becomes the IPv4 address (::ffff:a01:203 → 10.1.2.3). */
export function normaliseIp(ip: string): string {
  if (!isV4Mapped(ip)) return ip;
  const v = ipToBigInt(ip);
  return v ? bigIntToIp(v.value & 0xffffffffn, 32) : ip;
}

/**
 * Networks precompiled for membership tests (net.BlockList). IPv4 and IPv6 networks are kept
 * apart, as in Postfix's mynetworks match: an IPv4 client (or an IPv4-mapped one) is only in
 * IPv4 networks, so `::/0` does not cover 10.1.2.3 and `::ffff:10.0.0.0/104` covers nothing.
 */
export class NetworkMatcher {
  private readonly v4 = new BlockList();
  private readonly v6 = new BlockList();

  constructor(cidrs: readonly Cidr[]) {
    for (const c of cidrs) {
      if (c.bits === 32) this.v4.addSubnet(c.address, c.prefix, 'ipv4');
      else this.v6.addSubnet(c.address, c.prefix, 'ipv6');
    }
  }

  /**
   * Answers by client address: BlockList.check() builds a SocketAddress per call, and the relay
   * asks about the same few client addresses for every connection. Bounded; cleared when full.
   */
  private readonly answers = new Map<string, boolean>();
  static readonly REMEMBERED = 4096;

  has(ip: string): boolean {
    const known = this.answers.get(ip);
    if (known !== undefined) return known;
    const family = matchFamily(ip);
    const inside = family === 'ipv4' ? this.v4.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6') : family === 'ipv6' && this.v6.check(ip, 'ipv6');
    if (this.answers.size >= NetworkMatcher.REMEMBERED) this.answers.clear();
    this.answers.set(ip, inside);
    return inside;
  }
}

// One matcher per parsed network, built on first use.
const single = new WeakMap<Cidr, NetworkMatcher>();

export function cidrContains(cidr: Cidr, ip: string): boolean {
  let m = single.get(cidr);
  if (!m) single.set(cidr, (m = new NetworkMatcher([cidr])));
  return m.has(ip);
}

/** Does `outer` contain all of `inner`? */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  if (outer.bits !== inner.bits || outer.prefix > inner.prefix) return false;
  const hostMask = (1n << BigInt(outer.bits - outer.prefix)) - 1n;
  return (inner.network & ~hostMask) === outer.network;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * A DNS domain name (letters, digits, hyphens; IDN converted with punycode).
 * Returns the ASCII form, or null. A trailing dot (absolute FQDN) is accepted and removed.
 */
export function toAsciiDomain(name: string): string | null {
  let s = name.trim();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (!s || s.length > 253) return null;
  const ascii = /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : domainToASCII(s);
  if (!ascii) return null;
  const labels = ascii.split('.');
  if (labels.some((l) => !LABEL.test(l))) return null;
  // An all-numeric last label would be an IP address typed wrongly.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}

export function isDomainName(name: string): boolean {
  return toAsciiDomain(name) !== null;
}

/** A host as the web UI accepts it: IPv4, IPv6 (without a zone index), a domain name or FQDN. */
export function hostKind(host: string): 'ipv4' | 'ipv6' | 'name' | null {
  if (isIPv4(host)) return 'ipv4';
  // node:net accepts fe80::1%eth0; a zone names an interface of one machine, never a mail host.
  if (isIPv6(host)) return host.includes('%') ? null : 'ipv6';
  return isDomainName(host) ? 'name' : null;
}

function zoneReason(address: string): string {
  const bare = address.slice(0, address.indexOf('%'));
  return (
    `"${address}" carries a zone index (${address.slice(address.indexOf('%'))}), which names a network interface of one ` +
    `machine; KSMG takes plain addresses: write ${bare} (and note that link-local fe80:: addresses are not routed)`
  );
}

/** `::ffff:10.0.0.25` → `10.0.0.25`; null when the address is not IPv4-mapped. */
export function unmappedIpv4(address: string): string | null {
  const v = ipToBigInt(address);
  if (!v || v.bits !== 128 || v.value >> 32n !== 0xffffn) return null;
  return bigIntToIp(v.value & 0xffffffffn, 32);
}

/**
 * Why `text` is not a host the web UI takes, in words that name the mistake (host:port, a zone
 * index, a URL, brackets, an IPv4 address written as IPv6); null when it is fine or nothing specific applies.
 */
export function hostProblem(text: string): string | null {
  const t = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return `"${t}" is a URL; enter only the host name or address`;
  if (isIPv6(t) && t.includes('%')) return zoneReason(t);
  const bracket = t.match(/^\[([^\]]+)\](?::(\d+))?$/);
  if (bracket)
    return `enter the IPv6 address without brackets (${bracket[1]})${bracket[2] ? ` and the port ${bracket[2]} separately` : ''}`;
  const hp = t.match(/^([^:]+):(\d+)$/);
  if (hp && hostKind(hp[1]!) !== null) return `"${t}" is host:port; enter the host (${hp[1]}) here and the port (${hp[2]}) separately`;
  const mapped = unmappedIpv4(t);
  if (mapped && hostKind(t) === 'ipv6') return `"${t}" is the IPv4 address ${mapped} written as IPv6; enter ${mapped}`;
  return null;
}

/** user@domain with a dot-atom or quoted local part; the domain may be IDN. */
export function isEmailAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  const dotAtom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
  const quoted = /^"([^"\\\r\n]|\\.)*"$/;
  if (local.length > 64 || !(dotAtom.test(local) || quoted.test(local))) return false;
  return isDomainName(domain);
}
