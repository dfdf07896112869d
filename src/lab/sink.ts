// A recording SMTP sink: an smtp-server on 127.0.0.1 that records every transaction a client opens
// to it (peer, EHLO, envelope with its parameters, the message bytes exactly as received, and on
// request the exact wire transcript) and answers like a real downstream server would. It is the
// lab's simulated host (unknown users get 550 5.1.1) and the tests' next hop alike; what differs
// is configured: the EHLO extensions it offers (PIPELINING, 8BITMIME, SMTPUTF8, DSN, SIZE,
// ENHANCEDSTATUSCODES, STARTTLS), replies per recipient or per message, and a scenario's script
// per attempt (sink-script.ts): a canned reply (451 for the first attempts or for a window of lab
// time, 550 for one recipient, 554 at connect), a slow answer, the connection dropped at a stage
// or in the middle of DATA; optionally only with a probability drawn from a seeded generator.
import type net from 'node:net';
import type { SMTPServer, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { REPLIES } from '../policy/replies.js';
import { PromptSmtpServer } from './prompt-smtp-server.js';
import { DEFAULT_SINK_SEED, seededRandom, type CannedReply, type SinkStage } from './sink-script.js';
import { WireRecorder, type WireTransaction } from './wire-transcript.js';

export { cannedFromSpec, DEFAULT_SINK_SEED, seededRandom, type CannedReply, type SinkStage } from './sink-script.js';
export type { WireTransaction } from './wire-transcript.js';

export interface SinkTransaction {
  /** Id of the sink (the simulated host) that received it. */
  host: string;
  /** Remote address of the TCP peer (the relay). */
  peer: string;
  helo: string;
  /** MAIL FROM; '' for the null sender. */
  from: string;
  /** MAIL FROM parameters as smtp-server parsed them (SIZE, BODY, RET, ENVID, SMTPUTF8). */
  mailArgs: Record<string, unknown>;
  /** Accepted RCPT TO addresses. */
  to: string[];
  /** Their parameters (NOTIFY, ORCPT), in the same order. */
  rcptArgs: Array<Record<string, unknown>>;
  /** Whether the session was under TLS. */
  secure: boolean;
  /** The message exactly as received (dot-stuffing undone). */
  data: Buffer;
  /** Sink time (the lab clock) of the end of DATA. */
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

/** A reply the sink gives instead of its normal answer; a text may start with its enhanced code. */
export interface SinkReply {
  code: number;
  text: string;
}

/** The EHLO extensions offered. Each is on unless turned off, except SIZE and DSN (off unless given). */
export interface SinkExtensions {
  pipelining?: boolean;
  eightBitMime?: boolean;
  smtpUtf8?: boolean;
  enhancedStatusCodes?: boolean;
  dsn?: boolean;
  /** SIZE with this limit (a larger message gets 552); 0 or absent: no SIZE and no limit. */
  size?: number;
}

/** Transport security the sink offers. */
export interface SinkTlsOptions {
  /** Offer STARTTLS, with smtp-server's built-in self-signed certificate unless key/cert are given. */
  starttls: boolean;
  /** PEM certificate (chain) and key the sink presents after STARTTLS (the lab's, or an untrusted one). */
  cert?: string;
  key?: string;
}

export interface SinkOptions {
  /** Id recorded with each transaction (the simulated host's id in the lab); default 'sink'. */
  id?: string;
  /** Name the sink greets with (its DNS name in the lab); default 'sink.test'. */
  hostname?: string;
  /** Text after "ESMTP" in the greeting. */
  banner?: string;
  /** Time source for `at`; defaults to Date.now. */
  now?: () => number;
  extensions?: SinkExtensions;
  tls?: SinkTlsOptions;
  /** Only these addresses exist (see setUsers); default everyone. */
  users?: Iterable<string> | null;
  /** Per recipient (after any canned reply): a reply instead of accepting it, or null. */
  rcpt?: (address: string) => SinkReply | null;
  /** Per message, once received: a reply instead of accepting it (not recorded then), or null. */
  data?: (tx: SinkTransaction) => SinkReply | null;
  /** The text of the 250 after DATA, given how many messages it has accepted with this one. */
  queued?: (count: number) => string;
  /** Idle time after which the sink says 421 and closes (smtp-server's socketTimeout). */
  idleTimeoutMs?: number;
  /** Record each connection's exact wire transcript (`wire()`). */
  recordWire?: boolean;
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
  /** Connections that have closed. */
  closed = 0;
  private users: Set<string> | null = null;
  private canned: Array<CannedReply & { used: number; random: (() => number) | null }> = [];
  private server: SMTPServer | null = null;
  private listeningPort = 0;
  private readonly now: () => number;
  private readonly sockets = new Set<net.Socket>();
  private readonly recorders: WireRecorder[] = [];
  private readonly watchers = new Set<() => void>();

  constructor(private readonly opts: SinkOptions = {}) {
    this.id = opts.id ?? 'sink';
    this.hostname = opts.hostname ?? 'sink.test';
    this.now = opts.now ?? Date.now;
    if (opts.users) this.setUsers(opts.users);
    // The transcript is read off the TCP socket: after STARTTLS it would be ciphertext.
    if (opts.recordWire && opts.tls?.starttls) throw new Error('SmtpSink: recordWire needs a sink without STARTTLS');
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
    this.recorders.length = 0;
    this.canned = [];
    this.connections = 0;
    this.closed = 0;
  }

  /** The wire transcript of every connection so far, in order (needs `recordWire`). */
  wire(): WireTransaction[] {
    return this.recorders.flatMap((r) => r.transactions());
  }

  /**
   * Resolves true as soon as `pred` holds (checked on every change: a message, a wire byte, a
   * reply, a close), false after `ms` without it.
   */
  until(pred: (sink: this) => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pred(this)) return;
        this.watchers.delete(check);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        resolve(false);
      }, ms);
      this.watchers.add(check);
      check();
    });
  }

  private changed(): void {
    for (const w of [...this.watchers]) w();
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

  /** smtp-server's options for the configured extensions and TLS. */
  private serverOptions(): Partial<SMTPServerOptions> {
    const ext = this.opts.extensions ?? {};
    const starttls = this.opts.tls?.starttls === true;
    return {
      hidePIPELINING: ext.pipelining === false,
      hide8BITMIME: ext.eightBitMime === false,
      hideSMTPUTF8: ext.smtpUtf8 === false,
      hideENHANCEDSTATUSCODES: ext.enhancedStatusCodes === false,
      hideDSN: ext.dsn !== true,
      size: ext.size ?? 0,
      disabledCommands: starttls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      hideSTARTTLS: !starttls,
      ...(starttls && this.opts.tls?.cert && this.opts.tls.key ? { cert: this.opts.tls.cert, key: this.opts.tls.key } : {}),
      ...(this.opts.idleTimeoutMs === undefined ? {} : { socketTimeout: this.opts.idleTimeoutMs }),
    };
  }

  async start(): Promise<number> {
    const server = new PromptSmtpServer({
      name: this.hostname,
      banner: this.opts.banner ?? 'ESMTP lab host',
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      ...this.serverOptions(),
      onConnect: (session, cb) => {
        this.connections++;
        this.act(this.cannedFor('connect'), session, () => cb(null), cb);
      },
      onClose: () => {
        this.closed++;
        this.changed();
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
            const scripted = this.opts.rcpt?.(to);
            if (scripted) {
              record(scripted.code);
              return cb(new ReplyError(scripted.code, scripted.text));
            }
            if (!this.hasUser(to)) {
              record(550);
              // A simulated internal server is a Postfix with local users: its words for an unknown one.
              const unknown = REPLIES.unknownLocalRecipient(to);
              return cb(new ReplyError(unknown.code, `${unknown.enhanced} ${unknown.text}`));
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
              const tx = this.record(session, message);
              const refused = this.opts.data?.(tx);
              if (refused) return cb(new ReplyError(refused.code, refused.text));
              this.transactions.push(tx);
              this.changed();
              cb(null, this.opts.queued?.(this.transactions.length) ?? `Ok: queued on ${this.hostname}`);
            },
            cb,
          );
        });
      },
    });
    server.observe = (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      if (!this.opts.recordWire) return null;
      const recorder = new WireRecorder();
      this.recorders.push(recorder);
      const touch =
        <A extends unknown[]>(f: (...a: A) => void) =>
        (...a: A) => (f(...a), this.changed());
      return {
        clientBytes: touch((chunk: Buffer) => recorder.clientBytes(chunk)),
        reply: touch((code: number) => recorder.reply(code)),
        closed: touch(() => recorder.close()),
      };
    };
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
      mailArgs: (mailFrom ? mailFrom.args || {} : {}) as Record<string, unknown>,
      to: session.envelope.rcptTo.map((r) => r.address),
      rcptArgs: session.envelope.rcptTo.map((r) => (r.args || {}) as Record<string, unknown>),
      secure: session.secure,
      data,
      at: this.now(),
    };
  }

  /** Stops listening and cuts the connections still open (as a host going away would). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
