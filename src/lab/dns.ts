// The lab's DNS server (dns2) on 127.0.0.1, UDP and TCP on one explicit port. dns2's listen()
// with port 0 binds TCP on all interfaces (node-ecosystem.md §2.1), so we find a free port
// ourselves and bind both transports to 127.0.0.1 explicitly, retrying if another process wins
// the race for it.
import dns2 from 'dns2';
import net from 'node:net';

const { Packet } = dns2;

export interface MxEntry {
  priority: number;
  /** '' or '.' for a null MX (RFC 7505). */
  exchange: string;
}

/** Records of one name. A name present with no record of the asked type answers NODATA. */
export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  MX?: MxEntry[];
  TXT?: string[];
}

export type Zone = Map<string, ZoneEntry>;

export interface LabDnsOptions {
  /** Exact names (lower case, no trailing dot). */
  zone: Zone;
  /**
   * Answer for names not in the zone (the "internet"): return an entry or null for NXDOMAIN.
   * Names explicitly marked missing never reach it.
   */
  fallback?: (name: string) => ZoneEntry | null;
}

const TTL = 60;

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export class LabDns {
  readonly zone: Zone;
  /** Names a scenario declared nonexistent: NXDOMAIN even if the fallback would answer. */
  readonly missing = new Set<string>();
  private readonly fallback: (name: string) => ZoneEntry | null;
  private servers: { udp: UdpServer; tcp: TcpServer } | null = null;
  private boundPort = 0;
  /** Scenario additions, removed by reset(). */
  private overlay: Zone = new Map();
  queries: Array<{ name: string; type: number }> = [];

  constructor(opts: LabDnsOptions) {
    this.zone = opts.zone;
    this.fallback = opts.fallback ?? (() => null);
  }

  get port(): number {
    return this.boundPort;
  }

  /** "127.0.0.1:PORT", the form resolvers take. */
  get server127(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  /** A scenario's extra records (replacing the name's records for the scenario). */
  add(name: string, entry: ZoneEntry | null): void {
    const n = normaliseName(name);
    if (entry === null) this.missing.add(n);
    else this.overlay.set(n, entry);
  }

  reset(): void {
    this.overlay = new Map();
    this.missing.clear();
    this.queries = [];
  }

  lookup(name: string): ZoneEntry | null {
    const n = normaliseName(name);
    if (this.missing.has(n)) return null;
    return this.overlay.get(n) ?? this.zone.get(n) ?? this.fallback(n);
  }

  private answer(request: InstanceType<typeof Packet>): InstanceType<typeof Packet> {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    const q = request.questions[0];
    if (!q) return response;
    this.queries.push({ name: q.name, type: q.type });
    const entry = this.lookup(q.name);
    if (!entry) {
      response.header.rcode = 3; // NXDOMAIN
      return response;
    }
    const base = { name: q.name, class: Packet.CLASS.IN, ttl: TTL };
    if (q.type === Packet.TYPE.A) {
      for (const address of entry.A ?? []) response.answers.push({ ...base, type: Packet.TYPE.A, address } as never);
    } else if (q.type === Packet.TYPE.AAAA) {
      for (const address of entry.AAAA ?? []) response.answers.push({ ...base, type: Packet.TYPE.AAAA, address } as never);
    } else if (q.type === Packet.TYPE.MX) {
      for (const mx of entry.MX ?? []) {
        const exchange = mx.exchange === '.' ? '' : mx.exchange;
        response.answers.push({ ...base, type: Packet.TYPE.MX, priority: mx.priority, exchange } as never);
      }
    } else if (q.type === Packet.TYPE.TXT) {
      for (const data of entry.TXT ?? []) response.answers.push({ ...base, type: Packet.TYPE.TXT, data } as never);
    }
    return response;
  }

  async start(): Promise<number> {
    let lastError: unknown;
    const handle = (request: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => Promise<Buffer>) => {
      void send(this.answer(request)).catch(() => undefined);
    };
    for (let attempt = 0; attempt < 10; attempt++) {
      const port = await freeTcpPort();
      const udp = dns2.createUDPServer(handle as never);
      const tcp = dns2.createTCPServer(handle as never);
      udp.on('requestError', () => undefined);
      tcp.on('requestError', () => undefined);
      const sockets = new Set<net.Socket>();
      (tcp as unknown as { labSockets: Set<net.Socket> }).labSockets = sockets;
      tcp.on('connection', (s: net.Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      try {
        await bindBoth(udp, tcp, port);
        this.servers = { udp, tcp };
        this.boundPort = port;
        return port;
      } catch (e) {
        lastError = e;
        closeQuietly(udp, tcp);
      }
    }
    throw new Error(`lab DNS: could not bind a free port on 127.0.0.1 (${String(lastError)})`);
  }

  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = null;
    if (servers) await closeQuietly(servers.udp, servers.tcp);
  }
}

type UdpServer = ReturnType<typeof dns2.createUDPServer>;
type TcpServer = ReturnType<typeof dns2.createTCPServer>;

/** Binds UDP then TCP to 127.0.0.1:port; rejects on the first error (dns2's own listen() never does). */
async function bindBoth(udp: UdpServer, tcp: TcpServer, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '127.0.0.1', () => {
      udp.off('error', reject);
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  udp.on('error', () => undefined);
  tcp.on('error', () => undefined);
}

async function closeQuietly(udp: UdpServer, tcp: TcpServer): Promise<void> {
  await Promise.all([
    new Promise<void>((resolve) => {
      try {
        udp.close(() => resolve());
      } catch {
        resolve();
      }
    }),
    new Promise<void>((resolve) => {
      if (!tcp.listening) return resolve();
      // Drop idle keep-alive connections so close() does not wait for their timeout.
      for (const s of (tcp as unknown as { labSockets?: Set<import('node:net').Socket> }).labSockets ?? []) s.destroy();
      tcp.close(() => resolve());
    }),
  ]);
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the caller binds it and retries on a race). */
export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
