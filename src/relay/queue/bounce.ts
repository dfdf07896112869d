// Non-delivery reports as Postfix's bounce(8) writes them: RFC 3464 multipart/report with a human
// part, a message/delivery-status part and the returned message's headers, from
// MAILER-DAEMON@<myhostname> with the null envelope sender. Also KSMG's "delayed reject" NDR,
// same shape, for recipients a scan rule rejected after the session.
import { randomBytes } from 'node:crypto';

export interface FailedRecipient {
  address: string;
  orcpt?: string;
  /** RFC 3463 status, e.g. "5.1.1". */
  status: string;
  /** "failed" for bounces; "delayed" for warnings (not sent by default). */
  action?: 'failed' | 'delayed';
  /** Remote-MTA name, when a next hop answered. */
  remoteMta?: string;
  /** The next hop's reply, for Diagnostic-Code: "550 5.1.1 <a>: User unknown". */
  diagnostic?: string;
  /** Postfix's reason text for the human part. */
  reason: string;
}

export interface BounceInput {
  hostname: string;
  queueId: string;
  /** The original envelope sender (the bounce's recipient). */
  sender: string;
  arrivalTime: number;
  now: number;
  recipients: FailedRecipient[];
  /** The original message (its header block is returned). */
  original: Buffer;
  /** 'postfix' = Undelivered Mail Returned to Sender; 'ksmg' = delayed reject by a scan rule. */
  kind?: 'postfix' | 'ksmg';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in UTC: "Mon, 23 Nov 2026 09:38:58 +0000". */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The header block of a message (without the blank line). */
export function headerBlock(message: Buffer): Buffer {
  const end = message.indexOf('\r\n\r\n');
  if (end >= 0) return message.subarray(0, end + 2);
  const lfEnd = message.indexOf('\n\n');
  return lfEnd >= 0 ? message.subarray(0, lfEnd + 1) : message;
}

function xtext(address: string): string {
  // RFC 3461 xtext is only needed for ORCPT; Final-Recipient carries the address as is.
  return address;
}

function humanPart(input: BounceInput): string {
  const lines = input.kind === 'ksmg'
    ? [
        `This is the mail system at host ${input.hostname}.`,
        '',
        'Your message was scanned by Kaspersky Secure Mail Gateway and was rejected',
        'for one or more recipients by a content filtering rule. It was not delivered',
        'to the recipients listed below.',
        '',
        'For further assistance, please send mail to postmaster.',
        '',
        '                   The mail system',
      ]
    : [
        `This is the mail system at host ${input.hostname}.`,
        '',
        "I'm sorry to have to inform you that your message could not",
        'be delivered to one or more recipients. It\'s attached below.',
        '',
        'For further assistance, please send mail to postmaster.',
        '',
        'If you do so, please include this problem report. You can',
        'delete your own text from the attached returned message.',
        '',
        '                   The mail system',
      ];
  for (const r of input.recipients) lines.push('', `<${r.address}>: ${r.reason}`);
  return lines.join('\r\n') + '\r\n';
}

function statusPart(input: BounceInput): string {
  const fields = [
    `Reporting-MTA: dns; ${input.hostname}`,
    `X-Postfix-Queue-ID: ${input.queueId}`,
    `X-Postfix-Sender: rfc822; ${input.sender}`,
    `Arrival-Date: ${rfc5322Date(input.arrivalTime)}`,
  ];
  const blocks = [fields.join('\r\n')];
  for (const r of input.recipients) {
    const f = [`Final-Recipient: rfc822; ${xtext(r.address)}`];
    if (r.orcpt) f.push(`Original-Recipient: ${r.orcpt.replace(/^rfc822;\s*/i, 'rfc822; ')}`);
    f.push(`Action: ${r.action ?? 'failed'}`, `Status: ${r.status}`);
    if (r.remoteMta) f.push(`Remote-MTA: dns; ${r.remoteMta}`);
    if (r.diagnostic) f.push(`Diagnostic-Code: smtp; ${r.diagnostic}`);
    else f.push(`Diagnostic-Code: X-Postfix; ${r.reason}`);
    blocks.push(f.join('\r\n'));
  }
  return blocks.join('\r\n\r\n') + '\r\n';
}

/** The complete bounce message, CRLF line ends. */
export function buildBounce(input: BounceInput): Buffer {
  const boundary = `${input.queueId}.${Math.floor(input.now / 1000)}/${input.hostname}`;
  const msgId = `<${Math.floor(input.now / 1000)}.${randomBytes(4).toString('hex').toUpperCase()}@${input.hostname}>`;
  const subject = input.kind === 'ksmg' ? 'Message rejected by Kaspersky Secure Mail Gateway' : 'Undelivered Mail Returned to Sender';
  const head = [
    `Date: ${rfc5322Date(input.now)}`,
    `From: MAILER-DAEMON@${input.hostname} (Mail Delivery System)`,
    `Subject: ${subject}`,
    `To: ${input.sender}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    `Message-Id: ${msgId}`,
  ].join('\r\n');
  const headers = headerBlock(input.original);
  const parts = [
    `${head}\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n`,
    `--${boundary}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${humanPart(input)}\r\n`,
    `--${boundary}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n${statusPart(input)}\r\n`,
    `--${boundary}\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
  ];
  return Buffer.concat([Buffer.from(parts.join(''), 'utf8'), headers, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
}
