// A loopback next hop for the delivery comparisons: the recording sink (the lab's SmtpSink) with
// its exact wire transcript — the MAIL/RCPT lines with their parameters, the DATA bytes still
// dot-stuffed — offering the EHLO keywords it is given, and refusing recipients whose local part
// says so ("reject…" → 550, "defer…" → 450), so bounces and delays can be provoked. One sink per
// side (relay / Postfix), so what each sent can be told apart.
import { SmtpSink, type SinkExtensions, type WireTransaction } from '../../src/lab/sink.js';

export interface SinkTransaction {
  /** "MAIL FROM:<…> SIZE=…", "RCPT TO:<…> ORCPT=…", "DATA", then the data, or the verb that ended it (RSET/QUIT). */
  lines: string[];
}

export interface RawSink {
  port: number;
  transactions: SinkTransaction[];
  /** Resolves when `pred` holds for the recorded transactions, or after `ms`. */
  until(pred: (t: SinkTransaction[]) => boolean, ms: number): Promise<void>;
  close(): Promise<void>;
}

export const SINK_KEYWORDS = ['PIPELINING', 'SIZE 50000000', '8BITMIME', 'DSN', 'SMTPUTF8', 'ENHANCEDSTATUSCODES'];

function extensionsOf(keywords: string[]): SinkExtensions {
  const has = (k: string) => keywords.some((w) => w.split(' ')[0] === k);
  const size = keywords.find((w) => w.startsWith('SIZE'))?.split(' ')[1];
  return {
    pipelining: has('PIPELINING'),
    eightBitMime: has('8BITMIME'),
    smtpUtf8: has('SMTPUTF8'),
    enhancedStatusCodes: has('ENHANCEDSTATUSCODES'),
    dsn: has('DSN'),
    size: size ? Number(size) : 0,
  };
}

function rcptReply(addr: string): { code: number; text: string } | null {
  const local = addr.slice(0, addr.lastIndexOf('@')).replace(/^p\d+-/, '');
  if (/^reject/i.test(local)) return { code: 550, text: `5.1.1 <${addr}>: Recipient address rejected: User unknown` };
  if (/^defer/i.test(local)) return { code: 450, text: `4.2.0 <${addr}>: Recipient address rejected: try later` };
  return null;
}

/**
 * The transcript as lines. A DATA the sink refused (no recipient accepted: 503, as real servers
 * answer) ends the transaction with an empty message, as when a client sends DATA and then only
 * the final "." — both say "nothing was delivered here".
 */
function linesOf(t: WireTransaction): string[] {
  const lines = [...t.commands];
  if (t.commands.at(-1) === 'DATA') return [...lines, t.data ?? ''];
  if (t.end !== 'data' && t.end !== 'MAIL') lines.push(t.end);
  return lines;
}

export async function startRawSink(keywords: string[] = SINK_KEYWORDS): Promise<RawSink> {
  const sink = new SmtpSink({
    extensions: extensionsOf(keywords),
    rcpt: rcptReply,
    queued: () => 'Ok: queued as SINKQUEUEID',
    recordWire: true,
  });
  await sink.start();
  const transactions = () => sink.wire().map((t) => ({ lines: linesOf(t) }));
  return {
    port: sink.port,
    get transactions() {
      return transactions();
    },
    async until(pred, ms) {
      await sink.until(() => pred(transactions()), ms);
    },
    close: () => sink.close(),
  };
}
