// The message bytes as Postfix handles them, pure:
//  - cleanupContent(): what smtpd (DATA, smtpd_forbid_bare_newline = normalize) and cleanup make
//    of what the client sent: line ends, dot-unstuffing, the "." lines a smuggler hides, stray
//    CRs, message_drop_headers, the missing headers added for local clients;
//  - queueFileSize(): the message size Postfix announces with SIZE= (the queue file's content
//    records, qmgr data_size), not the byte count;
//  - smtpWire(): what smtp(8) sends after DATA: dot-stuffed, lines longer than
//    smtp_line_length_limit (998) broken with <CR><LF><SPACE> (smtp_proto.c smtp_text_out).
// The spooled message always has CRLF line ends and no other CR or LF.
import { headroom, joinWithHeadroom, withHeadroom } from './headroom.js';
import { BLANK_LINE, knownBody, lineFacts, rememberBodyFacts, type LineFacts } from './line-facts.js';
import { compactTime, mailDate, quoteLocal } from './received.js';

/** Postfix line_length_limit: smtpd and cleanup store longer lines as several records. */
export const LINE_LENGTH_LIMIT = 2048;
/** Postfix smtp_line_length_limit. */
export const SMTP_LINE_LIMIT = 998;

/** message_drop_headers default: removed from every message by cleanup. */
const DROP_HEADERS = new Set(['bcc', 'content-length', 'resent-bcc', 'return-path']);
/** Header names with HDR_OPT_RR (global/header_opts.c): their presence makes added headers Resent-*. */
const RESENT = new Set([
  'resent-bcc',
  'resent-cc',
  'resent-date',
  'resent-from',
  'resent-message-id',
  'resent-reply-to',
  'resent-sender',
  'resent-to',
]);

export interface MissingHeaderContext {
  queueId: string;
  hostname: string;
  /** ms since epoch: the Date: value and the Message-Id time. */
  arrival: number;
  /** The envelope sender ('' = null sender: From: MAILER-DAEMON). */
  sender: string;
}

export interface CleanupOptions {
  /** DATA: smtpd removes the first dot of every line that starts with one. BDAT: nothing. */
  unstuff: boolean;
  /** The Received: header smtpd prepends (CRLF-terminated lines). */
  received?: string;
  /**
   * Set when the client matches local_header_rewrite_clients (or always_add_missing_headers):
   * cleanup adds a missing (Resent-)Message-Id, Date and From.
   */
  addMissing?: MissingHeaderContext | null;
}

/**
 * local_header_rewrite_clients = permit_inet_interfaces: cleanup adds missing headers only for
 * a client on one of the gateway's own addresses. The relay knows its loopback ones.
 */
export function addsMissingHeaders(clientAddress: string): boolean {
  return /^127\./.test(clientAddress) || clientAddress === '::1' || /^::ffff:127\./i.test(clientAddress);
}

/** The recipient as trivial-rewrite leaves it: without the trailing dot of its domain. */
export function canonicalRecipient(address: string): string {
  return /@[^@]*[^.@]\.$/.test(address) ? address.slice(0, -1) : address;
}

/** Postfix is_header(): a field name (printable, no ':' or space) then optional blanks and ':'. */
function isHeaderLine(line: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(line);
}

function headerName(line: string): string {
  return line.slice(0, line.indexOf(':')).trim().toLowerCase();
}

/** The client's lines as smtpd stores them (normalize mode), before cleanup. */
function smtpdLines(raw: Buffer, unstuff: boolean): string[] {
  const text = raw.toString('latin1');
  const out: string[] = [];
  let prevBare = false;
  let first = true;
  let pos = 0;
  while (pos < text.length) {
    const lf = text.indexOf('\n', pos);
    let line = lf === -1 ? text.slice(pos) : text.slice(pos, lf);
    pos = lf === -1 ? text.length : lf + 1;
    let bare = lf !== -1;
    if (bare && line.endsWith('\r')) {
      line = line.slice(0, -1); // exactly one CR before the LF belongs to the line end
      bare = false;
    }
    if (first) {
      if (/^>*From /.test(line)) {
        out.push(`X-Mailbox-Line: ${line}`);
        prevBare = bare;
        continue;
      }
      first = false;
      // Content starting with white space must not continue our Received: header.
      if (line[0] === ' ' || line[0] === '\t') out.push('');
    }
    if (unstuff && line[0] === '.') {
      // A lone "." after or with a bare LF is what a smuggler hides: dropped, never an end.
      if (line.length === 1 && (bare || prevBare)) {
        prevBare = bare;
        continue;
      }
      line = line.slice(1);
    }
    out.push(line);
    prevBare = bare;
  }
  return out;
}

/**
 * The message as Postfix queues it, CRLF line ends: the Received: header, the client's content
 * after smtpd and cleanup, missing headers added at the end of the primary header block.
 */
export function cleanupContent(raw: Buffer, opts: CleanupOptions): Buffer {
  // Fast path for the usual message: after the header block nothing needs changing (CRLF line
  // ends only, no line starting with a dot), so only the header block goes through the rules.
  const sep = raw.indexOf(BLANK_LINE);
  const body = sep > 0 ? raw.subarray(sep + 4) : null;
  const facts = body ? plainBodyFacts(body, opts.unstuff) : false;
  if (body && facts !== false) {
    const head = cleanupLines(raw.subarray(0, sep + 4), opts);
    // Received with room in front (policy/headroom.ts): the new header block goes where the old
    // one was and into the room, the body is not copied. `raw` is not valid afterwards.
    const grow = head.length - (sep + 4);
    const room = headroom(raw);
    let out: Buffer;
    if (room >= grow) {
      out = Buffer.from(raw.buffer, raw.byteOffset - grow, raw.length + grow);
      out.set(head);
      out = withHeadroom(out, room - grow);
    } else {
      out = joinWithHeadroom([head, body]);
    }
    // The body's line facts, for message_size_limit and the deliveries (line-facts.ts).
    if (facts) rememberBodyFacts(out.subarray(head.length), facts);
    return out;
  }
  return cleanupLines(raw, opts);
}

/**
 * CRLF line ends only, no stray CR or LF, no line starting with a dot (when unstuffing): false
 * when not; else the body's line facts, or null when the byte rules answered (a small body).
 */
function plainBodyFacts(body: Buffer, unstuff: boolean): LineFacts | null | false {
  if (body.length !== 0 && body[body.length - 1] !== 0x0a) return false;
  const facts = lineFacts(body);
  if (facts) return unstuff && facts.dotLine ? false : facts;
  return plainBodyByLines(body, unstuff) ? null : false;
}

/** plainBodyFacts() byte by byte: the definition, and what runs when lineFacts() does not answer. */
export function plainBodyByLines(body: Buffer, unstuff: boolean): boolean {
  if (unstuff && (body[0] === 0x2e || body.indexOf(CRLF_DOT) !== -1)) return false;
  if (body.length !== 0 && body[body.length - 1] !== 0x0a) return false;
  // Every LF after a CR and every CR before an LF. Searched byte by byte with a number needle:
  // Buffer#indexOf(number) is memchr (≈ 12 ns a line), a Buffer needle costs ten times that.
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) if (i === 0 || body[i - 1] !== 0x0d) return false;
  for (let i = body.indexOf(0x0d); i !== -1; i = body.indexOf(0x0d, i + 1)) if (body[i + 1] !== 0x0a) return false;
  return true;
}

/**
 * data.indexOf(CRLF, from), found through the LFs: one memchr per line instead of a substring
 * search per line (the line loops below run over every line of a message, per delivery too).
 */
export function nextCrlf(data: Buffer, from: number): number {
  for (let lf = data.indexOf(0x0a, from + 1); lf !== -1; lf = data.indexOf(0x0a, lf + 1)) {
    if (data[lf - 1] === 0x0d) return lf - 1;
  }
  return -1;
}

/** cleanupContent() without its fast path: every line through the rules (tests hold the two equal). */
export function cleanupLines(raw: Buffer, opts: CleanupOptions): Buffer {
  // cleanup_replace_stray_cr_lf = yes: a CR not part of a line end becomes a space.
  const lines = smtpdLines(raw, opts.unstuff).map((l) => (l.includes('\r') ? l.replace(/\r/g, ' ') : l));
  // Header text made here is UTF-8 (SMTPUTF8 addresses); the message is handled as bytes.
  const received = opts.received ? bytes(opts.received).replace(/\r\n$/, '').split('\r\n') : [];
  const all = received.length ? received.concat(lines) : lines;
  const out: string[] = [];
  const seen = new Set<string>();
  let resent = false;
  let i = 0;
  let dropping = false;
  let inHeader = false;
  for (; i < all.length; i++) {
    const line = all[i]!;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (!inHeader) break;
      if (!dropping) out.push(line); // a folded line belongs to the header above
      continue;
    }
    if (!isHeaderLine(line)) break;
    inHeader = true;
    const name = headerName(line);
    seen.add(name);
    if (RESENT.has(name)) resent = true;
    dropping = DROP_HEADERS.has(name);
    if (!dropping) out.push(line);
  }
  if (opts.addMissing) for (const h of missingHeaders(opts.addMissing, seen, resent)) out.push(h);
  // Headers that end at a line which is not a header: cleanup puts the blank line in between.
  if (inHeader && i < all.length && all[i] !== '') out.push('');
  for (; i < all.length; i++) out.push(all[i]!); // (no spread: a large body has millions of lines)
  const text = out.join('\r\n') + (out.length ? '\r\n' : '');
  return Buffer.from(text, 'latin1');
}

function missingHeaders(m: MissingHeaderContext, seen: Set<string>, resent: boolean): string[] {
  const p = resent ? 'Resent-' : '';
  const has = (h: string) => seen.has((p + h).toLowerCase());
  const added: string[] = [];
  if (!has('Message-Id')) added.push(`${p}Message-Id: <${compactTime(m.arrival)}.${m.queueId}@${m.hostname}>`);
  if (!has('Date')) added.push(`${p}Date: ${mailDate(m.arrival)}`);
  if (!has('From')) added.push(`${p}From: ${quoteLocal(m.sender || 'MAILER-DAEMON')}`);
  return added.map(bytes);
}

/** A string's UTF-8 bytes as a latin1 string (one char per byte), the form the content is handled in. */
function bytes(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

interface QueueRecord {
  /** true: REC_TYPE_CONT (the line goes on in the next record). */
  cont: boolean;
  start: number;
  end: number;
}

/**
 * The content records of the queue file. Body lines are split as smtpd reads them (a line of
 * exactly N×2048 bytes ends in an empty record); header lines as cleanup rewrites them.
 */
function records(data: Buffer): QueueRecord[] {
  const out: QueueRecord[] = [];
  let pos = 0;
  let inHeaders = true;
  while (pos < data.length) {
    let eol = nextCrlf(data, pos);
    const next = eol === -1 ? data.length : eol + 2;
    if (eol === -1) eol = data.length;
    const len = eol - pos;
    if (inHeaders && len === 0) inHeaders = false;
    let p = pos;
    if (inHeaders) {
      while (eol - p > LINE_LENGTH_LIMIT) {
        out.push({ cont: true, start: p, end: p + LINE_LENGTH_LIMIT });
        p += LINE_LENGTH_LIMIT;
      }
    } else {
      while (eol - p >= LINE_LENGTH_LIMIT) {
        out.push({ cont: true, start: p, end: p + LINE_LENGTH_LIMIT });
        p += LINE_LENGTH_LIMIT;
      }
    }
    out.push({ cont: false, start: p, end: eol });
    pos = next;
  }
  return out;
}

/** Bytes rec_put() needs for a record: type, the length in 7-bit groups, the data. */
function recordBytes(len: number): number {
  let lenBytes = 1;
  for (let n = len >> 7; n > 0; n >>= 7) lenBytes++;
  return 1 + lenBytes + len;
}

/** The size Postfix's smtp(8) announces with SIZE= for this (spooled, CRLF) message. */
export function queueFileSize(data: Buffer): number {
  return deliveryFacts(data).size;
}

/**
 * What a delivery needs to know of the message's lines, in one pass: queueFileSize() and the
 * longest line (bytes between CRLFs), which decides whether smtpWire() breaks lines.
 */
export function deliveryFacts(data: Buffer): { size: number; longest: number } {
  const split = knownBody(data);
  if (split) {
    const head = deliveryFactsByLines(split.head);
    const body = split.body;
    return { size: head.size + body.contentRecordBytes + 2 * body.exactLines, longest: Math.max(head.longest, body.longest) };
  }
  const facts = lineFacts(data);
  return facts ? { size: facts.queueFileSize, longest: facts.longest } : deliveryFactsByLines(data);
}

/** deliveryFacts() line by line: the definition, and what runs when lineFacts() does not answer. */
export function deliveryFactsByLines(data: Buffer): { size: number; longest: number } {
  let total = 0;
  let longest = 0;
  let pos = 0;
  let inHeaders = true;
  while (pos < data.length) {
    let eol = nextCrlf(data, pos);
    const next = eol === -1 ? data.length : eol + 2;
    if (eol === -1) eol = data.length;
    let len = eol - pos;
    if (len > longest) longest = len;
    if (inHeaders && len === 0) inHeaders = false;
    // The records() split, counted without building the records (this runs per delivery).
    const full = inHeaders ? Math.max(0, Math.ceil(len / LINE_LENGTH_LIMIT) - 1) : Math.floor(len / LINE_LENGTH_LIMIT);
    total += full * recordBytes(LINE_LENGTH_LIMIT);
    len -= full * LINE_LENGTH_LIMIT;
    total += recordBytes(len);
    pos = next;
  }
  return { size: total, longest };
}

/** Does the message declare 8-bit content (a Content-Transfer-Encoding of 8bit or binary)? */
export function declares8bit(data: Buffer): boolean {
  // cleanup looks at every Content-Transfer-Encoding header, of the message and of its parts.
  const text = data.toString('latin1');
  return /(?:^|\r\n)Content-Transfer-Encoding:[ \t]*(?:8bit|binary)[ \t]*(?:\r\n|$)/i.test(text);
}

const CRLF = Buffer.from('\r\n', 'latin1');
const CRLF_DOT = Buffer.from('\r\n.', 'latin1');
const CRLF_SPACE = Buffer.from('\r\n ', 'latin1');
const DOT = Buffer.from('.', 'latin1');

/**
 * The DATA bytes smtp(8) sends for a spooled message, without the final ".": each record goes
 * out as smtp_text_out() writes it — a dot doubled at the start of a line, lines longer than
 * smtp_line_length_limit broken with <CR><LF><SPACE>.
 */
export function smtpWire(data: Buffer, limit = SMTP_LINE_LIMIT, longest?: number): Buffer {
  // `longest`: deliveryFacts(data).longest when the caller has it (no second pass over the lines).
  if (limit > 0 && !(longest === undefined ? hasLongLine(data, limit) : longest > limit)) return stuffDots(data);
  const parts: Buffer[] = [];
  let spaceLeft = limit;
  for (const r of records(data)) {
    let start = r.start;
    let left = r.end - r.start;
    for (;;) {
      if (spaceLeft === limit && left > 0 && data[start] === 0x2e) parts.push(DOT);
      if (limit > 0 && left >= spaceLeft) {
        parts.push(data.subarray(start, start + spaceLeft));
        start += spaceLeft;
        left -= spaceLeft;
        spaceLeft = limit;
        if (left > 0 || r.cont) {
          parts.push(CRLF_SPACE);
          spaceLeft -= 1;
        } else {
          parts.push(CRLF);
        }
        if (left > 0) continue;
        break;
      }
      parts.push(data.subarray(start, start + left));
      if (r.cont) {
        spaceLeft -= left;
      } else {
        parts.push(CRLF);
        spaceLeft = limit;
      }
      break;
    }
  }
  return Buffer.concat(parts);
}

/** Is any line longer than `limit` bytes? */
function hasLongLine(data: Buffer, limit: number): boolean {
  let pos = 0;
  while (pos < data.length) {
    let eol = nextCrlf(data, pos);
    if (eol === -1) eol = data.length;
    if (eol - pos > limit) return true;
    pos = eol + 2;
  }
  return false;
}

/** The common case, no line to break: only the leading dots are doubled (and a last CRLF added). */
function stuffDots(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  if (data[0] === 0x2e) parts.push(DOT);
  for (let i = data.indexOf(CRLF_DOT); i !== -1; i = data.indexOf(CRLF_DOT, i + 2)) {
    parts.push(data.subarray(start, i + 2), DOT);
    start = i + 2;
  }
  parts.push(data.subarray(start));
  const endsInCrlf = data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a;
  if (data.length && !endsInCrlf) parts.push(CRLF);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
