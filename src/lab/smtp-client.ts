// A raw SMTP client for scenarios: it sends exactly the bytes it is given (XCLIENT, bare LF,
// smuggling sequences), which nodemailer cannot, and keeps a transcript for failure reports.
import net from 'node:net';
import { SmtpReplyParser, type SmtpReply } from '../policy/smtp-reply.js';

export type { SmtpReply };

const NO_REPLY_TEXT = '<no reply: connection closed or timed out>';
export const NO_REPLY: SmtpReply = { code: 0, enhanced: '', lines: [NO_REPLY_TEXT], text: NO_REPLY_TEXT, raw: NO_REPLY_TEXT };

export class SmtpClient {
  readonly transcript: string[] = [];
  private parser = new SmtpReplyParser();
  private replies: SmtpReply[] = [];
  private waiters: Array<(r: SmtpReply) => void> = [];
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    const end = () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(NO_REPLY);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  /** `localAddress` binds the client side (a probe speaking from one chosen address of this host). */
  static connect(host: string, port: number, timeoutMs = 10_000, localAddress?: string): Promise<SmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
      // An address that drops SYNs would otherwise hang the caller until the OS gives up.
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new SmtpClient(socket, timeoutMs));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** This side's address (what the server sees as the client, without NAT). */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onData(chunk: string): void {
    for (const reply of this.parser.feed(chunk)) {
      for (const l of reply.raw.split('\n')) this.transcript.push(`S: ${l}`);
      const w = this.waiters.shift();
      if (w) w(reply);
      else this.replies.push(reply);
    }
  }

  /** The next reply, or NO_REPLY when the server closed the connection or stayed silent. */
  read(): Promise<SmtpReply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.closed) return Promise.resolve(NO_REPLY);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        this.transcript.push(`   (no reply within ${this.timeoutMs} ms)`);
        resolve(NO_REPLY);
      }, this.timeoutMs);
      const done = (reply: SmtpReply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.waiters.push(done);
    });
  }

  /** Sends bytes as they are (latin1). The transcript shows control characters escaped. */
  writeRaw(data: string | Buffer, show?: string): void {
    if (this.closed) return;
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.transcript.push(`C: ${show ?? escapeForTranscript(buf.toString('latin1'))}`);
    this.socket.write(buf);
  }

  /** Sends buffers back to back without joining them (a message of megabytes is not copied again), shown as one line. */
  writeParts(parts: Buffer[], show: string): void {
    if (this.closed) return;
    this.transcript.push(`C: ${show}`);
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  send(line: string): void {
    if (this.closed) return;
    this.transcript.push(`C: ${escapeForTranscript(line)}`);
    this.socket.write(Buffer.from(`${line}\r\n`, 'latin1'));
  }

  command(line: string): Promise<SmtpReply> {
    this.send(line);
    return this.read();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 1000).unref();
    });
  }
}

/** CR/LF/NUL and other control bytes made visible, long payloads shortened. */
export function escapeForTranscript(s: string): string {
  const shown = s.length > 300 ? `${s.slice(0, 200)}…[${s.length} bytes]…${s.slice(-60)}` : s;
  return shown.replace(/[\x00-\x1f\x7f]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
