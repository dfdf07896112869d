// DNS for the relay: recipient-domain checks, MX routing, SPF/DKIM/DMARC. Injectable so tests
// and the lab use their own server; with --dns the system resolver is never consulted.
import { Resolver as NodeResolver } from 'node:dns/promises';

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

function normalise(e: unknown, name: string, type: string): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND') throw new DnsError('nxdomain', name, type);
  if (code === 'ENODATA') throw new DnsError('nodata', name, type);
  if (code === 'ETIMEOUT') throw new DnsError('timeout', name, type);
  throw new DnsError('servfail', name, type);
}

/** c-ares based resolver; `servers` like ["127.0.0.1:5353"] replaces the system's servers. */
export function createDnsResolver(opts: { servers?: string[]; timeoutMs?: number; tries?: number } = {}): Resolver {
  const r = new NodeResolver({ timeout: opts.timeoutMs ?? 5000, tries: opts.tries ?? 2 });
  if (opts.servers?.length) r.setServers(opts.servers);
  const wrap =
    <T>(type: string, f: (n: string) => Promise<T>) =>
    async (name: string): Promise<T> => {
      try {
        return await f(name);
      } catch (e) {
        normalise(e, name, type);
      }
    };
  return {
    resolveMx: wrap('MX', (n) => r.resolveMx(n)),
    resolve4: wrap('A', (n) => r.resolve4(n)),
    resolve6: wrap('AAAA', (n) => r.resolve6(n)),
    resolveTxt: wrap('TXT', (n) => r.resolveTxt(n)),
  };
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
