// Wire-level pieces of the SMTP client: the reply queue (over policy/smtp-reply's parser). The
// DATA bytes are smtp(8)'s form of the spooled message: smtpWire() in policy/content.ts.
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
