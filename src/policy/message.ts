// What happens to the message bytes between the final dot and the spool: smuggling-safe
// line-end normalisation (smtpd_forbid_bare_newline = normalize), the size limit and the
// Received: header Postfix prepends. Pure.
import type { Config } from '../config/schema.js';
import { receivedHeader as formatReceived, type ReceivedInput as TraceReceivedInput } from './received.js';

/**
 * Normalises every bare LF and bare CR to CRLF, and drops a "." line that ends in or follows a
 * bare line end, as Postfix's `smtpd_forbid_bare_newline = normalize` does: such a line would
 * otherwise become a real end-of-DATA at the next hop (SMTP smuggling).
 */
export function normaliseLineEnds(data: Buffer): Buffer {
  // Nearly every message already has CRLF only: then nothing changes (a "." line is dropped only
  // next to a bare line end), and native indexOf scans are far cheaper than the byte loop below.
  if (onlyCrlf(data)) return data;
  const out: Buffer[] = [];
  let start = 0;
  let prevBare = false;
  const pushLine = (line: Buffer, bare: boolean, hasEnd: boolean) => {
    const isDot = line.length === 1 && line[0] === 0x2e;
    if (isDot && (bare || prevBare)) {
      prevBare = bare;
      return;
    }
    out.push(line);
    if (hasEnd) out.push(CRLF);
    prevBare = bare;
  };
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    if (c === 0x0d && data[i + 1] === 0x0a) {
      pushLine(data.subarray(start, i), false, true);
      i += 2;
      start = i;
    } else if (c === 0x0a || c === 0x0d) {
      pushLine(data.subarray(start, i), true, true);
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start < data.length) pushLine(data.subarray(start), false, false);
  return Buffer.concat(out);
}

const CRLF = Buffer.from('\r\n');

/** Every CR is followed by LF and every LF follows a CR. */
function onlyCrlf(data: Buffer): boolean {
  for (let i = data.indexOf(0x0d); i >= 0; i = data.indexOf(0x0d, i + 2)) if (data[i + 1] !== 0x0a) return false;
  for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) if (i === 0 || data[i - 1] !== 0x0d) return false;
  return true;
}

/** true when the message content exceeds message_size_limit (0 = unlimited). */
export function tooBig(config: Config, bytes: number): boolean {
  const limit = config.mta.messageSizeLimit;
  return limit > 0 && bytes > limit;
}

// The trace headers live in ./received.ts; these keep the older names working.
export { mailDate, quoteLocal } from './received.js';

/** The Received: header's input without $myhostname, which comes from the config. */
export type ReceivedInput = Omit<TraceReceivedInput, 'hostname'>;

/** smtpd's Received: header for this config's $myhostname (see received.ts). */
export function receivedHeader(config: Config, r: ReceivedInput): string {
  return formatReceived({ ...r, hostname: config.mta.hostname });
}

/** Postfix's is_header(): a token that looks like `Name:` (a message header sent as a command). */
export function looksLikeHeader(command: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]+:/.test(command);
}

/** The greeting: smtpd_banner with $myhostname (and ${myhostname}) expanded. */
export function expandBanner(config: Config): string {
  return config.mta.advanced.greeting
    .replace(/\$\{myhostname\}|\$myhostname\b/g, config.mta.hostname)
    .replace(/\$\{mydomain\}|\$mydomain\b/g, config.mta.domain)
    .replace(/\$\{mail_name\}|\$mail_name\b/g, 'Postfix');
}

/** The Message-ID header value (first occurrence, unfolded), or '' — cleanup's `message-id=` log field. */
export function messageIdOf(data: Buffer): string {
  const end = data.indexOf('\r\n\r\n');
  const head = data.subarray(0, end === -1 ? Math.min(data.length, 65536) : end).toString('latin1');
  const m = head.match(/(?:^|\r\n)Message-ID:[ \t]*((?:[^\r\n]|\r\n[ \t])*)/i);
  return m ? m[1]!.replace(/\r\n[ \t]+/g, ' ').trim() : '';
}
