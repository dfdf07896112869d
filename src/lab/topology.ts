// The lab's picture of the mail flow around the gateway, built from a Config: which simulated
// hosts exist (each route host = an internal mail server, the edge gateway and its MX target,
// the MX host of each local domain without a route, an "internet" catch-all), which virtual
// addresses they have, what the lab DNS answers, and which addresses scenario clients use.
// Pure: the lab turns it into sinks, a DNS server and a route map.
import { domainToUnicode } from 'node:url';
import type { Config } from '../config/schema.js';
import { bigIntToIp, cidrContains, hostKind, ipToBigInt, parseCidr, type Cidr } from '../config/net.js';
import type { Zone, ZoneEntry } from './dns.js';

/**
 * `edge`: the edge gateway in front of KSMG (behind-edge schemes); `smarthost`: the gateway KSMG
 * sends outgoing mail through when KSMG itself is the edge (it never sends mail to KSMG).
 */
export type HostRole = 'internal' | 'edge' | 'smarthost' | 'internet' | 'other';

export interface LabHost {
  /** Stable id used in reports and in `delivered:` expectations: internal:10.0.0.25, edge, edge-mx, internet, … */
  id: string;
  role: HostRole;
  /** What the admin would call it (the config's spelling). */
  label: string;
  /** DNS names resolving to it (A/AAAA), lower case. */
  names: string[];
  /** Virtual addresses the relay connects to. */
  addresses: string[];
  /** Virtual port the relay connects to. */
  port: number;
  /** Local domains whose mail this host takes. */
  domains: string[];
  /** Addresses that exist on it (lower case); null = accepts any recipient. */
  users: string[] | null;
  /** The address is the lab's guess (a name without lab.hosts entry), not the admin's. */
  allocated?: boolean;
}

export interface LabClients {
  /** An address inside the first trusted network, or null when the config trusts nobody. */
  trusted: string | null;
  untrusted: string;
  untrusted6: string;
  /** The edge gateway as an SMTP client (its address), or null without one. */
  edge: string | null;
}

export interface Topology {
  hosts: LabHost[];
  zone: Zone;
  /** DNS answer for names outside the zone: the "internet" (null = NXDOMAIN). */
  fallback(name: string): ZoneEntry | null;
  clients: LabClients;
  localDomains: string[];
  /** Users per local domain (full addresses, first = the preferred ordinary user). */
  users: Map<string, string[]>;
  /** A domain nobody configured, served by the internet sink. */
  external: string;
  /** A domain that does not exist (NXDOMAIN). */
  nonexistent: string;
}

export const INTERNET_ADDRESS = '198.51.100.25';
export const INTERNET_MX = 'mx.internet.lab.example';
const EDGE_ADDRESS = '192.0.2.10';
const EDGE_MX_ADDRESS = '192.0.2.11';
const UNTRUSTED_CANDIDATES = ['203.0.113.7', '198.51.100.7', '192.0.2.77'];
const UNTRUSTED6_CANDIDATES = ['2001:db8:ffff::7', '2001:db8:fffe::7'];
export const DEFAULT_USERS = ['postmaster', 'alice', 'bob'];

function parseNets(config: Config): Cidr[] {
  return config.mta.trustedNetworks.flatMap((n) => {
    const r = parseCidr(n);
    return r.ok ? [r.cidr] : [];
  });
}

export function isTrusted(config: Config, ip: string): boolean {
  return parseNets(config).some((c) => cidrContains(c, ip));
}

/** The n-th usable address inside a network (n = 10 → 10.0.0.10 for 10.0.0.0/8), clamped to its size. */
function addressIn(c: Cidr, n: number): string {
  if (c.prefix === c.bits) return c.address;
  const size = 1n << BigInt(c.bits - c.prefix);
  const offset = BigInt(n) < size - 1n ? BigInt(n) : size > 2n ? size - 2n : 0n;
  return bigIntToIp(c.network + offset, c.bits);
}

/** The local part of `address` when its domain is `domain` (ASCII or Unicode spelling), else null. */
function localPartAt(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const d = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return d === domain || d === domainToUnicode(domain) ? address.slice(0, at) : null;
}

/**
 * Local parts that exist per local domain: `lab.users`, else postmaster + listed valid recipients
 * + a few users; plus the always-BCC mailbox when it is in this domain (the archive must exist).
 * With reject-unlisted and no `@domain` entry only the listed recipients can receive mail, so they
 * are the users the scenarios address.
 */
function usersFor(config: Config, domain: string): string[] {
  const adv = config.mta.advanced;
  const declared = config.lab?.users?.[domain] ?? config.lab?.users?.[domainToUnicode(domain)];
  const listed = adv.validRecipients.flatMap((v) =>
    v.startsWith('@') ? [] : [localPartAt(v, domain)].filter((l): l is string => l !== null),
  );
  let locals: string[] = declared && declared.length ? declared : [...listed, ...DEFAULT_USERS];
  const wholeDomain = adv.validRecipients.some((v) => v.startsWith('@') && localPartAt(`x${v}`, domain) !== null);
  if (adv.recipientVerification === 'reject-unlisted' && !wholeDomain) {
    const allowed = new Set(listed.map((l) => l.toLowerCase()));
    const both = locals.filter((l) => allowed.has(l.toLowerCase()));
    locals = both.length ? both : listed;
  }
  const bcc = adv.alwaysBcc ? localPartAt(adv.alwaysBcc, domain) : null;
  const unique = [...new Set(locals.map((l) => l.toLowerCase()))];
  // The first entry is the "ordinary user" scenarios address: someone other than postmaster, and
  // never the archive mailbox (it receives BCC copies, not necessarily mail by RCPT: with
  // reject-unlisted it need not be listed).
  const rank = (l: string) => (l === bcc?.toLowerCase() && !locals.some((x) => x.toLowerCase() === l) ? 3 : l === 'postmaster' ? 2 : 0);
  if (bcc && !unique.includes(bcc.toLowerCase())) unique.push(bcc.toLowerCase());
  unique.sort((a, b) => rank(a) - rank(b));
  return unique.map((l) => `${l}@${domain}`);
}

/** Both spellings of an IDN address (the sinks see the Unicode form, smtp-server decodes punycode). */
function spellings(address: string): string[] {
  const at = address.lastIndexOf('@');
  const unicode = domainToUnicode(address.slice(at + 1));
  return unicode && unicode !== address.slice(at + 1) ? [address, `${address.slice(0, at)}@${unicode}`] : [address];
}

export function buildTopology(config: Config): Topology {
  const nets = parseNets(config);
  const trusted4 = nets.find((c) => c.bits === 32);
  const hosts: LabHost[] = [];
  const zone: Zone = new Map();
  const addRecord = (name: string, entry: ZoneEntry) => {
    const n = name.toLowerCase();
    const prev = zone.get(n) ?? {};
    zone.set(n, {
      A: [...new Set([...(prev.A ?? []), ...(entry.A ?? [])])],
      AAAA: [...new Set([...(prev.AAAA ?? []), ...(entry.AAAA ?? [])])],
      MX: [...(prev.MX ?? []), ...(entry.MX ?? [])],
      TXT: [...(prev.TXT ?? []), ...(entry.TXT ?? [])],
    });
  };
  const used = new Set<string>();
  const declaredHosts = new Map((config.lab?.hosts ?? []).map((h) => [h.name.toLowerCase(), h.address]));
  let nextInternal = 25;
  /** Address for an internal name: declared in lab.hosts, else one inside the first trusted IPv4 network. */
  const allocated = new Set<string>();
  const fallbackNet = (parseCidr('10.255.0.0/16') as { ok: true; cidr: Cidr }).cidr;
  const internalAddressFor = (name: string): string => {
    const declared = declaredHosts.get(name.toLowerCase());
    if (declared) return declared;
    // Inside the first trusted IPv4 network while it has room, else a lab-private range.
    for (const base of [trusted4, fallbackNet]) {
      if (!base) continue;
      const size = 1n << BigInt(base.bits - base.prefix);
      for (let i = 0; i < 4096 && BigInt(nextInternal + i) < size - 1n; i++) {
        const a = bigIntToIp(base.network + BigInt(nextInternal + i), base.bits);
        if (!used.has(a)) {
          nextInternal += i + 1;
          used.add(a);
          allocated.add(a);
          return a;
        }
      }
    }
    throw new Error(`lab: no free address for ${name}; declare it under lab.hosts`);
  };

  const hostAt = (id: string, role: HostRole, label: string, address: string, port: number): LabHost => {
    const existing = hosts.find((h) => h.addresses.includes(address) && h.port === port);
    if (existing) return existing;
    used.add(address);
    const h: LabHost = { id, role, label, names: [], addresses: [address], port, domains: [], users: null };
    hosts.push(h);
    return h;
  };

  /** A host given as IP or name; names with mxLookup get an MX pointing at mx1.<name>. */
  const hostFor = (
    idBase: string,
    role: HostRole,
    host: string,
    port: number,
    mxLookup: boolean,
    addresses: { a: string; mx: string },
  ): LabHost => {
    const kind = hostKind(host);
    if (kind === 'ipv4' || kind === 'ipv6') return hostAt(`${idBase}`, role, host, host, port);
    const h = hostAt(idBase, role, host, addresses.a, port);
    if (!h.names.includes(host)) h.names.push(host);
    addRecord(host, hostKind(addresses.a) === 'ipv6' ? { AAAA: [addresses.a] } : { A: [addresses.a] });
    if (mxLookup) {
      const mxName = `mx1.${host}`;
      const mx = hostAt(`${idBase}-mx`, role, mxName, addresses.mx, port);
      if (!mx.names.includes(mxName)) mx.names.push(mxName);
      addRecord(host, { MX: [{ priority: 10, exchange: mxName }] });
      addRecord(mxName, { A: [addresses.mx] });
      return mx;
    }
    return h;
  };

  // Explicit addresses first, so allocated ones never collide with them.
  for (const d of config.mta.domains) if (d.route && hostKind(d.route.host) !== 'name') used.add(d.route.host);
  const dest = config.mta.destination;
  if (dest.host && hostKind(dest.host) !== 'name') used.add(dest.host);

  const localDomains = config.mta.domains.filter((d) => d.local).map((d) => d.name);
  const users = new Map(localDomains.map((d) => [d, usersFor(config, d)]));

  // Route hosts = internal mail servers.
  for (const d of config.mta.domains) {
    let h: LabHost;
    if (d.route) {
      const a = hostKind(d.route.host) === 'name' ? internalAddressFor(d.route.host) : d.route.host;
      const mx = d.route.mxLookup ? internalAddressFor(`mx1.${d.route.host}`) : a;
      h = hostFor(`internal:${d.route.host}`, 'internal', d.route.host, d.route.port, d.route.mxLookup, { a, mx });
      // Without MX lookup the A host is the one that receives; with it, the MX target.
    } else if (d.local) {
      // Split-horizon view: the gateway resolves a local domain's MX to its internal server.
      const mxName = `mail.${d.name}`;
      const a = internalAddressFor(mxName);
      h = hostAt(`internal:${mxName}`, 'internal', mxName, a, 25);
      if (!h.names.includes(mxName)) h.names.push(mxName);
      addRecord(mxName, { A: [a] });
      addRecord(d.name, { MX: [{ priority: 10, exchange: mxName }] });
    } else continue;
    if (!h.domains.includes(d.name)) h.domains.push(d.name);
  }
  for (const h of hosts) {
    if (h.role === 'internal') h.users = h.domains.flatMap((d) => (users.get(d) ?? []).flatMap(spellings));
    if (allocated.has(h.addresses[0]!)) h.allocated = true;
  }

  // The edge gateway (relayhost). In the edge scheme the relayhost is a smarthost for outgoing
  // mail only: nothing arrives from it, so it is no scenario client and its mail is not "via the edge".
  let edgeClient: string | null = null;
  if (dest.mode === 'edge-gateway' && dest.host) {
    const kind = hostKind(dest.host);
    const a = kind === 'name' ? (declaredHosts.get(dest.host.toLowerCase()) ?? EDGE_ADDRESS) : dest.host;
    const role = config.integration === 'edge' ? 'smarthost' : 'edge';
    hostFor(role, role, dest.host, dest.port, dest.mxLookup, { a, mx: EDGE_MX_ADDRESS });
    if (role === 'edge') edgeClient = a;
  }

  // Extra hosts declared in lab.hosts that nothing else created.
  for (const [name, address] of declaredHosts) {
    if (hosts.some((h) => h.names.includes(name))) continue;
    const h = hostAt(`host:${name}`, 'other', name, address, 25);
    h.names.push(name);
    addRecord(name, hostKind(address) === 'ipv6' ? { AAAA: [address] } : { A: [address] });
  }

  // SPF/DMARC: local domains authorise their trusted networks; the scenarios' usual outside sender
  // (sender.example) authorises the documentation range its untrusted clients come from, so mail
  // relayed by an edge gateway fails SPF exactly as it would in production.
  const spfNets = config.mta.trustedNetworks.map((n) => `${n.includes(':') ? 'ip6' : 'ip4'}:${n}`).join(' ');
  for (const d of localDomains) {
    // A routed domain keeps resolving like any public domain (MX on the internet side).
    if (!zone.get(d)?.MX?.length) addRecord(d, { MX: [{ priority: 10, exchange: INTERNET_MX }], A: [INTERNET_ADDRESS] });
    addRecord(d, { TXT: [`v=spf1 ${spfNets ? `${spfNets} ` : ''}-all`.replace('  ', ' ')] });
    addRecord(`_dmarc.${d}`, { TXT: ['v=DMARC1; p=none'] });
  }
  addRecord('sender.example', {
    TXT: ['v=spf1 ip4:203.0.113.0/24 ip6:2001:db8:ffff::/48 -all'],
    MX: [{ priority: 10, exchange: INTERNET_MX }],
  });
  addRecord('_dmarc.sender.example', { TXT: ['v=DMARC1; p=none'] });

  // The internet: every other name has an MX pointing at one catch-all host.
  const internet = hostAt('internet', 'internet', 'the internet', INTERNET_ADDRESS, 25);
  internet.names.push(INTERNET_MX);
  addRecord(INTERNET_MX, { A: [INTERNET_ADDRESS] });

  const pick = (candidates: string[]) => candidates.find((ip) => !nets.some((c) => cidrContains(c, ip))) ?? candidates[0]!;
  const clients: LabClients = {
    trusted: trusted4 ? addressIn(trusted4, 10) : nets[0] ? addressIn(nets[0], 10) : null,
    untrusted: pick(UNTRUSTED_CANDIDATES),
    untrusted6: pick(UNTRUSTED6_CANDIDATES),
    edge: edgeClient,
  };

  return {
    hosts,
    zone,
    fallback: (name) =>
      name.endsWith('.invalid') || !name.includes('.') ? null : { A: [INTERNET_ADDRESS], MX: [{ priority: 10, exchange: INTERNET_MX }] },
    clients,
    localDomains,
    users,
    external: 'elsewhere.example.net',
    nonexistent: 'no-such-domain.invalid',
  };
}

/** The address a host of this topology answers on for the relay ("10.0.0.25:25"). */
export function hostKey(h: LabHost): string {
  const a = h.addresses[0]!;
  return ipToBigInt(a)?.bits === 128 ? `[${a}]:${h.port}` : `${a}:${h.port}`;
}
