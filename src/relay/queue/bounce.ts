// Non-delivery reports as Postfix's bounce(8) writes them (bounce_notify_util.c, with the
// post_mail() trace headers and the Message-Id cleanup adds): RFC 3464 multipart/report with the
// notification (text/plain; charset=utf-8, 8bit, recipients folded by line_wrap(79, 4)), the
// message/delivery-status part, and the returned message — the whole message as message/rfc822
// by default and with RET=FULL, its headers only (text/rfc822-headers) with RET=HDRS or when it
// is larger than bounce_size_limit — from MAILER-DAEMON@<myhostname> with the null sender.
// KSMG's "delayed reject" NDR (recipients a scan rule rejected after the session) has the same
// structure with KSMG's wording, so filters that parse DSNs parse it too. The success notice
// (bounce_trace_service.c: NOTIFY=SUCCESS through a next hop without DSN, "Action: relayed") too,
// always with the headers only.
import { queueFileSize } from '../../policy/content.js';
import { compactTime, localReceivedHeader, mailDate } from '../../policy/received.js';
import { BOUNCE_TEXTS } from '../../policy/replies.js';

export interface FailedRecipient {
  address: string;
  /** ORCPT as the client gave it, decoded ("rfc822;Bob@corp.example"). */
  orcpt?: string;
  /** RFC 3463 status, e.g. "5.1.1". */
  status: string;
  /** "failed" for bounces; "delayed" for warnings (not sent by default); "relayed" for success notices. */
  action?: 'failed' | 'delayed' | 'relayed';
  /** Remote-MTA name, when a next hop answered. */
  remoteMta?: string;
  /** The next hop's reply, for Diagnostic-Code: "550 5.1.1 <a>: User unknown". */
  diagnostic?: string;
  /** Postfix's reason text for the human part. */
  reason: string;
}

export interface BounceInput {
  hostname: string;
  /** The original message's queue id. */
  queueId: string;
  /** The bounce's own queue id (its Received: and Message-Id). */
  bounceId?: string;
  /** The original envelope sender (the bounce's recipient). */
  sender: string;
  arrivalTime: number;
  now: number;
  recipients: FailedRecipient[];
  /** The original message as spooled. */
  original: Buffer;
  /** ENVID and RET of the original (MAIL FROM). */
  envid?: string;
  ret?: string;
  /** The original asked for SMTPUTF8: message/global-* parts, as Postfix. */
  smtputf8?: boolean;
  /**
   * 'postfix' = Undelivered Mail Returned to Sender; 'ksmg' = delayed reject by a scan rule;
   * 'success' = Successful Mail Delivery Report (recipients with action "relayed").
   */
  kind?: NoticeKind;
}

export type NoticeKind = 'postfix' | 'ksmg' | 'success';

/** Postfix bounce_size_limit: a larger original is returned as headers only. */
export const BOUNCE_SIZE_LIMIT = 50_000;

/** RFC 5322 date as Postfix writes it (mail_date): `Tue,  1 Dec 2026 21:28:14 +0000 (UTC)`. */
export function rfc5322Date(ms: number): string {
  return mailDate(ms);
}

/** The header block of a message (without the blank line). */
export function headerBlock(message: Buffer): Buffer {
  const end = message.indexOf('\r\n\r\n');
  if (end >= 0) return message.subarray(0, end + 2);
  const lfEnd = message.indexOf('\n\n');
  return lfEnd >= 0 ? message.subarray(0, lfEnd + 1) : message;
}

/**
 * Postfix line_wrap(): break at blanks so lines stay within `len`, continuation lines indented
 * by `indent`; a word longer than the line is kept whole.
 */
export function lineWrap(str: string, len = 79, indent = 4): string[] {
  const out: string[] = [];
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
  let currIndent = 0;
  let currLen = len;
  let startLine = 0;
  let word: number | null = 0;
  while (word !== null) {
    let nextSpace: number = word;
    while (nextSpace < str.length && !isSpace(str[nextSpace])) nextSpace++;
    if (word > startLine && nextSpace - startLine > currLen) {
      let lineLen = word - startLine;
      while (lineLen > 0 && isSpace(str[startLine + lineLen - 1])) lineLen--;
      out.push(' '.repeat(currIndent) + str.slice(startLine, startLine + lineLen));
      while (word < str.length && isSpace(str[word])) word++;
      if (startLine === 0) {
        currIndent += indent;
        currLen -= indent;
      }
      startLine = word;
    }
    word = nextSpace < str.length ? nextSpace + 1 : null;
  }
  let lineLen = str.length - startLine;
  while (lineLen > 0 && isSpace(str[startLine + lineLen - 1])) lineLen--;
  out.push(' '.repeat(currIndent) + str.slice(startLine, startLine + lineLen));
  return out;
}

function statusLines(input: BounceInput): string[] {
  const lines = [`Reporting-MTA: dns; ${input.hostname}`];
  if (input.envid) lines.push(`Original-Envelope-Id: ${input.envid}`);
  lines.push(`X-Postfix-Queue-ID: ${input.queueId}`);
  if (input.sender) lines.push(`X-Postfix-Sender: ${addressType(input, input.sender)}; ${input.sender}`);
  lines.push(`Arrival-Date: ${mailDate(input.arrivalTime)}`);
  for (const r of input.recipients) {
    lines.push('', `Final-Recipient: ${addressType(input, r.address)}; ${r.address}`);
    // Postfix always reports Original-Recipient: the ORCPT, or the one smtpd recorded (rfc822;addr).
    lines.push(`Original-Recipient: ${r.orcpt ?? `rfc822;${r.address}`}`);
    lines.push(`Action: ${r.action ?? 'failed'}`, `Status: ${r.status}`);
    if (r.remoteMta) lines.push(...lineWrap(`Remote-MTA: dns; ${r.remoteMta}`));
    lines.push(...lineWrap(r.diagnostic ? `Diagnostic-Code: smtp; ${r.diagnostic}` : `Diagnostic-Code: X-Postfix; ${r.reason}`));
  }
  return lines;
}

function addressType(input: BounceInput, address: string): string {
  return input.smtputf8 && /[^\x00-\x7f]/.test(address) ? 'utf-8' : 'rfc822';
}

/** The lines of the original to return: everything, or the header block only. */
function returnedLines(original: Buffer, headersOnly: boolean): string[] {
  const text = original.toString('latin1');
  const lines = text.endsWith('\r\n') ? text.slice(0, -2).split('\r\n') : text.split('\r\n');
  if (!text) return [];
  if (!headersOnly) return lines;
  const out: string[] = [];
  for (const l of lines) {
    if (!(l[0] === ' ' || l[0] === '\t' || /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(l))) break;
    out.push(l);
  }
  return out;
}

/** The complete bounce message, CRLF line ends. */
export function buildBounce(input: BounceInput): Buffer {
  const kind = input.kind ?? 'postfix';
  const texts = BOUNCE_TEXTS[kind];
  const host = input.hostname;
  const bounceId = input.bounceId ?? input.queueId;
  const boundary = `${input.queueId}.${Math.floor(input.now / 1000)}/${host}`;
  const success = kind === 'success';
  const headersOnly = success || input.ret === 'HDRS' || queueFileSize(input.original) > BOUNCE_SIZE_LIMIT;
  const utf8 = !!input.smtputf8;
  const lines: string[] = [
    ...localReceivedHeader(host, bounceId, input.now).replace(/\r\n$/, '').split('\r\n'),
    `Date: ${mailDate(input.now)}`,
    `From: ${texts.from(host)}`,
    `Subject: ${texts.subject}`,
    `To: ${input.sender}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    `\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    `Message-Id: <${compactTime(input.now)}.${bounceId}@${host}>`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...texts.body(host),
  ];
  for (const r of input.recipients) lines.push('', ...lineWrap(`<${r.address}>: ${r.reason}`));
  lines.push('', `--${boundary}`, 'Content-Description: Delivery report', `Content-Type: message/${utf8 ? 'global-' : ''}delivery-status`);
  if (utf8) lines.push('Content-Transfer-Encoding: 8bit');
  lines.push('', ...statusLines(input));
  lines.push(
    '',
    `--${boundary}`,
    `Content-Description: ${success ? '' : 'Undelivered '}${headersOnly ? 'Message Headers' : 'Message'}`,
    `Content-Type: ${utf8 ? (headersOnly ? 'message/global-headers' : 'message/global') : headersOnly ? 'text/rfc822-headers' : 'message/rfc822'}`,
    'Content-Transfer-Encoding: 8bit',
    '',
    `Return-Path: <${input.sender}>`,
  );
  const head = Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
  const returned = returnedLines(input.original, headersOnly);
  const orig = Buffer.from(returned.length ? returned.join('\r\n') + '\r\n' : '', 'latin1');
  return Buffer.concat([head, orig, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
}
