// Trace headers exactly as Postfix writes them: mail_date() (global/mail_date.c), the Received:
// header smtpd prepends (smtpd.c data_cmd) and the one bounce(8)/post_mail() writes for mail the
// gateway generates itself. Pure.
import { rfcAddress } from './client.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Postfix's mail_date() in UTC: strftime "%a, %e %b %Y %H:%M:%S" (the day space-padded, so
 * `Tue,  1 Dec 2026 …`), the offset, and the zone name in parentheses.
 */
export function mailDate(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${String(d.getUTCDate()).padStart(2, ' ')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 (UTC)`
  );
}

/** strftime "%Y%m%d%H%M%S" in UTC, the time part of the Message-Id cleanup and bounce(8) make. */
export function compactTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** Postfix quote_822_local: quote a local part that is not a dot-atom. */
export function quoteLocal(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at === -1 ? address : address.slice(0, at);
  const rest = at === -1 ? '' : address.slice(at);
  const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\uffff-]+)*$/;
  if (local === '' || atom.test(local)) return address;
  return `"${local.replace(/(["\\])/g, '\\$1')}"${rest}`;
}

export interface ReceivedInput {
  /** $myhostname. */
  hostname: string;
  /** HELO/EHLO argument (or XCLIENT HELO=); null when none was given. */
  helo: string | null;
  /** Client name as Postfix knows it ("unknown" without reverse DNS). */
  clientName: string;
  clientAddress: string;
  /** "SMTP" or "ESMTP" (HELO, EHLO or XCLIENT PROTO=). */
  protocol: string;
  /** The client asked for SMTPUTF8 at MAIL FROM: Postfix then says "with UTF8SMTP". */
  smtputf8?: boolean;
  /** TLS was in use (RFC 3848 "S", ESMTP only). */
  tls?: boolean;
  /** SASL (or XCLIENT LOGIN=) authenticated (RFC 3848 "A", ESMTP only). */
  authenticated?: boolean;
  queueId: string;
  /** The accepted recipients; the `for <…>` clause names the first when there is exactly one. */
  recipients: string[];
  arrival: number;
}

/** What follows "with" in smtpd's Received: header: ESMTP, ESMTPS, ESMTPA, ESMTPSA, UTF8SMTP, UTF8SMTPSA, SMTP… */
export function withProtocol(r: Pick<ReceivedInput, 'protocol' | 'smtputf8' | 'tls' | 'authenticated'>): string {
  const esmtp = r.protocol === 'ESMTP';
  return (r.smtputf8 ? 'UTF8SMTP' : r.protocol) + (r.tls && esmtp ? 'S' : '') + (r.authenticated && esmtp ? 'A' : '');
}

/**
 * The Received: header smtpd writes, folded with a tab like Postfix:
 *   Received: from HELO (NAME [IP])
 *   \tby myhostname (Postfix) with ESMTP id ID
 *   \tfor <rcpt>; DATE                     (exactly one accepted recipient)
 * or, with several recipients, `id ID;` and the date on its own line.
 */
export function receivedHeader(r: ReceivedInput): string {
  const lines = [`Received: from ${r.helo ? r.helo : r.clientName} (${r.clientName} [${rfcAddress(r.clientAddress)}])`];
  const by = `\tby ${r.hostname} (Postfix) with ${withProtocol(r)} id ${r.queueId}`;
  if (r.recipients.length === 1) {
    lines.push(by, `\tfor <${quoteLocal(r.recipients[0]!)}>; ${mailDate(r.arrival)}`);
  } else {
    lines.push(`${by};`, `\t${mailDate(r.arrival)}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** The Received: header of mail Postfix makes itself (post_mail(): bounces, probes). */
export function localReceivedHeader(hostname: string, queueId: string, ms: number): string {
  return `Received: by ${hostname} (Postfix)\r\n\tid ${queueId}; ${mailDate(ms)}\r\n`;
}
