// Test helpers for delivery: the recording sink (the lab's SmtpSink) set up as a delivery next
// hop — DSN, SIZE 50000000 and STARTTLS offered, "queued as SINKn" — and a resolver from a zone table.
import { SmtpSink, type SinkOptions, type SinkTransaction } from '../../../../src/lab/sink.js';
import { DnsError, type MxRecord, type Resolver } from '../../../../src/relay/resolver.js';

export type SinkTx = SinkTransaction;

export class Sink extends SmtpSink {
  /** The messages accepted, in order (the sink's transactions). */
  get received(): SinkTransaction[] {
    return this.transactions;
  }

  /** Resolves with the messages once `n` have arrived; fails after `ms`. */
  async waitFor(n: number, ms = 10_000): Promise<SinkTransaction[]> {
    if (!(await this.until((s) => s.transactions.length >= n, ms)))
      throw new Error(`sink got ${this.transactions.length} of ${n} messages`);
    return this.transactions;
  }
}

export async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const sink = new Sink({
    hostname: 'sink.test',
    tls: { starttls: true },
    queued: (n) => `Ok: queued as SINK${n}`,
    ...opts,
    extensions: { dsn: true, size: 50_000_000, ...opts.extensions },
  });
  await sink.start();
  return sink;
}

export interface ZoneEntry {
  MX?: MxRecord[];
  A?: string[];
  AAAA?: string[];
  /** Answer every query for this name with a server failure. */
  servfail?: boolean;
}

/** Names not in the zone are NXDOMAIN; a name without records of a type is NODATA. */
export function zoneResolver(zone: Record<string, ZoneEntry>): Resolver & { queries: string[] } {
  const queries: string[] = [];
  const look =
    <T>(type: 'MX' | 'A' | 'AAAA') =>
    async (name: string): Promise<T[]> => {
      queries.push(`${type} ${name}`);
      const e = zone[name.toLowerCase()];
      if (!e) throw new DnsError('nxdomain', name, type);
      if (e.servfail) throw new DnsError('servfail', name, type);
      const rr = e[type] as T[] | undefined;
      if (!rr?.length) throw new DnsError('nodata', name, type);
      return rr;
    };
  return {
    queries,
    resolveMx: look<MxRecord>('MX'),
    resolve4: look<string>('A'),
    resolve6: look<string>('AAAA'),
    resolveTxt: async (name) => {
      throw new DnsError('nodata', name, 'TXT');
    },
  };
}
