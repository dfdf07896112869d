// A raw SMTP client for scenarios: it sends exactly the bytes it is given (XCLIENT, bare LF,
// smuggling sequences), which nodemailer cannot, and keeps a transcript for failure reports.
// After a 220 to STARTTLS, startTls() runs the handshake on the same connection.
import net from 'node:net';
import tls from 'node:tls';
import { SmtpReplyParser, type SmtpReply } from '../policy/smtp-reply.js';

export type { SmtpReply };

const NO_REPLY_TEXT = '<no reply: connection closed or timed out>';
export const NO_REPLY: SmtpReply = { code: 0, enhanced: '', lines: [NO_REPLY_TEXT], text: NO_REPLY_TEXT, raw: NO_REPLY_TEXT };

/** What a STARTTLS handshake gave: the session and the server's certificate. */
export interface TlsInfo {
  protocol: string;
  cipher: string;
  /** The certificate's subject CN, its DNS/IP subjectAltNames, validity and whether it is self-signed. */
  certificate: {
    subject: string;
    altNames: string[];
    validFrom: string;
    validTo: string;
    selfSigned: boolean;
    /** Whether the chain verified against the system's CAs (and why not). */
    authorized: boolean;
    authorizationError?: string;
  } | null;
}

export class SmtpClient {
  readonly transcript: string[] = [];
  private parser = new SmtpReplyParser();
  private replies: SmtpReply[] = [];
  private waiters: Array<(r: SmtpReply) => void> = [];
  private closed = false;

  private constructor(
    private socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    this.listen(socket);
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    const end = () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(NO_REPLY);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  /** The session is inside TLS (startTls() succeeded). */
  get secure(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  /**
   * The TLS handshake after the server's 220 to STARTTLS. Any certificate is accepted (a
   * gateway's self-signed one too): the result says what it was. Replies the server sent in
   * plaintext after the 220 are dropped, as a careful client must (RFC 3207 §4.2).
   */
  startTls(servername?: string): Promise<TlsInfo> {
    const raw = this.socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    this.parser = new SmtpReplyParser();
    this.replies = [];
    return new Promise((resolve, reject) => {
      const sock = tls.connect({
        socket: raw,
        rejectUnauthorized: false,
        ...(servername && net.isIP(servername) === 0 ? { servername } : {}),
      });
      const timer = setTimeout(() => {
        sock.destroy();
        fail(new Error(`TLS handshake did not finish within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.transcript.push(`   (TLS handshake failed: ${e.message})`);
        this.closed = true;
        for (const w of this.waiters.splice(0)) w(NO_REPLY);
        reject(e);
      };
      sock.once('error', fail);
      sock.once('secureConnect', () => {
        clearTimeout(timer);
        sock.removeListener('error', fail);
        this.socket = sock;
        this.listen(sock);
        const info = tlsInfo(sock);
        this.transcript.push(`   (TLS: ${info.protocol} ${info.cipher})`);
        resolve(info);
      });
    });
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

function tlsInfo(sock: tls.TLSSocket): TlsInfo {
  const peer = sock.getPeerCertificate();
  const has = peer && Object.keys(peer).length > 0;
  const alt = (peer?.subjectaltname ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''));
  const cn = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
  return {
    protocol: sock.getProtocol() ?? 'TLS',
    cipher: sock.getCipher()?.name ?? 'unknown',
    certificate: has
      ? {
          subject: cn(peer.subject?.CN),
          altNames: alt,
          validFrom: peer.valid_from,
          validTo: peer.valid_to,
          selfSigned: JSON.stringify(peer.subject) === JSON.stringify(peer.issuer),
          authorized: sock.authorized,
          ...(sock.authorizationError ? { authorizationError: String(sock.authorizationError) } : {}),
        }
      : null,
  };
}

/** CR/LF/NUL and other control bytes made visible, long payloads shortened. */
export function escapeForTranscript(s: string): string {
  const shown = s.length > 300 ? `${s.slice(0, 200)}…[${s.length} bytes]…${s.slice(-60)}` : s;
  return shown.replace(/[\x00-\x1f\x7f]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
