// A simulated SMTP host of the lab: an smtp-server on 127.0.0.1 that records every transaction
// the relay opens to it (peer, EHLO, envelope, raw bytes exactly as received) and answers like a
// real downstream server would: unknown users get 550 5.1.1, and a scenario can make it answer a
// canned reply (451 for the first attempts or for a window of lab time, 550, a reject at connect).
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
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
  code: number;
  text: string;
  /** Only for the first N attempts at that stage (then normal behaviour). */
  times?: number;
  /** Only while the lab clock is before this time (ms). */
  until?: number;
}

export interface SinkOptions {
  id: string;
  /** Name the sink greets with (its DNS name in the lab). */
  hostname: string;
  /** Lab time source; defaults to Date.now. */
  now?: () => number;
}

class ReplyError extends Error {
  constructor(readonly responseCode: number, message: string) {
    super(message);
  }
}

export class SmtpSink {
  readonly id: string;
  readonly hostname: string;
  readonly transactions: SinkTransaction[] = [];
  readonly rcpts: SinkRcpt[] = [];
  /** Connections accepted (including refused-at-connect ones). */
  connections = 0;
  private users: Set<string> | null = null;
  private canned: Array<CannedReply & { used: number }> = [];
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
    this.canned.push({ ...reply, used: 0 });
  }

  /** Forget transactions and canned replies (users stay: they come from the config). */
  reset(): void {
    this.transactions.length = 0;
    this.rcpts.length = 0;
    this.canned = [];
    this.connections = 0;
  }

  private cannedFor(stage: SinkStage): CannedReply | null {
    for (const c of this.canned) {
      if (c.stage !== stage) continue;
      if (c.until !== undefined && this.now() >= c.until) continue;
      if (c.times !== undefined && c.used >= c.times) continue;
      c.used++;
      return c;
    }
    return null;
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
      onConnect: (_session, cb) => {
        this.connections++;
        const c = this.cannedFor('connect');
        cb(c ? new ReplyError(c.code, c.text) : null);
      },
      onMailFrom: (_address, _session, cb) => {
        const c = this.cannedFor('mail');
        cb(c ? new ReplyError(c.code, c.text) : null);
      },
      onRcptTo: (address, session, cb) => {
        const to = address.address;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const c = this.cannedFor('rcpt');
        let err: ReplyError | null = null;
        if (c) err = new ReplyError(c.code, c.text);
        else if (!this.hasUser(to)) {
          err = new ReplyError(550, `<${to}>: Recipient address rejected: User unknown in local recipient table`);
        }
        this.rcpts.push({ host: this.id, from, to, code: err ? err.responseCode : 250, at: this.now() });
        cb(err);
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          const c = this.cannedFor('data');
          if (c) return cb(new ReplyError(c.code, c.text));
          this.transactions.push(this.record(session, Buffer.concat(chunks)));
          cb(null, `Ok: queued on ${this.hostname}`);
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
