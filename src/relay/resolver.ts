// DNS for the relay: recipient-domain checks, MX routing, SPF/DKIM/DMARC. Injectable so tests
// and the lab use their own server; with --dns the system resolver is never consulted.
import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import type { Clock } from './clock.js';
import { DnsClient, type DnsCacheOptions, type DnsServerAddress, type QueryType, type RecordOf } from './dns-client.js';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** Normalised DNS failure: no such name, name without records of that type, or a server problem. */
export class DnsError extends Error {
  constructor(
    readonly kind: 'nxdomain' | 'nodata' | 'servfail' | 'timeout',
    readonly domainName: string,
    readonly type: string,
  ) {
    super(`${type} lookup for ${domainName}: ${kind}`);
  }
}

export interface Resolver {
  resolveMx(name: string): Promise<MxRecord[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
}

/**
 * The relay's resolver (dns-client.ts): `servers` like ["127.0.0.1:5353"] replaces the system's
 * servers, which are otherwise those node's c-ares read from /etc/resolv.conf (127.0.0.1:53
 * when it names none, as c-ares does). Answers are cached for their TTL (dns-client.ts:
 * DnsCacheOptions); `cache: false` asks the servers every time.
 */
export function createDnsResolver(
  opts: { servers?: string[]; timeoutMs?: number; tries?: number; clock?: Clock; cache?: DnsCacheOptions | false } = {},
): Resolver {
  const given = opts.servers?.length ? opts.servers : getServers();
  const servers = given.map(splitServer).filter((s): s is DnsServerAddress => s !== null);
  const client = new DnsClient({
    servers: servers.length ? servers : [{ host: '127.0.0.1', port: 53 }],
    timeoutMs: opts.timeoutMs ?? 5000,
    tries: opts.tries ?? 2,
    clock: opts.clock,
    cache: opts.cache,
  });
  const lookup =
    <T extends QueryType>(type: T) =>
    async (name: string): Promise<RecordOf<T>[]> => {
      const r = await client.query(name, type);
      if (r.ok) return r.records;
      throw quietDnsError(r.kind, name, type);
    };
  return {
    resolveMx: lookup('MX'),
    resolve4: lookup('A'),
    resolve6: lookup('AAAA'),
    resolveTxt: lookup('TXT'),
  };
}

/**
 * A DnsError without a stack trace: NXDOMAIN and NODATA are answers, not faults, and the relay
 * gets two per message (SPF, DMARC) for most senders; capturing a trace for each costs more
 * than the lookup.
 */
function quietDnsError(kind: DnsError['kind'], name: string, type: string): DnsError {
  return withoutStackTrace(() => new DnsError(kind, name, type));
}

/**
 * Makes an error without capturing a stack trace, for errors that carry an expected outcome
 * (a DNS answer) to code that reads only their message and code. V8 captures the trace at
 * construction, async frames included: measured 40–60 µs per error in the relay's SPF path.
 */
export function withoutStackTrace<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** "127.0.0.1:5353", "[::1]:53", "::1" or "192.0.2.1" (node's getServers() forms) → host and port. */
export function splitServer(text: string): DnsServerAddress | null {
  const m = text.match(/^\[([0-9a-f:.]+)\](?::(\d+))?$/i) ?? text.match(/^([0-9.]+)(?::(\d+))?$/) ?? text.match(/^([0-9a-f:]+)()$/i);
  if (!m || !isIP(m[1]!)) return null;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
}

/** "127.0.0.1:5353" / "[::1]:5353" / "127.0.0.1" → a server string for setServers. */
export function parseDnsServer(text: string): string | null {
  const m = text.match(/^(?:\[([0-9a-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/i);
  if (!m) return null;
  const host = m[1] ?? m[2]!;
  const port = m[3] ? Number(m[3]) : 53;
  if (port < 1 || port > 65535) return null;
  return m[1] ? `[${host}]:${port}` : `${host}:${port}`;
}
