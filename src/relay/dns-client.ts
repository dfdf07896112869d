// The relay's DNS stub: A, AAAA, MX and TXT queries over UDP, retried over TCP when the answer is
// truncated — what c-ares (node:dns) does for us, without its cost per query. c-ares opens,
// connects and closes a UDP socket for every query (a dozen system calls, ≈ 0.2 ms of the event
// loop each, measured at 20 sessions: 8 % of the relay's main thread with two sender-
// authentication lookups per message) and raises an exception with a stack trace for every
// NXDOMAIN. Here a socket carries up to SOCKET_QUERIES queries before it is replaced (a fresh
// random source port, as a new socket per query gives, against off-path answer forgery), every
// query has a random id, and an answer counts only when it comes from the server asked (the socket
// is connected to it), with that id and that question. Like c-ares as node uses it: recursion desired, no EDNS, no search list.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomFillSync } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import {
  decodeWithTtl,
  encodeQuestion,
  header,
  sameQuestion,
  TYPE,
  type QueryOutcome,
  type QueryType,
  type RecordOf,
} from './dns-message.js';

export {
  decodeAnswer,
  decodeWithTtl,
  encodeQuestion,
  formatIpv6,
  type QueryOutcome,
  type QueryType,
  type RecordOf,
} from './dns-message.js';

export interface DnsServerAddress {
  host: string;
  port: number;
}

/**
 * Answers are kept for their TTL (negative ones for their SOA's, RFC 2308), as a caching stub
 * does (c-ares's query cache, systemd-resolved, nscd): most mail comes from senders seen a moment
 * ago, and their SPF and DMARC lookups would otherwise be two round trips per message. Bounded in
 * entries; TTLs capped at an hour, c-ares's qcache_max_ttl.
 */
export interface DnsCacheOptions {
  maxEntries: number;
  maxTtlSeconds: number;
}
export const DEFAULT_CACHE: DnsCacheOptions = { maxEntries: 10_000, maxTtlSeconds: 3600 };

/** A cached outcome handed out as a copy: callers (mailauth) may change the arrays they get. */
function copyOutcome<T extends QueryType>(o: QueryOutcome<T>): QueryOutcome<T> {
  if (!o.ok) return o;
  return { ok: true, records: o.records.map((r) => (Array.isArray(r) ? [...r] : typeof r === 'object' ? { ...r } : r)) as RecordOf<T>[] };
}

/** Queries per UDP socket before the next query gets a new socket (and source port). */
export const SOCKET_QUERIES = 64;

/** A timer this late means the event loop was blocked, not that the server was slow. */
const LATE_MS = 1000;

interface Pending {
  id: number;
  question: Buffer;
  settle: (answer: Buffer | null) => void;
}

interface Channel {
  socket: dgram.Socket;
  used: number;
  pending: Map<number, Pending>;
  /** Takes no new queries; closed when the last pending one settles. */
  retired: boolean;
  closed: boolean;
  connected: Promise<boolean> | null;
}

function closeIfIdle(ch: Channel): void {
  if (!ch.retired || ch.closed || ch.pending.size) return;
  ch.closed = true;
  ch.socket.close();
}

export class DnsClient {
  private readonly servers: DnsServerAddress[];
  private readonly timeoutMs: number;
  private readonly tries: number;
  private readonly clock: Clock;
  private channels = new Map<string, Channel>();
  private readonly cacheOptions: DnsCacheOptions;
  private readonly cache: Map<string, { expiresAt: number; outcome: QueryOutcome<QueryType> }> | null;
  private readonly inFlight = new Map<string, Promise<{ outcome: QueryOutcome<QueryType>; ttl: number }>>();
  private readonly random = Buffer.alloc(2 * 1024);
  private randomAt = this.random.length;

  constructor(opts: { servers: DnsServerAddress[]; timeoutMs?: number; tries?: number; clock?: Clock; cache?: DnsCacheOptions | false }) {
    if (opts.servers.length === 0) throw new Error('DnsClient: no servers');
    this.servers = opts.servers;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.tries = Math.max(1, opts.tries ?? 2);
    this.clock = opts.clock ?? systemClock;
    this.cacheOptions = opts.cache || DEFAULT_CACHE;
    this.cache = opts.cache === false ? null : new Map();
  }

  /**
   * The answer from the cache while its TTL lasts; otherwise asked of the servers, once for all
   * the callers that want the same name and type meanwhile.
   */
  async query<T extends QueryType>(name: string, type: T): Promise<QueryOutcome<T>> {
    const qname = name.replace(/\.$/, '');
    if (!this.cache) return (await this.ask(qname, type)).outcome;
    const key = `${type} ${qname.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.clock.now()) return copyOutcome(hit.outcome as QueryOutcome<T>);
    if (hit) this.cache.delete(key);
    let asked = this.inFlight.get(key) as Promise<{ outcome: QueryOutcome<T>; ttl: number }> | undefined;
    if (!asked) {
      asked = this.ask(qname, type);
      this.inFlight.set(key, asked);
      void asked.then(
        ({ outcome, ttl }) => {
          this.inFlight.delete(key);
          this.remember(key, outcome, ttl);
        },
        () => this.inFlight.delete(key),
      );
    }
    return copyOutcome((await asked).outcome);
  }

  /** Entries in the cache now (expired ones included until they are asked for or pushed out). */
  get cacheSize(): number {
    return this.cache?.size ?? 0;
  }

  private remember(key: string, outcome: QueryOutcome<QueryType>, ttlSeconds: number): void {
    const cache = this.cache!;
    const seconds = Math.min(ttlSeconds, this.cacheOptions.maxTtlSeconds);
    if (!(seconds > 0) || (!outcome.ok && outcome.kind !== 'nxdomain' && outcome.kind !== 'nodata')) return;
    cache.delete(key);
    // The oldest entry goes first: a Map iterates in insertion order.
    while (cache.size >= this.cacheOptions.maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { expiresAt: this.clock.now() + seconds * 1000, outcome });
  }

  /** Each server `tries` times in turn, each attempt waiting timeoutMs, until one answers. */
  private async ask<T extends QueryType>(qname: string, type: T): Promise<{ outcome: QueryOutcome<T>; ttl: number }> {
    const question = encodeQuestion(qname, TYPE[type]);
    if (!question) return { outcome: { ok: false, kind: 'servfail' }, ttl: 0 }; // not a valid domain name (c-ares: EBADNAME)
    let timedOut = false;
    for (let attempt = 0; attempt < this.tries * this.servers.length; attempt++) {
      const server = this.servers[attempt % this.servers.length]!;
      let answer = await this.overUdp(server, question);
      if (answer === null) {
        timedOut = true;
        continue;
      }
      if (answer.length && (answer[2]! & 0x02) !== 0) answer = await this.overTcp(server, question); // TC: truncated
      if (answer === null || answer.length === 0) continue; // refused, reset or timed out: next attempt
      return decodeWithTtl(answer, qname, TYPE[type], type);
    }
    return { outcome: { ok: false, kind: timedOut ? 'timeout' : 'servfail' }, ttl: 0 };
  }

  /** Stops taking answers: pending queries end as timed out. */
  close(): void {
    for (const ch of this.channels.values()) this.retire(ch, true);
    this.channels.clear();
  }

  /**
   * The attempt's timer. When it fires late by more than a second, this thread's event loop was
   * held up (a long synchronous step; the lab's DNS server shares the loop): the server had no
   * fair chance to answer, or its answer is waiting unread behind the timer, so the wait starts
   * once more before the attempt counts as timed out.
   */
  private timeout(onTimeout: () => void, rearmed: (t: TimerHandle) => void): TimerHandle {
    const due = this.clock.now() + this.timeoutMs;
    return this.clock.setTimer(this.timeoutMs, () => {
      if (this.clock.now() - due > LATE_MS) rearmed(this.clock.setTimer(this.timeoutMs, onTimeout));
      else onTimeout();
    });
  }

  /** A random query id, none of `pending`'s. */
  private nextId(pending?: Map<number, Pending>): number {
    for (;;) {
      if (this.randomAt + 2 > this.random.length) {
        randomFillSync(this.random);
        this.randomAt = 0;
      }
      const id = this.random.readUInt16BE(this.randomAt);
      this.randomAt += 2;
      if (!pending?.has(id)) return id;
    }
  }

  /**
   * The socket for `server`: connected to it, so the kernel passes on only its datagrams and an
   * ICMP "port unreachable" fails the query at once (as c-ares's connected sockets do), instead
   * of after the timeout.
   */
  private channel(server: DnsServerAddress): Channel {
    const key = `${server.host} ${server.port}`;
    const current = this.channels.get(key);
    if (current && !current.retired && current.used < SOCKET_QUERIES) return current;
    if (current) this.retire(current, false);
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    const ch: Channel = { socket, used: 0, pending: new Map(), retired: false, closed: false, connected: null };
    ch.connected = new Promise((resolve) => socket.connect(server.port, server.host, () => resolve(true)));
    socket.on('message', (msg) => {
      if (msg.length < 12) return;
      const p = ch.pending.get(msg.readUInt16BE(0));
      // Only an answer (QR) with this id and this question is believed.
      if (!p || (msg[2]! & 0x80) === 0 || !sameQuestion(msg, p.question)) return;
      p.settle(msg);
    });
    // ECONNREFUSED (ICMP port unreachable) and the like: the queries on this socket fail now, and
    // the next query gets a new socket.
    socket.on('error', () => {
      ch.retired = true;
      for (const p of [...ch.pending.values()]) p.settle(Buffer.alloc(0));
      closeIfIdle(ch);
    });
    socket.unref();
    this.channels.set(key, ch);
    return ch;
  }

  /** An old socket is closed once its last query is answered (or at once when closing). */
  private retire(ch: Channel, now: boolean): void {
    ch.retired = true;
    if (now) for (const p of [...ch.pending.values()]) p.settle(null);
    closeIfIdle(ch);
  }

  private overUdp(server: DnsServerAddress, question: Buffer): Promise<Buffer | null> {
    const ch = this.channel(server);
    ch.used++;
    const id = this.nextId(ch.pending);
    const packet = Buffer.concat([header(id), question]);
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const p: Pending = {
        id,
        question,
        settle: (answer) => {
          if (ch.pending.get(id) !== p) return;
          ch.pending.delete(id);
          timer?.cancel();
          if (ch.pending.size === 0) {
            if (!ch.closed) ch.socket.unref();
            closeIfIdle(ch);
          }
          resolve(answer);
        },
      };
      ch.pending.set(id, p);
      ch.socket.ref(); // a query under way keeps the process alive, an idle socket does not
      timer = this.timeout(
        () => p.settle(null),
        (t) => (timer = t),
      );
      void ch.connected!.then(() => {
        if (ch.pending.get(id) !== p || ch.closed) return;
        ch.socket.send(packet, (err) => {
          if (err) p.settle(Buffer.alloc(0));
        });
      });
    });
  }

  private overTcp(server: DnsServerAddress, question: Buffer): Promise<Buffer | null> {
    const id = this.nextId(); // a connection of its own: any id
    const packet = Buffer.concat([header(id), question]);
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let done = false;
      const finish = (answer: Buffer | null) => {
        if (done) return;
        done = true;
        timer.cancel();
        sock.destroy();
        resolve(answer);
      };
      let timer = this.timeout(
        () => finish(null),
        (t) => (timer = t),
      );
      const sock = net.connect({ host: server.host, port: server.port }, () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(packet.length);
        sock.write(Buffer.concat([len, packet]));
      });
      sock.on('data', (d) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length < 2 || all.length < 2 + all.readUInt16BE(0)) return;
        const msg = all.subarray(2, 2 + all.readUInt16BE(0));
        const ok = msg.length >= 12 && msg.readUInt16BE(0) === id && (msg[2]! & 0x80) !== 0 && sameQuestion(msg, question);
        finish(ok ? msg : Buffer.alloc(0));
      });
      sock.on('error', () => finish(Buffer.alloc(0)));
      sock.on('close', () => finish(Buffer.alloc(0)));
    });
  }
}
