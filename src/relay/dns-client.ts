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

export interface DnsServerAddress {
  host: string;
  port: number;
}

export type QueryType = 'A' | 'AAAA' | 'MX' | 'TXT';
const TYPE: Record<QueryType | 'CNAME', number> = { A: 1, AAAA: 28, MX: 15, TXT: 16, CNAME: 5 };

export type RecordOf<T extends QueryType> = T extends 'MX' ? { exchange: string; priority: number } : T extends 'TXT' ? string[] : string;

/** nxdomain / nodata / servfail (any other failure of the server or of the name) / timeout. */
export type QueryOutcome<T extends QueryType> =
  { ok: true; records: RecordOf<T>[] } | { ok: false; kind: 'nxdomain' | 'nodata' | 'servfail' | 'timeout' };

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
  private readonly random = Buffer.alloc(2 * 1024);
  private randomAt = this.random.length;

  constructor(opts: { servers: DnsServerAddress[]; timeoutMs?: number; tries?: number; clock?: Clock }) {
    if (opts.servers.length === 0) throw new Error('DnsClient: no servers');
    this.servers = opts.servers;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.tries = Math.max(1, opts.tries ?? 2);
    this.clock = opts.clock ?? systemClock;
  }

  /** Each server `tries` times in turn, each attempt waiting timeoutMs, until one answers. */
  async query<T extends QueryType>(name: string, type: T): Promise<QueryOutcome<T>> {
    const qname = name.replace(/\.$/, '');
    const question = encodeQuestion(qname, TYPE[type]);
    if (!question) return { ok: false, kind: 'servfail' }; // not a valid domain name (c-ares: EBADNAME)
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
      return decodeAnswer(answer, qname, TYPE[type], type);
    }
    return { ok: false, kind: timedOut ? 'timeout' : 'servfail' };
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

/** Header of a query: id, RD, one question. */
function header(id: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(1, 4);
  return h;
}

/** QNAME QTYPE QCLASS(IN), or null for a name that is not a valid ASCII domain name. */
export function encodeQuestion(name: string, type: number): Buffer | null {
  const labels = name === '' ? [] : name.split('.');
  if (name.length > 253 || labels.some((l) => l.length === 0 || l.length > 63) || /[^\x21-\x7e]/.test(name)) return null;
  const out = Buffer.alloc(name.length + (labels.length ? 2 : 1) + 4);
  let at = 0;
  for (const l of labels) {
    out[at++] = l.length;
    at += out.write(l, at, 'latin1');
  }
  out[at++] = 0;
  out.writeUInt16BE(type, at);
  out.writeUInt16BE(1, at + 2);
  return out;
}

/** The answer repeats the question (name compared without regard to case, RFC 4343). */
function sameQuestion(msg: Buffer, question: Buffer): boolean {
  if (msg.readUInt16BE(4) !== 1 || msg.length < 12 + question.length) return false;
  for (let i = 0; i < question.length; i++) {
    let a = msg[12 + i]!;
    let b = question[i]!;
    if (a >= 0x41 && a <= 0x5a) a += 0x20;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (a !== b) return false;
  }
  return true;
}

/** A (possibly compressed) name at `at`: the name and where the field ends. Null when malformed. */
function readName(msg: Buffer, at: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let end = -1;
  for (let jumps = 0; jumps < 64;) {
    if (at >= msg.length) return null;
    const len = msg[at]!;
    if (len === 0) {
      return { name: labels.join('.'), end: end < 0 ? at + 1 : end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= msg.length) return null;
      if (end < 0) end = at + 2;
      at = ((len & 0x3f) << 8) | msg[at + 1]!;
      jumps++;
      continue;
    }
    if (len > 63 || at + 1 + len > msg.length) return null;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return null;
}

/** rcode and the records of `type` owned by `qname` or by the CNAME chain from it. */
export function decodeAnswer<T extends QueryType>(msg: Buffer, qname: string, type: number, typeName: T): QueryOutcome<T> {
  const rcode = msg[3]! & 0x0f;
  if (rcode === 3) return { ok: false, kind: 'nxdomain' };
  if (rcode !== 0) return { ok: false, kind: 'servfail' };
  const ancount = msg.readUInt16BE(6);
  const q = readName(msg, 12);
  if (!q) return { ok: false, kind: 'servfail' };
  let at = q.end + 4;
  const rrs: Array<{ owner: string; type: number; data: Buffer; dataAt: number }> = [];
  for (let i = 0; i < ancount; i++) {
    const n = readName(msg, at);
    if (!n || n.end + 10 > msg.length) return { ok: false, kind: 'servfail' };
    const rtype = msg.readUInt16BE(n.end);
    const rdlength = msg.readUInt16BE(n.end + 8);
    const dataAt = n.end + 10;
    if (dataAt + rdlength > msg.length) return { ok: false, kind: 'servfail' };
    rrs.push({ owner: n.name.toLowerCase(), type: rtype, data: msg.subarray(dataAt, dataAt + rdlength), dataAt });
    at = dataAt + rdlength;
  }
  const owners = new Set([qname.toLowerCase()]);
  for (let grew = true; grew;) {
    grew = false;
    for (const rr of rrs) {
      if (rr.type !== TYPE.CNAME || !owners.has(rr.owner)) continue;
      const target = readName(msg, rr.dataAt)?.name.toLowerCase();
      if (target && !owners.has(target)) {
        owners.add(target);
        grew = true;
      }
    }
  }
  const records: RecordOf<T>[] = [];
  for (const rr of rrs) {
    if (rr.type !== type || !owners.has(rr.owner)) continue;
    const record = decodeRecord(msg, rr, typeName);
    if (record === null) return { ok: false, kind: 'servfail' };
    records.push(record as RecordOf<T>);
  }
  return records.length ? { ok: true, records } : { ok: false, kind: 'nodata' };
}

function decodeRecord(msg: Buffer, rr: { data: Buffer; dataAt: number }, type: QueryType): RecordOf<QueryType> | null {
  const d = rr.data;
  switch (type) {
    case 'A':
      return d.length === 4 ? `${d[0]}.${d[1]}.${d[2]}.${d[3]}` : null;
    case 'AAAA':
      return d.length === 16 ? formatIpv6(d) : null;
    case 'MX': {
      if (d.length < 3) return null;
      const n = readName(msg, rr.dataAt + 2);
      return n ? { priority: d.readUInt16BE(0), exchange: n.name } : null;
    }
    case 'TXT': {
      const strings: string[] = [];
      for (let i = 0; i < d.length;) {
        const len = d[i]!;
        if (i + 1 + len > d.length) return null;
        strings.push(d.toString('latin1', i + 1, i + 1 + len));
        i += 1 + len;
      }
      return strings;
    }
  }
}

/** As inet_ntop() writes it (what c-ares gives node): the longest run of zero groups as "::". */
export function formatIpv6(b: Buffer): string {
  const words = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // An IPv4-compatible or IPv4-mapped address ends in dotted decimal.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':';
  return out;
}
