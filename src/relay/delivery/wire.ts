// Wire-level pieces of the SMTP client: the reply queue (over policy/smtp-reply's parser) and the
// DATA encoder.
import { SmtpReplyParser, type SmtpReply } from '../../policy/smtp-reply.js';

export type { SmtpReply };

/** Replies from the socket, handed out in order to whoever awaits next(). */
export class ReplyReader {
  private parser = new SmtpReplyParser();
  private replies: SmtpReply[] = [];
  private waiters: Array<{ resolve: (r: SmtpReply) => void; reject: (e: Error) => void }> = [];
  private closed: Error | null = null;

  feed(chunk: string): void {
    for (const r of this.parser.feed(chunk)) {
      const w = this.waiters.shift();
      if (w) w.resolve(r);
      else this.replies.push(r);
    }
  }

  /** Replies nobody asked for yet (e.g. a 421 the server sent to an idle connection). */
  get buffered(): number {
    return this.replies.length + (this.parser.pending ? 1 : 0);
  }

  next(): Promise<SmtpReply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  close(err: Error): void {
    this.closed ??= err;
    for (const w of this.waiters.splice(0)) w.reject(this.closed);
  }
}

/**
 * The message as it goes on the wire: dot-stuffed, ending in CRLF. Bare CR or LF (which the
 * receiving side already normalises) become CRLF here too, so the relay never forwards an SMTP
 * smuggling sequence; for a normalised message this is byte-for-byte the spooled data.
 */
export function toWireData(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let atLineStart = true;
  let i = 0;
  const n = data.length;
  if (n === 0) return Buffer.alloc(0);
  // Walk line by line with indexOf so a 20 MB message costs one pass in native code.
  while (i < n) {
    if (atLineStart && data[i] === 0x2e) {
      parts.push(data.subarray(start, i), DOT_BYTE);
      start = i;
    }
    const lf = data.indexOf(0x0a, i);
    const cr = data.indexOf(0x0d, i);
    if (lf < 0 && cr < 0) break;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (data[cr + 1] === 0x0a) {
        i = cr + 2;
      } else {
        parts.push(data.subarray(start, cr), CRLF); // bare CR
        i = cr + 1;
        start = i;
      }
    } else {
      parts.push(data.subarray(start, lf), CRLF); // bare LF
      i = lf + 1;
      start = i;
    }
    atLineStart = true;
  }
  if (start < n) parts.push(data.subarray(start));
  const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const endsCrlf = out.length >= 2 && out[out.length - 2] === 0x0d && out[out.length - 1] === 0x0a;
  return endsCrlf ? out : Buffer.concat([out, CRLF]);
}

const CRLF = Buffer.from('\r\n', 'latin1');
const DOT_BYTE = Buffer.from('.', 'latin1');
