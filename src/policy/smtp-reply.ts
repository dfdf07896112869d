// The one SMTP reply parser (RFC 5321 §4.2): "ddd-text" continuation lines up to a final
// "ddd text" (or a bare "ddd"). Pure: the lab's client, the relay's delivery client and the tests'
// raw socket feed it the bytes they read (latin1) and take whole replies out.

export interface SmtpReply {
  /** The reply code; 0 for a line that has none (garbage from the peer, or no reply at all). */
  code: number;
  /** RFC 3463 status when the reply carries one, e.g. "5.1.1"; "" otherwise. */
  enhanced: string;
  /** The text of each line without its "250-" / "250 " prefix. */
  lines: string[];
  /** The reply as one line, continuation lines joined by a space: "550 5.1.1 <a>: User unknown". */
  text: string;
  /** The reply as received, CRLF removed, lines joined by "\n": "250-gw.example\n250 SIZE 1000". */
  raw: string;
}

/** One reply from its lines as received (without CRLF). */
export function replyFromLines(received: readonly string[]): SmtpReply {
  const last = received[received.length - 1] ?? '';
  const code = /^\d{3}/.test(last) ? Number(last.slice(0, 3)) : 0;
  const lines = received.map((l) => l.slice(4).trim());
  const enh = lines[0]?.match(/^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)/);
  return { code, enhanced: enh ? enh[1]! : '', lines, text: `${code} ${lines.join(' ')}`.trim(), raw: received.join('\n') };
}

/** Incremental parser: feed() what the socket gave, get the replies it completed. */
export class SmtpReplyParser {
  private buf = '';
  private lines: string[] = [];

  feed(chunk: string): SmtpReply[] {
    this.buf += chunk;
    const done: SmtpReply[] = [];
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      this.lines.push(line);
      if (!/^\d{3}-/.test(line)) {
        done.push(replyFromLines(this.lines));
        this.lines = [];
      }
    }
    return done;
  }

  /** Bytes of a reply that has not ended yet. */
  get pending(): boolean {
    return this.lines.length > 0 || this.buf.length > 0;
  }
}
