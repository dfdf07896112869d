// ─────────────────────────────────────────────────────────────────────────────────────────────
// THE ONE PLACE WHERE smtp-server IS PATCHED.
//
// smtp-server gives us the listener, the socket bookkeeping and, most importantly, its SMTPStream
// parser: command lines, and a DATA mode in which only <CR><LF>.<CR><LF> ends the message (dot
// unstuffing included; see reference/node-ecosystem.md §2.3). Everything the client *sees* must be
// Postfix's, and smtp-server's own replies are not (its greeting is "220 name ESMTP banner", its
// texts say "Accepted", "Error: Not allowed", "Timeout - closing connection", its XCLIENT
// re-greets differently, SIZE is not enforced, onConnect is not re-run after XCLIENT…). So
// PostfixConnection subclasses SMTPConnection and replaces:
//   init()        – no 100 ms "early talker" wait, no reverse lookup, no onConnect: we greet
//                   (or refuse with 421) ourselves, through handlers/connect.ts;
//   _onCommand()  – the whole command dispatch: one handler per verb in ./handlers/, replies from
//                   src/policy/replies.ts only;
//   _onTimeout()  – disabled; the session timeout runs on the injected Clock (smtpd_timeout);
//   _onClose()    – also releases the session's connection-limit slot and logs "disconnect";
//   close()       – waits for replies still held by the tarpit.
// Replies are written by writeLines(), not smtp-server's send() (which goes silent once the
// client half-closed), in order, each delayed by smtpd_error_sleep_time past the soft error limit.
// A BDAT chunk is read by taking over the parser's data-mode feed for exactly `size` bytes
// (receiveChunk), so chunk bytes are never parsed as commands.
// ─────────────────────────────────────────────────────────────────────────────────────────────
import { joinWithHeadroom } from '../../policy/headroom.js';
import type net from 'node:net';
import type tls from 'node:tls';
import type { PostfixSmtpServer } from './server.js';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import { formatReply, REPLIES, type Reply } from '../../policy/replies.js';
import { bareAddress } from '../../policy/client.js';
import type { TimerHandle } from '../clock.js';
import type { RelayContext } from './context.js';
import { SmtpSession, type Wire } from './session.js';
import { dispatchCommand } from './dispatch.js';
import { rawDataMode } from './raw-data.js';
import { handleConnect, handleDisconnect } from './handlers/connect.js';

/** The parts of smtp-server's SMTPStream a BDAT chunk read takes over for a moment. */
interface ChunkParser {
  _dataMode: boolean;
  _continueCallback: (() => void) | boolean;
  _feedDataStream: (chunk: Buffer, done: (err?: Error) => void) => void;
  _write(chunk: Buffer, encoding: string, done: (err?: Error) => void): void;
}

export class PostfixConnection extends SMTPConnection implements Wire {
  readonly smtp: SmtpSession;
  private idleTimer: TimerHandle | null = null;
  private lastActivity = 0;
  private busy = false;
  private dataResolve: ((b: Buffer | null) => void) | null = null;
  /**
   * The command being handled and the parser's continuation for it. DATA releases it early (the
   * parser must feed the message), and the parser may then start the next pipelined command
   * before the DATA handler has returned, so each command keeps its own record.
   */
  private current: { next: (() => void) | null } | null = null;

  constructor(
    server: PostfixSmtpServer,
    socket: net.Socket,
    options: SMTPConnectionOptions | null | undefined,
    private readonly ctx: RelayContext,
  ) {
    super(server, socket, options);
    const own = socket.localAddress ? [bareAddress(socket.localAddress)] : [];
    this.smtp = new SmtpSession(ctx, this, { address: bareAddress(this.remoteAddress), port: this.remotePort }, own);
  }

  override init(): void {
    // Read the client's FIN without closing our side: a client that half-closes after the final
    // dot still gets its 250 (smtpd reads the EOF only when it looks for the next command).
    this._socket.allowHalfOpen = true;
    this._socket.on('end', () => this.onPeerEnd());
    this._setListeners(() => {
      this._resetSession();
      this._ready = true;
      this._socket.on('data', () => this.armIdle());
      this.armIdle();
      handleConnect(this.smtp);
    });
  }

  private onPeerEnd(): void {
    this.peerEnded = true;
    // In the middle of a message or chunk: the client is gone ("lost connection after DATA").
    const parser = this._parser as unknown as { _dataMode?: boolean } | false;
    if (this.dataResolve && parser && parser._dataMode) {
      this.dataResolve(null);
      this.dataResolve = null;
      this.close();
    } else if (!this.busy && !this._closing) {
      this.close();
    }
  }

  /** Between the 220 to STARTTLS and the end of the handshake. */
  private handshaking = false;

  startTls(): Promise<void> {
    // The 220 goes out in plaintext first; nothing the client sent can be read in between (the
    // client starts the handshake only once it has the 220).
    return this.output.then(() => {
      if (this._closing || this._closed) return;
      this.handshaking = true;
      tlsConnections.set(this.session, this);
      // smtp-server's upgrade() retires the parser that holds any plaintext pipelined after
      // STARTTLS (it drains without dispatching: CVE-2011-0411) and reads the TLS session with a
      // new one; on failure it destroys the socket (smtpd: "lost connection after STARTTLS").
      this.upgrade(() => undefined);
      const raw = this._socket;
      raw.once('error', (e: Error) => {
        if (this.handshaking) this.ctx.logger.info(`warning: TLS handshake failed from ${this.smtp.namaddr}: ${e.message}`);
      });
    });
  }

  /** The handshake is done: the session is now inside TLS (called from PostfixSmtpServer.onSecure). */
  tlsEstablished(socket: tls.TLSSocket): void {
    this.handshaking = false;
    this.smtp.tls = { protocol: socket.getProtocol() ?? 'TLS', cipher: socket.getCipher()?.name ?? 'unknown' };
    this.ctx.logger.info(
      `Anonymous TLS connection established from ${this.smtp.namaddr}: ${this.smtp.tls.protocol} with cipher ${this.smtp.tls.cipher}`,
    );
    socket.on('data', () => this.armIdle());
    socket.on('end', () => this.onPeerEnd());
    this.armIdle();
  }

  override _onTimeout(): void {
    // smtp-server's socket timeout is replaced by armIdle() on the Clock; keep this one quiet.
    if (this._closing) this._socket.destroy();
  }

  /**
   * No socket timeout: armIdle() on the Clock is the session's timeout, and smtp-server's is set to
   * 2^31 ms (never). A socket with a timeout re-arms its timer on every read and write.
   */
  override _armTimeout(): void {}

  override _onClose(): void {
    const wasClosed = this._closed;
    this.idleTimer?.cancel();
    this.dataResolve?.(null);
    this.dataResolve = null;
    super._onClose();
    if (!wasClosed) handleDisconnect(this.smtp);
  }

  override _onCommand(command: Buffer, callback?: () => void): void {
    const cmd = { next: callback ?? null };
    if (this._closing || this._closed) return this.release(cmd);
    this.current = cmd;
    this.busy = true;
    // line_length_limit (2048) with SMTP_GET_FLAG_SKIP: Postfix reads the first 2048 bytes of an
    // overlong command line and skips the rest.
    const line = decodeCommand(command.subarray(0, LINE_LENGTH_LIMIT));
    const run =
      line === null
        ? // "Safety: protect internal interfaces against malformed UTF-8" (smtpd_proto).
          Promise.resolve(this.reply(REPLIES.badUtf8()))
        : dispatchCommand(this.smtp, line);
    run
      .catch((err: unknown) => {
        this.ctx.logger.info(`warning: ${this.smtp.namaddr}: internal error: ${(err as Error).message}`);
        if (!this._closing) this.reply(REPLIES.internalError());
      })
      .then(() => this.output)
      .finally(() => {
        if (this.current === cmd) {
          this.current = null;
          this.busy = false;
        }
        this.armIdle();
        if (!this._closing && this.smtp.errors.exceeded()) {
          this.reply(REPLIES.tooManyErrors(this.ctx.config.mta.hostname));
          this.close();
        }
        // A client that half-closed is served to the end of what it sent, then disconnected.
        if (this.peerEnded && !this._closing && !this.busy) this.close();
        this.release(cmd);
      });
  }

  /** Replies not yet written (a tarpit delay holds them); commands wait for them, like smtpd's sleep. */
  private output: Promise<void> = Promise.resolve();
  /** The client shut down its sending side (half-close). */
  private peerEnded = false;

  override close(): void {
    // Pending (tarpitted) replies go out first.
    void this.output.then(() => super.close());
  }

  /** Lets the parser go on reading after `cmd` (once). */
  private release(cmd: { next: (() => void) | null }): void {
    const next = cmd.next;
    cmd.next = null;
    if (next) this._whenWritable(next);
  }

  // ── Wire ───────────────────────────────────────────────────────────────────────────────────

  reply(r: Reply, opts: { countsAsError?: boolean } = {}): void {
    // smtpd_soft_error_limit: once the session has that many errors, every reply waits
    // smtpd_error_sleep_time first (smtpd_chat_reply), on the injected clock.
    const tarpit = this.smtp.errors.tarpit();
    if (opts.countsAsError !== false) this.smtp.errors.record(r.code);
    this.smtp.lastReplyCode = r.code;
    if (r.code === 221 || r.code === 421 || r.code === 521) this.smtp.endedByServer = true;
    // Postfix keeps enhanced status codes in replies even when ENHANCEDSTATUSCODES is not announced.
    this.write(tarpit, () => this.writeLines([formatReply(r)]));
    // smtpd hangs up after any 421 or 521 reply.
    if (r.code === 421 || r.code === 521) this.close();
  }

  replyLines(code: number, lines: string[]): void {
    const tarpit = this.smtp.errors.tarpit();
    this.smtp.lastReplyCode = code;
    this.write(tarpit, () => this.writeLines(lines.map((l, i) => `${code}${i < lines.length - 1 ? '-' : ' '}${l}`)));
  }

  /**
   * Writes reply lines to the socket. Not smtp-server's send(): that one stays silent once the
   * client half-closed (readyState 'writeOnly'), and Postfix still answers then.
   */
  private writeLines(lines: string[]): void {
    const sock = this._socket;
    if (sock.destroyed || !sock.writable) return;
    // A reply line never carries a control character (they could split it).
    sock.write(`${lines.map((l) => l.replace(/[\x00-\x1f\x7f]/g, ' ')).join('\r\n')}\r\n`);
  }

  private write(delayMs: number, send: () => void): void {
    if (delayMs <= 0) {
      this.output = this.output.then(() => {
        if (!this._closed) send();
      });
      return;
    }
    this.output = this.output.then(
      () =>
        new Promise<void>((resolve) => {
          this.ctx.clock.setTimer(delayMs, () => {
            if (!this._closed) send();
            resolve();
          });
        }),
    );
  }

  receiveData(): Promise<Buffer | null> {
    const parser = this._parser;
    if (!parser) return Promise.resolve(null);
    // No byte limit in the parser: we count and decide ourselves after the final dot.
    const stream = parser.startDataMode(0);
    rawDataMode(parser); // still dot-stuffed: smtpd's line rules are applied in handlers/data.ts
    this._dataStream = stream;
    // The parser feeds the message only once the DATA command's continuation has run.
    if (this.current) this.release(this.current);
    const limit = this.ctx.config.mta.messageSizeLimit;
    return new Promise((resolve) => {
      this.dataResolve = resolve;
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      stream.on('data', (c: Buffer) => {
        total += c.length;
        // Past the limit the bytes are only counted: an oversized message is refused anyway.
        if (!limit || kept <= limit + 2) {
          chunks.push(c);
          kept += c.length;
        }
      });
      stream.on('end', () => {
        this._dataStream = false;
        this.dataResolve = null;
        const data = joinWithHeadroom(chunks);
        Object.defineProperty(data, 'receivedBytes', { value: total });
        resolve(data);
      });
      stream.on('error', () => resolve(null));
    });
  }

  /**
   * The next `size` bytes exactly as sent (a BDAT chunk: never parsed as commands), or null when
   * the client went away first. resumeAfterData() lets the parser go on afterwards.
   */
  receiveChunk(size: number): Promise<Buffer | null> {
    const parser = this._parser as unknown as ChunkParser | false;
    if (!parser) return Promise.resolve(null);
    if (this.current) this.release(this.current);
    if (size === 0) {
      parser._continueCallback = false;
      return Promise.resolve(Buffer.alloc(0));
    }
    return new Promise((resolve) => {
      const parts: Buffer[] = [];
      let got = 0;
      this.dataResolve = resolve;
      parser._dataMode = true;
      parser._feedDataStream = (chunk: Buffer, done: (err?: Error) => void) => {
        const take = chunk.subarray(0, size - got);
        parts.push(take);
        got += take.length;
        if (got < size) return done();
        // Back to command mode; what followed the chunk waits for resumeAfterData().
        delete (parser as Partial<ChunkParser>)._feedDataStream;
        parser._dataMode = false;
        const rest = chunk.subarray(take.length);
        parser._continueCallback = () => parser._write(rest, 'buffer', done);
        this.dataResolve = null;
        resolve(Buffer.concat(parts));
      };
    });
  }

  resumeAfterData(): void {
    this._transactionCounter++;
    if (this._parser) this._parser.continue();
  }

  // ── session timeout on the injected clock ─────────────────────────────────────────────────

  /**
   * Notes client activity. One timer per connection: when it fires early (activity since it was
   * set) it re-arms for the remainder, so a large message does not create a timer per TCP chunk.
   */
  private armIdle(): void {
    this.lastActivity = this.ctx.clock.now();
    if (!this.idleTimer) this.scheduleIdle(this.ctx.config.mta.advanced.sessionTimeout * 1000);
  }

  private scheduleIdle(ms: number): void {
    if (this._closing || this._closed || ms <= 0) return;
    this.idleTimer = this.ctx.clock.setTimer(ms, () => {
      this.idleTimer = null;
      if (this._closing || this._closed) return;
      const limit = this.ctx.config.mta.advanced.sessionTimeout * 1000;
      const idle = this.ctx.clock.now() - this.lastActivity;
      if (idle < limit) return this.scheduleIdle(limit - idle);
      // The client is waiting for us (a callout, the scanner, the spool): not its timeout.
      if (this.busy && !this.dataResolve) {
        this.lastActivity = this.ctx.clock.now();
        return this.scheduleIdle(limit);
      }
      if (this.handshaking) {
        // No plaintext reply can be written into a half-done handshake: smtpd just drops it.
        this._socket.destroy();
        return;
      }
      this.ctx.logger.info(`timeout after ${this.smtp.lastCommand ?? 'CONNECT'} from ${this.smtp.namaddr}`);
      this.reply(REPLIES.timeout(this.ctx.config.mta.hostname));
      this.close();
    });
  }
}

const LINE_LENGTH_LIMIT = 2048;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The command line as text, or null when it is not valid UTF-8 (smtputf8_enable = yes). */
function decodeCommand(b: Buffer): string | null {
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

/** Connections in a STARTTLS handshake, by smtp-server session (what onSecure is given: server.ts). */
export const tlsConnections = new WeakMap<object, PostfixConnection>();
