// A simulated SMTP host of the lab: an smtp-server on 127.0.0.1 that records every transaction
// the relay opens to it (peer, EHLO, envelope, raw bytes exactly as received) and answers like a
// real downstream server would: unknown users get 550 5.1.1, and a scenario can script it per
// attempt: a canned reply (451 for the first attempts or for a window of lab time, 550 for one
// recipient, 554 at connect), a slow answer, the connection dropped at a stage or in the middle
// of DATA; optionally only with a probability drawn from a seeded generator, so runs repeat.
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { parseDuration } from '../config/schema.js';
import { evalSize } from './expand.js';
import { PromptSmtpServer } from './prompt-smtp-server.js';

export interface SinkTransaction {
  /** Id of the simulated host that received it. */
  host: string;
  /** Remote address of the TCP peer (the relay). */
  peer: string;
  helo: string;
  /** MAIL FROM; '' for the null sender. */
  from: string;
  /** Accepted RCPT TO addresses. */
  to: string[];
  /** The message exactly as received. */
  data: Buffer;
  /** Lab time of the end of DATA. */
  at: number;
}

/** A RCPT the sink answered, recorded whether or not DATA followed (recipient callouts stop there). */
export interface SinkRcpt {
  host: string;
  from: string;
  to: string;
  code: number;
  at: number;
}

export type SinkStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** A scripted answer: "reply 451 at RCPT for the first 2 attempts" or "until lab time T". */
export interface CannedReply {
  stage: SinkStage;
  /** The reply; without one (and without drop) the host answers normally, after `delayMs`. */
  code?: number;
  text?: string;
  /** Only for the first N attempts at that stage (then normal behaviour). */
  times?: number;
  /** Only while the lab clock is before this time (ms). */
  until?: number;
  /** Close the connection instead of answering (at data: after the whole message, before the reply). */
  drop?: boolean;
  /** Stage data only: close the connection once this many bytes of the message have arrived. */
  dropAfterBytes?: number;
  /** Answer this much later (real time: the relay's SMTP timeouts are real time too). */
  delayMs?: number;
  /** Stage rcpt only: only for this recipient (case-insensitive). */
  recipient?: string;
  /** Applies to an attempt with this probability (0–1), drawn from a generator seeded with `seed`. */
  chance?: number;
  seed?: number;
}

/** mulberry32: a small, fast, seeded generator; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed used when a scenario gives `chance:` without `seed:` (logged with the scenario). */
export const DEFAULT_SINK_SEED = 1;

/** A scenario's `hosts.<sel>.reply` entry (placeholders filled) → the sink's scripted answer. */
export function cannedFromSpec(
  spec: {
    stage: SinkStage;
    code?: number;
    text?: string;
    times?: number;
    drop?: boolean;
    dropAfter?: string | number;
    delay?: string | number;
    recipient?: string;
    chance?: number;
    seed?: number;
  },
  until: number | undefined,
): CannedReply {
  const size = spec.dropAfter === undefined ? undefined : (evalSize(spec.dropAfter) ?? undefined);
  const delay = spec.delay === undefined ? null : parseDuration(spec.delay);
  return {
    stage: spec.stage,
    code: spec.code,
    text: spec.text,
    times: spec.times,
    until,
    drop: spec.drop,
    dropAfterBytes: size,
    delayMs: delay === null ? undefined : delay * 1000,
    recipient: spec.recipient,
    chance: spec.chance,
    seed: spec.seed,
  };
}

export interface SinkOptions {
  id: string;
  /** Name the sink greets with (its DNS name in the lab). */
  hostname: string;
  /** Lab time source; defaults to Date.now. */
  now?: () => number;
}

class ReplyError extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class SmtpSink {
  readonly id: string;
  readonly hostname: string;
  readonly transactions: SinkTransaction[] = [];
  readonly rcpts: SinkRcpt[] = [];
  /** Messages whose connection was dropped before the sink acknowledged them (never delivered). */
  readonly unacknowledged: SinkTransaction[] = [];
  /** Connections accepted (including refused-at-connect ones). */
  connections = 0;
  private users: Set<string> | null = null;
  private canned: Array<CannedReply & { used: number; random: (() => number) | null }> = [];
  private server: SMTPServer | null = null;
  private listeningPort = 0;
  private readonly now: () => number;

  constructor(opts: SinkOptions) {
    this.id = opts.id;
    this.hostname = opts.hostname;
    this.now = opts.now ?? Date.now;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** Only these addresses exist (lower-case user@domain); null accepts everyone. */
  setUsers(addresses: Iterable<string> | null): void {
    this.users = addresses ? new Set([...addresses].map((a) => a.toLowerCase())) : null;
  }

  hasUser(address: string): boolean {
    return !this.users || this.users.has(address.toLowerCase());
  }

  addCanned(reply: CannedReply): void {
    const random = reply.chance === undefined ? null : seededRandom(reply.seed ?? DEFAULT_SINK_SEED);
    this.canned.push({ ...reply, used: 0, random });
  }

  /** Forget transactions and canned replies (users stay: they come from the config). */
  reset(): void {
    this.transactions.length = 0;
    this.rcpts.length = 0;
    this.unacknowledged.length = 0;
    this.canned = [];
    this.connections = 0;
  }

  private cannedFor(stage: SinkStage, recipient?: string): CannedReply | null {
    for (const c of this.canned) {
      if (c.stage !== stage) continue;
      if (c.recipient !== undefined && c.recipient.toLowerCase() !== recipient?.toLowerCase()) continue;
      if (c.until !== undefined && this.now() >= c.until) continue;
      if (c.times !== undefined && c.used >= c.times) continue;
      // One draw per attempt that could apply, so the sequence depends only on the seed and the attempts.
      if (c.random && c.random() >= c.chance!) continue;
      c.used++;
      return c;
    }
    return null;
  }

  /** Ends the session's TCP connection without a reply (as a crashed or cut-off host would). */
  private drop(session: SMTPServerSession): void {
    const server = this.server as unknown as { connections?: Set<{ session?: SMTPServerSession; _socket?: { destroy(): void } }> } | null;
    for (const conn of server?.connections ?? []) if (conn.session === session) conn._socket?.destroy();
  }

  /** Runs the scripted behaviour of one stage: a delay, then a drop, a canned reply or the normal answer. */
  private act(c: CannedReply | null, session: SMTPServerSession, normal: () => void, cb: (err?: Error | null) => void): void {
    const go = () => {
      if (c?.drop) return this.drop(session);
      if (c?.code !== undefined) return cb(new ReplyError(c.code, c.text ?? 'Service temporarily unavailable'));
      normal();
    };
    if (c?.delayMs) setTimeout(go, c.delayMs);
    else go();
  }

  async start(): Promise<number> {
    const server = new PromptSmtpServer({
      name: this.hostname,
      banner: 'ESMTP lab host',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideENHANCEDSTATUSCODES: false,
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      size: 0,
      onConnect: (session, cb) => {
        this.connections++;
        this.act(this.cannedFor('connect'), session, () => cb(null), cb);
      },
      onMailFrom: (_address, session, cb) => {
        this.act(this.cannedFor('mail'), session, () => cb(null), cb);
      },
      onRcptTo: (address, session, cb) => {
        const to = address.address;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const c = this.cannedFor('rcpt', to);
        const record = (code: number) => this.rcpts.push({ host: this.id, from, to, code, at: this.now() });
        if (c?.drop || c?.code !== undefined) record(c.drop ? 0 : c.code!);
        this.act(
          c,
          session,
          () => {
            if (!this.hasUser(to)) {
              record(550);
              return cb(new ReplyError(550, `<${to}>: Recipient address rejected: User unknown in local recipient table`));
            }
            record(250);
            cb(null);
          },
          cb,
        );
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        // Decided when DATA starts, so a mid-message drop and the final answer are one attempt.
        const c = this.cannedFor('data');
        let received = 0;
        let dropped = false;
        stream.on('data', (d: Buffer) => {
          chunks.push(d);
          received += d.length;
          if (!dropped && c?.dropAfterBytes !== undefined && received >= c.dropAfterBytes) {
            dropped = true;
            this.unacknowledged.push(this.record(session, Buffer.concat(chunks)));
            this.drop(session);
          }
        });
        stream.on('end', () => {
          if (dropped) return;
          const message = Buffer.concat(chunks);
          if (c?.drop) this.unacknowledged.push(this.record(session, message));
          this.act(
            c,
            session,
            () => {
              this.transactions.push(this.record(session, message));
              cb(null, `Ok: queued on ${this.hostname}`);
            },
            cb,
          );
        });
      },
    });
    server.on('error', () => undefined);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.server.address();
    this.listeningPort = typeof addr === 'object' && addr ? addr.port : 0;
    return this.listeningPort;
  }

  private record(session: SMTPServerSession, data: Buffer): SinkTransaction {
    const mailFrom = session.envelope.mailFrom;
    return {
      host: this.id,
      peer: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      from: mailFrom ? mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      data,
      at: this.now(),
    };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
