// The relay's SMTP client, written over net/tls rather than on nodemailer because nodemailer
// rewrites line endings and the relay must send the message byte-for-byte as spooled. One
// SmtpSession is one connection: greeting, EHLO (HELO fallback), STARTTLS as the next hop's TLS
// level says (./tls-policy.ts: none, may, encrypt, verify), then any number of transactions (the
// delivery layer caches idle sessions, RSET between them), QUIT.
//
// Socket timeouts are wall-clock (they guard real sockets); the queue's schedule runs on the
// injected Clock.
import net from 'node:net';
import tls from 'node:tls';
import { hostKind } from '../../config/net.js';
import { deliveryFacts, SMTP_LINE_LIMIT, smtpWire } from '../../policy/content.js';
import { quoteLocal } from '../../policy/received.js';
import { DELIVERY_TLS_TEXTS } from '../../policy/replies.js';
import { certificateVerified, tlsSemantics, type SessionTls } from './tls-policy.js';
import { ReplyReader, type SmtpReply } from './wire.js';

export { type SmtpReply };

export type SmtpStage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'mail' | 'rcpt' | 'data' | 'dot' | 'rset' | 'quit';

/** A session-level failure: the connection or a command before any recipient was settled. */
export class SmtpError extends Error {
  constructor(
    readonly stage: SmtpStage,
    message: string,
    readonly reply?: SmtpReply,
    /** A status the client decided itself (Postfix's SMTP_RESP_FAKE): TLS failures, "4.7.4". */
    readonly localStatus?: string,
    /** The handshake failed under "may": the same server may be tried again in plaintext. */
    readonly tlsHandshakeFailed = false,
  ) {
    super(message);
  }

  /** The server was reached and the failure was the client's own verdict (logged with relay=). */
  get byLocalMta(): boolean {
    return !!this.localStatus;
  }
  /**
   * Only a 5xx reply is permanent; connection problems and timeouts are temporary. A 5xx
   * greeting is not either: Postfix skips such a server (smtp_skip_5xx_greeting = yes) and, with
   * no server left, defers with the status's class turned into 4 (554 5.3.2 → dsn=4.3.2).
   */
  get permanent(): boolean {
    if (this.localStatus) return this.localStatus.startsWith('5');
    return !!this.reply && this.reply.code >= 500 && this.stage !== 'greeting';
  }

  /** The DSN status Postfix logs for this failure (a skipped 5xx greeting as 4.x.x). */
  get dsnStatus(): string {
    if (this.localStatus) return this.localStatus;
    const fallback = this.permanent ? '5.0.0' : this.stage === 'connect' ? '4.4.1' : '4.4.2';
    const enhanced = this.reply?.enhanced || (this.reply && this.reply.code >= 500 ? '5.0.0' : fallback);
    return this.stage === 'greeting' && enhanced.startsWith('5') ? `4${enhanced.slice(1)}` : enhanced;
  }
}

export interface SessionOptions {
  /** Address to connect to (already mapped through the route map). */
  host: string;
  port: number;
  /** Name to send in EHLO/HELO ($myhostname). */
  heloName: string;
  /** How logs name the peer: "mx1.example[10.0.0.25]:25" (the address before route mapping). */
  label?: string;
  /** TLS server name for SNI (the next hop's name), when it is a name. */
  servername?: string;
  /** The name the certificate must carry under "verify" (the MX or route host; default host). */
  verifyName?: string;
  /** false: never STARTTLS (the "none" level); overridden by `tls`. */
  starttls?: boolean;
  /** Verify the server certificate (the "verify" level without `tls`). */
  rejectUnauthorized?: boolean;
  /** The next hop's TLS level (default: may, or what starttls/rejectUnauthorized say). */
  tls?: SessionTls;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Waiting for the reply to the final dot (Postfix smtp_data_done_timeout). */
  dataDoneTimeoutMs?: number;
}

export interface EnvelopeRecipient {
  address: string;
  /** DSN NOTIFY values ("never" for always_bcc copies); sent only when the server offers DSN. */
  notify?: string[];
  /** ORCPT as the client gave it, decoded: "rfc822;Bob@corp.example". */
  orcpt?: string;
}

export interface Envelope {
  sender: string;
  recipients: EnvelopeRecipient[];
  envid?: string;
  ret?: string;
  /** BODY= the client declared (or an 8bit Content-Transfer-Encoding implied). */
  body?: '7BIT' | '8BITMIME';
  /** The client asked for SMTPUTF8. */
  smtputf8?: boolean;
  /** The data is MIME-downgraded for a next hop without 8BITMIME: smtp(8) announces no SIZE then. */
  downgraded?: boolean;
  /** The data cannot be sent (smtp_mime_fail): drop the connection after 354, as smtp(8) does. */
  abortData?: boolean;
}

export interface TransactionResult {
  mail: SmtpReply;
  /** Same order as envelope.recipients. */
  rcpt: SmtpReply[];
  /** Reply to the final dot; absent when no recipient was accepted. */
  data?: SmtpReply;
}

export class SmtpSession {
  private socket!: net.Socket;
  private reader = new ReplyReader();
  /** EHLO keywords offered (upper case), with their parameters. */
  readonly features = new Map<string, string>();
  secure = false;
  esmtp = true;
  /** The server's greeting, for logs. */
  greeting = '';
  private broken = false;

  private constructor(readonly opts: SessionOptions) {}

  static async open(opts: SessionOptions): Promise<SmtpSession> {
    const s = new SmtpSession(opts);
    try {
      await s.connect();
      await s.hello();
      await s.negotiateTls();
      return s;
    } catch (e) {
      s.destroy();
      throw e;
    }
  }

  get usable(): boolean {
    return !this.broken && !this.socket.destroyed && this.reader.buffered === 0;
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => this.reader.feed(d));
    socket.on('error', () => {
      /* surfaced through the reader on close */
    });
    socket.on('close', () => {
      this.broken = true;
      this.reader.close(new SmtpError('connect', 'lost connection'));
    });
  }

  private connect(): Promise<void> {
    const { host, port } = this.opts;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpError('connect', `connect to ${this.peer()}: Connection timed out`));
      }, this.opts.connectTimeoutMs ?? 30_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        this.attach(socket);
        resolve();
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new SmtpError('connect', `connect to ${this.peer()}: ${errnoText(e)}`));
      });
    });
  }

  /** Next reply, or an SmtpError after the command timeout. */
  private async read(stage: SmtpStage, timeoutMs = this.opts.commandTimeoutMs ?? 300_000): Promise<SmtpReply> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.reader.next().catch((e: unknown) => {
          throw e instanceof SmtpError ? new SmtpError(stage, `lost connection with ${this.peer()} while ${stageText(stage)}`) : e;
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            this.broken = true;
            reject(new SmtpError(stage, `conversation with ${this.peer()} timed out while ${stageText(stage)}`));
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new SmtpError('connect', `lost connection with ${this.peer()}`));
      this.socket.write(data, (e) => (e ? reject(new SmtpError('connect', `lost connection with ${this.peer()}`)) : resolve()));
    });
  }

  private async command(stage: SmtpStage, line: string): Promise<SmtpReply> {
    void this.write(line + '\r\n').catch(() => undefined);
    return this.read(stage);
  }

  private async hello(): Promise<void> {
    const greeting = await this.read('greeting');
    this.greeting = greeting.text;
    if (greeting.code !== 220) throw new SmtpError('greeting', `host ${this.peer()} refused to talk to me: ${greeting.text}`, greeting);
    await this.ehlo();
  }

  private async ehlo(): Promise<void> {
    this.features.clear();
    const ehlo = await this.command('ehlo', `EHLO ${this.opts.heloName}`);
    if (ehlo.code === 250) {
      for (const kw of ehlo.lines.slice(1)) {
        const [name, ...params] = kw.trim().split(/\s+/);
        if (name) this.features.set(name.toUpperCase(), params.join(' '));
      }
      // smtp_proto.c: a server offering SMTPUTF8 but not 8BITMIME is taken to support 8BITMIME.
      if (this.features.has('SMTPUTF8') && !this.features.has('8BITMIME')) this.features.set('8BITMIME', '');
      return;
    }
    const helo = await this.command('ehlo', `HELO ${this.opts.heloName}`);
    if (helo.code !== 250) throw new SmtpError('ehlo', `host ${this.peer()} refused to talk to me: ${helo.text}`, helo);
    this.esmtp = false;
  }

  private get tls(): SessionTls {
    if (this.opts.tls) return this.opts.tls;
    if (this.opts.starttls === false) return { level: 'none' };
    return { level: this.opts.rejectUnauthorized ? 'verify' : 'may' };
  }

  /** "host[address]" as Postfix's TLS texts name the server (namaddr, without the port). */
  private namaddr(): string {
    return this.peer().replace(/:\d+$/, '');
  }

  /** The STARTTLS block of smtp_helo(): send it when the level wants it, give up when TLS is required. */
  private async negotiateTls(): Promise<void> {
    const tlsOpts = this.tls;
    const { starttls, required } = tlsSemantics(tlsOpts);
    if (!starttls) return;
    if (this.features.has('STARTTLS') && !tlsOpts.engineUnavailable) {
      const r = await this.command('starttls', 'STARTTLS');
      if (r.code >= 200 && r.code < 300) return this.startTls();
      this.features.delete('STARTTLS');
      if (required) throw new SmtpError('starttls', DELIVERY_TLS_TEXTS.refused(this.namaddr(), r.raw.replace(/\n/g, ' ')), r);
      return; // opportunistic: carry on in plain text
    }
    if (!required) return;
    const t = this.features.has('STARTTLS') ? DELIVERY_TLS_TEXTS.engineUnavailable() : DELIVERY_TLS_TEXTS.notOffered(this.namaddr());
    await this.politeQuit();
    throw new SmtpError('starttls', t.text, undefined, t.status);
  }

  /** QUIT before giving up on a usable session, as smtp(8) does; errors do not matter. */
  private async politeQuit(): Promise<void> {
    try {
      await this.command('quit', 'QUIT');
    } catch {
      /* the server may be gone */
    }
  }

  private async startTls(): Promise<void> {
    const tlsOpts = this.tls;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    this.reader = new ReplyReader();
    const servername = this.opts.servername && hostKind(this.opts.servername) === 'name' ? this.opts.servername : undefined;
    const failed = DELIVERY_TLS_TEXTS.handshakeFailure();
    // The certificate is judged after the handshake (Postfix: TLS_CERT_IS_MATCHED), never by
    // aborting it, so an unverified server gets a QUIT and the "not verified" text.
    let onClose = () => undefined as void;
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      // `authorized` judges the chain only: the name is checked against the next hop's name
      // (certificateVerified), not against the address the route map dialled.
      const socket = tls.connect({
        socket: plain,
        servername,
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ...(tlsOpts.ca ? { ca: tlsOpts.ca } : {}),
      });
      const fail = () => {
        socket.destroy();
        plain.destroy();
        this.broken = true;
        reject(new SmtpError('starttls', failed.text, undefined, failed.status, tlsOpts.level === 'may'));
      };
      const timer = setTimeout(fail, this.opts.commandTimeoutMs ?? 300_000);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', () => {
        clearTimeout(timer);
        fail();
      });
      onClose = () => {
        clearTimeout(timer);
        fail();
      };
      plain.once('close', onClose);
    });
    plain.removeListener('close', onClose);
    this.attach(secure);
    this.secure = true;
    if (tlsSemantics(tlsOpts).verify && !certificateVerified(secure, this.opts.verifyName ?? this.opts.host)) {
      const t = DELIVERY_TLS_TEXTS.notVerified();
      await this.politeQuit();
      throw new SmtpError('starttls', t.text, undefined, t.status);
    }
    await this.ehlo();
  }

  /** MAIL FROM as smtp_proto.c builds it: SIZE, BODY, ENVID, RET, SMTPUTF8, in that order. */
  private mailCommand(env: Envelope, size: number): string {
    let cmd = `MAIL FROM:<${env.sender ? quoteLocal(env.sender) : ''}>`;
    if (this.features.has('SIZE') && !env.downgraded) cmd += ` SIZE=${size}`;
    if (this.features.has('8BITMIME')) {
      if (env.body === '8BITMIME') cmd += ' BODY=8BITMIME';
      else if (env.body === '7BIT') cmd += ' BODY=7BIT';
    }
    if (this.features.has('DSN')) {
      if (env.envid) cmd += ` ENVID=${xtextQuote(env.envid, '+=')}`;
      if (env.ret) cmd += ` RET=${env.ret.toUpperCase()}`;
    }
    if (this.features.has('SMTPUTF8') && env.smtputf8) cmd += ' SMTPUTF8';
    return cmd;
  }

  /** RCPT TO as smtp_proto.c builds it: ORCPT (always, when DSN is offered), then NOTIFY. */
  private rcptCommand(r: EnvelopeRecipient, smtputf8: boolean): string {
    let cmd = `RCPT TO:<${quoteLocal(r.address)}>`;
    if (this.features.has('DSN')) {
      cmd += ` ORCPT=${orcptParam(r, smtputf8)}`;
      if (r.notify?.length) cmd += ` NOTIFY=${notifyParam(r.notify)}`;
    }
    return cmd;
  }

  /**
   * One mail transaction. Recipient refusals are results, not errors; an SmtpError means the
   * whole transaction failed (MAIL refused, connection lost, DATA refused before any data).
   */
  async send(env: Envelope, data: Buffer): Promise<TransactionResult> {
    const lines = deliveryFacts(data);
    const wire = smtpWire(data, SMTP_LINE_LIMIT, lines.longest);
    const mailCmd = this.mailCommand(env, lines.size);
    const rcptCmds = env.recipients.map((r) => this.rcptCommand(r, !!env.smtputf8));
    let mail: SmtpReply;
    const rcpt: SmtpReply[] = [];
    let dataReply: SmtpReply | undefined;
    if (this.features.has('PIPELINING')) {
      // RFC 2920: MAIL, every RCPT and DATA in one write; DATA is the last command of the group.
      void this.write([mailCmd, ...rcptCmds, 'DATA', ''].join('\r\n')).catch(() => undefined);
      mail = await this.read('mail');
      for (let i = 0; i < rcptCmds.length; i++) rcpt.push(await this.read('rcpt'));
      dataReply = await this.read('data');
    } else {
      mail = await this.command('mail', mailCmd);
      if (mail.code === 250) for (const c of rcptCmds) rcpt.push(await this.command('rcpt', c));
    }
    if (mail.code !== 250) {
      if (dataReply?.code === 354) await this.finishData(Buffer.alloc(0));
      throw new SmtpError('mail', `host ${this.peer()} said: ${mail.text} (in reply to MAIL FROM command)`, mail);
    }
    const accepted = rcpt.some((r) => r.code >= 200 && r.code < 300);
    if (!dataReply && accepted) dataReply = await this.command('data', 'DATA');
    if (!dataReply) return { mail, rcpt };
    if (dataReply.code !== 354) {
      if (!accepted) return { mail, rcpt };
      throw new SmtpError('data', `host ${this.peer()} said: ${dataReply.text} (in reply to DATA command)`, dataReply);
    }
    // RFC 2920: 354 despite every RCPT refused — end the (empty) data and ignore the reply.
    if (!accepted) {
      await this.finishData(Buffer.alloc(0));
      return { mail, rcpt };
    }
    if (env.abortData) {
      this.destroy();
      return { mail, rcpt };
    }
    return { mail, rcpt, data: await this.finishData(wire) };
  }

  /**
   * Address probe (verify(8) through smtp(8)): MAIL FROM and one RCPT TO with the parameters a
   * delivery would carry (SIZE of the probe message, ORCPT), no DATA; the deciding reply.
   * The caller ends it with RSET, as smtp(8) does before caching the connection.
   */
  async probe(sender: string, address: string, size: number): Promise<{ reply: SmtpReply; stage: 'MAIL FROM' | 'RCPT TO' }> {
    // The probe message has no declared encoding, so without 8BITMIME it counts as downgraded: no SIZE=.
    const mail = await this.command('mail', this.mailCommand({ sender, recipients: [], downgraded: !this.features.has('8BITMIME') }, size));
    if (mail.code !== 250) return { reply: mail, stage: 'MAIL FROM' };
    return { reply: await this.command('rcpt', this.rcptCommand({ address }, false)), stage: 'RCPT TO' };
  }

  private async finishData(wire: Buffer): Promise<SmtpReply> {
    if (!wire.length) await this.write(DOT);
    else {
      // One writev of the message and the final dot: no copy of the whole message behind the dot.
      this.socket.cork();
      const written = Promise.all([this.write(wire), this.write(DOT)]);
      this.socket.uncork();
      await written;
    }
    return this.read('dot', this.opts.dataDoneTimeoutMs ?? 600_000);
  }

  /** RSET between transactions on a cached connection; false when the session is unusable. */
  async reset(): Promise<boolean> {
    if (!this.usable) return false;
    try {
      return (await this.command('rset', 'RSET')).code === 250;
    } catch {
      this.broken = true;
      return false;
    }
  }

  async quit(): Promise<void> {
    if (this.usable) {
      try {
        await this.command('quit', 'QUIT');
      } catch {
        /* the server may close first */
      }
    }
    this.destroy();
  }

  destroy(): void {
    this.broken = true;
    this.socket?.destroy();
  }

  /** "host[ip]:port" for logs — the address actually dialled. */
  peer(): string {
    return this.opts.label ?? describe(this.opts.host, this.opts.port);
  }
}

const DOT = Buffer.from('.\r\n', 'latin1');

function describe(host: string, port: number): string {
  return `${host}[${host}]:${port}`;
}

function stageText(stage: SmtpStage): string {
  const map: Record<SmtpStage, string> = {
    connect: 'connecting',
    greeting: 'receiving the initial server greeting',
    ehlo: 'performing the EHLO handshake',
    starttls: 'performing the STARTTLS handshake',
    mail: 'sending MAIL FROM',
    rcpt: 'sending RCPT TO',
    data: 'sending DATA command',
    dot: 'sending message body',
    rset: 'sending RSET',
    quit: 'sending QUIT',
  };
  return map[stage];
}

function errnoText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'EHOSTUNREACH':
      return 'No route to host';
    case 'ENETUNREACH':
      return 'Network is unreachable';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    case 'ECONNRESET':
      return 'Connection reset by peer';
    default:
      return e.message;
  }
}

/** Postfix xtext_quote(): '+', controls, space, non-ASCII and the `special` characters as +XX. */
export function xtextQuote(s: string, special: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b !== 0x2b && b > 32 && b < 127 && !special.includes(c) ? c : `+${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 6533 utf-8-addr-xtext, as Postfix uxtext_quote() with specials "+=". */
function uxtextQuote(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += cp > 32 && cp < 127 && ch !== '+' && ch !== '=' && ch !== '\\' ? ch : `\\x{${cp.toString(16).toUpperCase()}}`;
  }
  return out;
}

/**
 * ORCPT=: the client's, else what smtpd records for every recipient, rfc822;<the address>
 * (xtext of its bytes, even for a UTF-8 address); a client's utf-8 type stays utf-8.
 */
export function orcptParam(r: EnvelopeRecipient, _smtputf8: boolean): string {
  const value = r.orcpt ?? `rfc822;${quoteLocal(r.address)}`;
  return /^utf-8;/i.test(value) ? uxtextQuote(value) : xtextQuote(value, '=');
}

const NOTIFY_ORDER = ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'];

/** NOTIFY= words in Postfix's order (dsn_notify_str). */
function notifyParam(notify: string[]): string {
  const upper = new Set(notify.map((n) => n.toUpperCase()));
  return NOTIFY_ORDER.filter((n) => upper.has(n)).join(',');
}
