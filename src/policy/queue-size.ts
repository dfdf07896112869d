// message_size_limit as Postfix applies it: cleanup(8) limits the whole *queue file*
// (set_file_limit(message_size_limit)), not the message. The queue file holds the envelope
// (sender, each recipient with its original form, client attributes), the Received: header
// smtpd prepends, and the content as records (a line of up to 127 bytes costs its length + 2,
// like the CRLF it replaces; longer lines cost one byte more; lines are cut at
// line_length_limit = 2048). So a message a little under the limit is refused.
//
// The envelope cost below was measured against Postfix 3.7.11 (a 4000-byte limit, varying one
// field at a time; test/differential checks the result): it is exact to a few bytes, which is
// what matters for "a message just under message_size_limit is refused".
import type { Config } from '../config/schema.js';
import { knownBody, lineFacts } from './line-facts.js';

export interface QueueFileEnvelope {
  sender: string;
  recipients: readonly string[];
  /** HELO/EHLO name, '' when none was given. */
  helo: string;
  /** Client IP address as the session knows it. */
  clientAddress: string;
}

/** Record bytes of the content: per line (CRLF or bare LF ended), cut at 2048 bytes. */
export function contentRecordBytes(body: Buffer): number {
  const split = knownBody(body);
  if (split) return contentRecordBytesByLines(split.head) + split.body.contentRecordBytes;
  return lineFacts(body)?.contentRecordBytes ?? contentRecordBytesByLines(body);
}

/** contentRecordBytes() line by line: the definition, and what runs when lineFacts() does not answer. */
export function contentRecordBytesByLines(body: Buffer): number {
  let total = 0;
  let start = 0;
  const addLine = (len: number) => {
    do {
      const piece = Math.min(len, 2048);
      total += piece + (piece < 128 ? 2 : 3);
      len -= piece;
    } while (len > 0);
  };
  // memchr per line (Buffer#indexOf with a number), not a JS loop over every byte.
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) {
    const end = i > start && body[i - 1] === 0x0d ? i - 1 : i;
    addLine(end - start);
    start = i + 1;
  }
  if (start < body.length) addLine(body.length - start);
  return total;
}

/** The queue file's envelope and header overhead for this transaction (see the header comment). */
export function envelopeBytes(config: Config, env: QueueFileEnvelope): number {
  const ipv6 = env.clientAddress.includes(':');
  const client = 2 * env.clientAddress.length + (ipv6 ? 9 : 0);
  const sender = env.sender ? 2 * env.sender.length : 14;
  const helo = 3 * (env.helo || 'unknown').length;
  const rcpts = env.recipients.reduce((n, r) => n + 3 * Buffer.byteLength(r) + 27, 0);
  // Received: "for <rcpt>" only when there is one recipient.
  const single = env.recipients.length === 1 ? Buffer.byteLength(env.recipients[0]!) + 6 : 0;
  return 773 + config.mta.hostname.length + client + sender + helo + rcpts + single;
}

/** true when Postfix would refuse the message: "552 5.3.4 Error: message file too big". */
export function queueFileTooBig(config: Config, body: Buffer, env: QueueFileEnvelope): boolean {
  const limit = config.mta.messageSizeLimit;
  if (!limit) return false;
  return contentRecordBytes(body) + envelopeBytes(config, env) > limit;
}
