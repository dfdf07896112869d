// Test helpers for delivery: a recording SMTP sink (smtp-server) and a resolver from a zone table.
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { DnsError, type MxRecord, type Resolver } from '../../../../src/relay/resolver.js';

export interface SinkTx {
  from: string;
  to: string[];
  rcptArgs: Array<Record<string, unknown>>;
  mailArgs: Record<string, unknown>;
  data: Buffer;
  helo: string;
  secure: boolean;
}

export interface SinkOptions {
  /** Per recipient: an error reply, or null to accept. */
  rcpt?: (address: string) => { code: number; text: string } | null;
  /** After the data: an error reply, or null to accept. */
  data?: (tx: SinkTx) => { code: number; text: string } | null;
  server?: Partial<SMTPServerOptions>;
}

export interface Sink {
  port: number;
  received: SinkTx[];
  connections: number;
  /** Connections the sink has seen closed. */
  closed: number;
  close(): Promise<void>;
  waitFor(n: number, ms?: number): Promise<SinkTx[]>;
}

function fail(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const received: SinkTx[] = [];
  const waiters: Array<() => void> = [];
  let connections = 0;
  let closed = 0;
  const server = new SMTPServer({
    name: 'sink.test',
    logger: false,
    disabledCommands: ['AUTH'],
    hideDSN: false,
    hideENHANCEDSTATUSCODES: false,
    size: 50_000_000,
    disableReverseLookup: true,
    onClose() {
      closed++;
    },
    onConnect(_s, cb) {
      connections++;
      cb();
    },
    onRcptTo(addr: SMTPServerAddress, _s, cb) {
      const r = opts.rcpt?.(addr.address);
      cb(r ? fail(r.code, r.text) : undefined);
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const env = session.envelope;
        const tx: SinkTx = {
          from: env.mailFrom ? env.mailFrom.address : '',
          to: env.rcptTo.map((r) => r.address),
          rcptArgs: env.rcptTo.map((r) => (r.args || {}) as Record<string, unknown>),
          mailArgs: (env.mailFrom ? env.mailFrom.args || {} : {}) as Record<string, unknown>,
          data: Buffer.concat(chunks),
          helo: session.hostNameAppearsAs,
          secure: session.secure,
        };
        const r = opts.data?.(tx);
        if (r) return cb(fail(r.code, r.text));
        received.push(tx);
        for (const w of waiters.splice(0)) w();
        cb(null, `Ok: queued as SINK${received.length}`);
      });
    },
    ...opts.server,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    get connections() {
      return connections;
    },
    get closed() {
      return closed;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`sink got ${received.length} of ${n} messages`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 50);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return received;
    },
  };
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
