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
//   _onClose()    – also releases the session's connection-limit slot and logs "disconnect".
// smtp-server's own send() is used with enhanced codes disabled (hideENHANCEDSTATUSCODES), so
// it writes exactly `code + " " + text` as we format it.
// ─────────────────────────────────────────────────────────────────────────────────────────────
import type net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import { formatReply, REPLIES, type Reply } from '../../policy/replies.js';
import { bareAddress } from '../../policy/client.js';
import type { TimerHandle } from '../clock.js';
import type { RelayContext } from './context.js';
import { SmtpSession, type Wire } from './session.js';
import { dispatchCommand } from './dispatch.js';
import { handleConnect, handleDisconnect } from './handlers/connect.js';

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
    this.smtp = new SmtpSession(ctx, this, { address: bareAddress(this.remoteAddress), port: this.remotePort });
  }

  override init(): void {
    this._setListeners(() => {
      this._resetSession();
      this._ready = true;
      this._socket.on('data', () => this.armIdle());
      this.armIdle();
      handleConnect(this.smtp);
    });
  }

  override _onTimeout(): void {
    // smtp-server's socket timeout is replaced by armIdle() on the Clock; keep this one quiet.
    if (this._closing) this._socket.destroy();
  }

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
    dispatchCommand(this.smtp, decodeCommand(command.subarray(0, LINE_LENGTH_LIMIT)))
      .catch((err: unknown) => {
        this.ctx.logger.info(`warning: ${this.smtp.namaddr}: internal error: ${(err as Error).message}`);
        if (!this._closing) this.reply(REPLIES.internalError());
      })
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
        this.release(cmd);
      });
  }

  /** Lets the parser go on reading after `cmd` (once). */
  private release(cmd: { next: (() => void) | null }): void {
    const next = cmd.next;
    cmd.next = null;
    if (next) this._whenWritable(next);
  }

  // ── Wire ───────────────────────────────────────────────────────────────────────────────────

  reply(r: Reply, opts: { countsAsError?: boolean } = {}): void {
    if (opts.countsAsError !== false) this.smtp.errors.record(r.code);
    this.smtp.lastReplyCode = r.code;
    if (r.code === 221 || r.code === 421) this.smtp.endedByServer = true;
    // Postfix keeps enhanced status codes in replies even when ENHANCEDSTATUSCODES is not announced.
    const line = formatReply(r);
    const sp = line.indexOf(' ');
    this.send(r.code, sp === -1 ? null : line.slice(sp + 1), false);
  }

  replyLines(code: number, lines: string[]): void {
    this.smtp.lastReplyCode = code;
    this.send(code, lines, false);
  }

  receiveData(): Promise<Buffer | null> {
    const parser = this._parser;
    if (!parser) return Promise.resolve(null);
    // No byte limit in the parser: we count and decide ourselves after the final dot.
    const stream = parser.startDataMode(0);
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
        const data = Buffer.concat(chunks);
        Object.defineProperty(data, 'receivedBytes', { value: total });
        resolve(data);
      });
      stream.on('error', () => resolve(null));
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
      this.ctx.logger.info(`timeout after ${this.smtp.lastCommand ?? 'CONNECT'} from ${this.smtp.namaddr}`);
      this.reply(REPLIES.timeout(this.ctx.config.mta.hostname));
      this.close();
    });
  }
}

const LINE_LENGTH_LIMIT = 2048;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 when it is valid (SMTPUTF8 addresses), else byte-for-byte latin1 (8-bit clean). */
function decodeCommand(b: Buffer): string {
  try {
    return utf8.decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/** SMTPServer whose connections are PostfixConnections. */
export class PostfixSmtpServer extends SMTPServer {
  constructor(private readonly ctx: RelayContext) {
    super({
      // Our handlers do everything; these only keep smtp-server's own machinery quiet.
      name: ctx.config.mta.hostname,
      hideENHANCEDSTATUSCODES: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      hideSTARTTLS: true,
      socketTimeout: 2_147_483_647,
      // Overlong lines are truncated to line_length_limit in _onCommand, as Postfix does.
      maxCommandLength: 1024 * 1024,
      closeTimeout: 2_147_483_647,
      logger: false,
    });
  }

  override connect(socket: net.Socket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new PostfixConnection(this, socket, socketOptions, this.ctx);
    this.connections.add(connection);
    connection.on('error', () => undefined);
    connection.init();
  }
}
