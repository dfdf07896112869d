// Postfix's MIME processor (global/mime_state.c) as smtp(8) runs it for a next hop that offers
// no 8BITMIME (disable_mime_output_conversion = no): every part that declares an 8bit or binary
// Content-Transfer-Encoding is sent as quoted-printable — its own Content-Transfer-Encoding
// header dropped and "Content-Transfer-Encoding: quoted-printable" (or "7bit" for message/* and
// multipart/* containers) written at the end of its header block — and everything else as it
// is. The same state machine without the conversion tells what cleanup(8) records as the
// message's encoding (an 8bit/binary Content-Transfer-Encoding of any part makes it "8bit").
//
// Input: the spooled message (CRLF lines, dot-unstuffed). Output: the same form, for smtpWire().
// Pure; linear in the message size (each line is looked at once, a header is kept up to
// header_size_limit, at most mime_nesting_limit boundaries of mime_boundary_length_limit bytes),
// and the output of a converted part is at most about 3.2 times its input.
//
// Whole lines stand in for Postfix's queue records (a line longer than line_length_limit is
// several records): for the conversion and the header handling the two agree, as the state
// machine joins continued records before it looks at them; only the boundary test looks at the
// first record of a line alone, so it does here too.

import { nextCrlf } from './content.js';

/** Postfix's limits (mail_params.h defaults): header_size_limit, mime_nesting_limit, mime_boundary_length_limit. */
export const MIME_LIMITS = { headerSize: 102_400, nesting: 100, boundaryLength: 2048, lineLength: 2048 } as const;

export type MimeLimits = { [K in keyof typeof MIME_LIMITS]: number };

export interface DowngradeResult {
  /** The message as smtp(8) sends it (unchanged when nothing needed converting). */
  data: Buffer;
  changed: boolean;
  /**
   * smtp_mime_fail(): deeper nesting than mime_nesting_limit — smtp(8) aborts the transaction
   * and the recipients bounce with this text and status 5.6.0.
   */
  error?: string;
}

export const MIME_NESTING_ERROR = 'MIME nesting exceeds safety limit';

const enum Ctype {
  Other,
  Text,
  Message,
  Multipart,
}
const enum Stype {
  Other,
  Plain,
  Rfc822,
  Partial,
  ExternBody,
  Global,
}
const enum Enc {
  Qp = 1,
  Base64 = 2,
  SevenBit = 7,
  EightBit = 8,
  Binary = 9,
}
const enum St {
  Primary,
  Multipart,
  Nested,
  Body,
}

/** mime_encoding_map: the encoding and its domain. */
const ENCODINGS: Record<string, [Enc, Enc]> = {
  '7bit': [Enc.SevenBit, Enc.SevenBit],
  '8bit': [Enc.EightBit, Enc.EightBit],
  binary: [Enc.Binary, Enc.Binary],
  base64: [Enc.Base64, Enc.SevenBit],
  'quoted-printable': [Enc.Qp, Enc.SevenBit],
};

const RFC2045_TSPECIALS = '()<>@,;:\\"/[]?=';
const LEX_822_SPECIALS = '()<>@,;:\\".[]';
const HEX = '0123456789ABCDEF';

interface Token {
  /** 'token', 'qstring', or the special character itself. */
  type: string;
  value: string;
}

const isCntrl = (c: number) => c < 32 || c === 127;
const isLws = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/**
 * header_token(): up to `max` tokens from `s` at `pos` (RFC 822 comments skipped, quoted
 * strings unquoted); with a terminator, parsing goes on to it past `max`. count -1: nothing left.
 */
export function headerToken(
  s: string,
  pos: number,
  max: number,
  specials: string,
  terminator: string,
): { count: number; tokens: Token[]; pos: number } {
  const tokens: Token[] = [];
  let i = pos;
  let last = '';
  while (i < s.length && (terminator !== '' || tokens.length < max)) {
    const ch = s[i++]!;
    last = ch;
    if (isLws(ch)) continue;
    if (ch === terminator) break;
    if (ch === '(') {
      let level = 1;
      while (i < s.length) {
        const c = s[i++]!;
        if (c === '(') level++;
        else if (c === ')') {
          if (--level === 0) break;
        } else if (c === '\\') {
          if (i >= s.length) break;
          i++;
        }
      }
      continue;
    }
    if (ch === '"') {
      let v = '';
      while (i < s.length) {
        let c = s[i++]!;
        if (c === '"') break;
        if (c === '\n') {
          v = v.replace(/[ \t\r\n]+$/, ''); // unfold
          continue;
        }
        if (c === '\\') {
          if (i >= s.length) break;
          c = s[i++]!;
        }
        v += c;
      }
      if (tokens.length < max) tokens.push({ type: 'qstring', value: v });
      continue;
    }
    const code = ch.charCodeAt(0);
    if (specials.includes(ch) || isCntrl(code)) {
      if (tokens.length < max) tokens.push({ type: ch, value: ch });
      continue;
    }
    let j = i;
    while (j < s.length) {
      const c = s[j]!;
      if (isLws(c) || isCntrl(c.charCodeAt(0)) || specials.includes(c)) break;
      j++;
    }
    if (tokens.length < max) tokens.push({ type: 'token', value: s.slice(i - 1, j) });
    i = j;
  }
  // The loop ran off the end (C: ch == 0) without finding anything.
  if (tokens.length === 0 && i >= s.length && last !== terminator) return { count: -1, tokens, pos: i };
  return { count: tokens.length, tokens, pos: i };
}

/** is_header_buf(): the length of the header name when `s` starts a header ("Name:" or "Name :"), else 0. */
export function headerNameLength(s: string): number {
  let len = 0;
  let state = 0; // 0 INIT, 1 IN_CHAR, 2 IN_CHAR_SPACE
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return state !== 0 ? len : 0;
    if (c === 0x20 || c === 0x09) {
      if (state === 1) state = 2;
      if (state === 2) continue;
      return 0;
    }
    if (c === 0 || c > 127 || isCntrl(c)) return 0;
    if (state === 0) state = 1;
    if (state === 1) {
      len++;
      continue;
    }
    return 0;
  }
  return 0;
}

const tokenIs = (t: Token | undefined, text: string) => t?.type === 'token' && t.value.toLowerCase() === text;

interface Frame {
  defCtype: Ctype;
  defStype: Stype;
  boundary: string;
}

/** One run of the state machine over a message; `downgrade` switches the conversion on. */
class MimeState {
  state = St.Primary;
  ctype = Ctype.Text;
  stype = Stype.Plain;
  encoding = Enc.SevenBit;
  domain = Enc.SevenBit;
  /** The header being collected ('' = none), continuation lines joined with "\n". */
  header = '';
  headerNameLen = 0;
  /** Where the header being collected starts and ends in data (after its last line's CRLF). */
  headerStart = 0;
  headerEnd = 0;
  stack: Frame[] = [];
  nesting = -1;
  error: string | undefined;
  /** The output, only when converting (cleanup's pass only looks). */
  readonly out: ByteWriter | null;
  converted = false;

  constructor(
    readonly data: Buffer,
    readonly downgrade: boolean,
    readonly limits: MimeLimits,
    /**
     * Every header as cleanup's callback sees it (the name in lower case, the whole header as
     * collected: "Name:" normalised, continuation lines past headerSize left out) and the bytes
     * it came from, data[start, end) (its lines and their CRLFs, left-out lines included).
     */
    readonly onHeader?: (name: string, header: string, start: number, end: number) => void,
  ) {
    this.out = downgrade ? new ByteWriter(data.length + (data.length >> 2)) : null;
  }

  private set(state: St, ctype: Ctype, stype: Stype, encoding: Enc, domain: Enc): void {
    this.state = state;
    this.ctype = ctype;
    this.stype = stype;
    this.encoding = encoding;
    this.domain = domain;
  }

  private headOut(header: string): void {
    if (this.out) for (const line of header.split('\n')) this.out.text(line).crlf();
  }

  private contentType(header: string): void {
    const first = headerToken(header, this.headerNameLen + 1, 3, RFC2045_TSPECIALS, ';');
    if (first.count <= 0) {
      this.ctype = Ctype.Other;
      return;
    }
    const [t0, t1, t2] = first.tokens;
    const sub = first.count >= 3 && t1!.type === '/' ? t2 : undefined;
    if (tokenIs(t0, 'text')) {
      this.ctype = Ctype.Text;
      this.stype = tokenIs(sub, 'plain') ? Stype.Plain : Stype.Other;
      return;
    }
    if (tokenIs(t0, 'message')) {
      this.ctype = Ctype.Message;
      this.stype = tokenIs(sub, 'rfc822')
        ? Stype.Rfc822
        : tokenIs(sub, 'partial')
          ? Stype.Partial
          : tokenIs(sub, 'external-body')
            ? Stype.ExternBody
            : tokenIs(sub, 'global')
              ? Stype.Global
              : Stype.Other;
      return;
    }
    if (!tokenIs(t0, 'multipart')) return; // other/whatever keeps the current type (as Postfix)
    this.ctype = Ctype.Multipart;
    const digest = tokenIs(sub, 'digest');
    const defCtype = digest ? Ctype.Message : Ctype.Text;
    const defStype = digest ? Stype.Rfc822 : Stype.Plain;
    let pos = first.pos;
    for (;;) {
      const p = headerToken(header, pos, 3, RFC2045_TSPECIALS, ';');
      if (p.count < 0) break;
      pos = p.pos;
      if (p.count >= 3 && tokenIs(p.tokens[0], 'boundary') && p.tokens[1]!.type === '=') {
        if (this.nesting > this.limits.nesting) {
          this.error ??= MIME_NESTING_ERROR;
        } else {
          this.nesting++;
          this.stack.push({ defCtype, defStype, boundary: p.tokens[2]!.value.slice(0, this.limits.boundaryLength) });
        }
      }
      if (p.pos >= header.length) break;
    }
  }

  private contentEncoding(header: string): void {
    const t = headerToken(header, this.headerNameLen + 1, 1, LEX_822_SPECIALS, '');
    if (t.count > 0 && t.tokens[0]!.type === 'token') {
      const e = ENCODINGS[t.tokens[0]!.value.toLowerCase()];
      if (e) [this.encoding, this.domain] = e;
    }
  }

  /** The line data[start, end) without its CRLF; start -1 = the end of the message. */
  update(start: number, end: number): void {
    if (this.state !== St.Body) {
      // Header lines are few and short: they are looked at as text, body lines as bytes.
      const text = start < 0 ? null : this.data.toString('latin1', start, end);
      if (this.header && text !== null && (text[0] === ' ' || text[0] === '\t')) {
        if (this.header.length < this.limits.headerSize) this.header += '\n' + text;
        this.headerEnd = Math.min(end + 2, this.data.length);
        return;
      }
      this.flushHeader();
      if (text !== null) {
        const n = headerNameLength(text);
        if (n > 0) {
          // "Name :" becomes "Name:" (the obsolete form normalised).
          let i = n;
          while (text[i] === ' ' || text[i] === '\t') i++;
          this.header = text.slice(0, n) + text.slice(i);
          this.headerStart = start;
          this.headerEnd = Math.min(end + 2, this.data.length);
          this.headerNameLen = n;
          return;
        }
      }
      if (this.downgrade && this.domain !== Enc.SevenBit) {
        const container = (this.ctype === Ctype.Message && this.stype !== Stype.Global) || this.ctype === Ctype.Multipart;
        this.headOut(`Content-Transfer-Encoding: ${container ? '7bit' : 'quoted-printable'}`);
        this.converted = true;
      }
      if (text === null) {
        this.state = St.Body;
        return;
      }
      if (text.length === 0) {
        if (this.ctype === Ctype.Message) {
          if (this.stype === Stype.Rfc822) this.set(St.Nested, Ctype.Text, Stype.Plain, Enc.SevenBit, Enc.SevenBit);
          else if (this.stype === Stype.Global && (!this.downgrade || this.domain === Enc.SevenBit))
            this.set(St.Nested, Ctype.Text, Stype.Plain, Enc.SevenBit, Enc.SevenBit);
          else this.state = St.Body;
        } else if (this.ctype === Ctype.Multipart) {
          this.set(St.Body, Ctype.Other, Stype.Other, Enc.SevenBit, Enc.SevenBit);
        } else {
          this.state = St.Body;
        }
      } else {
        // Not a header and no blank line: the body starts here (a blank line first for the primary headers).
        if (this.state === St.Primary) this.out?.crlf();
        this.state = St.Body;
      }
    }
    if (start < 0) return;
    this.boundary(start, end);
    if (!this.out) return;
    if (this.domain !== Enc.SevenBit) this.quotedPrintable(start, end);
    else this.out.copy(this.data, start, end).crlf();
  }

  /** The collected header: its MIME meaning, then out (unless it is the encoding being replaced). */
  private flushHeader(): void {
    if (!this.header) return;
    const header = this.header;
    const name = header.slice(0, this.headerNameLen).toLowerCase();
    if (name === 'content-type') this.contentType(header);
    else if (name === 'content-transfer-encoding') this.contentEncoding(header);
    this.onHeader?.(name, header, this.headerStart, this.headerEnd);
    if (!this.downgrade || name !== 'content-transfer-encoding' || this.domain === Enc.SevenBit) this.headOut(header);
    else this.converted = true;
    this.header = '';
  }

  /** A "--boundary" or "--boundary--" line of an enclosing multipart (looked for in the line's first record). */
  private boundary(start: number, end: number): void {
    if (!this.stack.length) return;
    const d = this.data;
    const len = Math.min(end - start, this.limits.lineLength);
    if (len <= 2 || d[start] !== 0x2d || d[start + 1] !== 0x2d) return;
    const rec = d.toString('latin1', start, start + len);
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const b = this.stack[k]!.boundary;
      if (rec.length >= 2 + b.length && rec.startsWith(b, 2)) {
        const frame = this.stack[k]!;
        this.nesting -= this.stack.length - 1 - k;
        this.stack.length = k + 1;
        if (rec.length >= 4 + b.length && rec.startsWith('--', 2 + b.length)) {
          this.stack.pop();
          this.nesting--;
          this.set(St.Body, Ctype.Other, Stype.Other, Enc.SevenBit, Enc.SevenBit);
        } else {
          this.set(St.Multipart, frame.defCtype, frame.defStype, Enc.SevenBit, Enc.SevenBit);
        }
        return;
      }
    }
  }

  /** mime_state_downgrade() of one whole line: soft breaks after 73 characters, trailing blank encoded. */
  private quotedPrintable(start: number, end: number): void {
    const out = this.out!;
    const d = this.data;
    let col = 0; // characters on the output line so far
    out.reserve((end - start) * 3 + Math.ceil((end - start) / 24) * 3 + 2);
    for (let i = start; i < end; i++) {
      if (col > 72) {
        out.byte(0x3d).crlf();
        col = 0;
      }
      const c = d[i]!;
      if ((c < 32 && c !== 9) || c === 61 || c > 126) {
        out
          .byte(0x3d)
          .byte(HEX_BYTES[c >> 4]!)
          .byte(HEX_BYTES[c & 15]!);
        col += 3;
      } else {
        out.byte(c);
        col++;
      }
    }
    const last = out.last();
    if (col > 0 && (last === 0x20 || last === 0x09)) {
      // =20 / =09
      out.unbyte();
      out
        .byte(0x3d)
        .byte(HEX_BYTES[last >> 4]!)
        .byte(HEX_BYTES[last & 15]!);
    }
    out.crlf();
    this.converted = true;
  }
}

/** A growing output buffer (one copy at the end), so a large part is not built from small strings. */
class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  constructor(initial: number) {
    this.buf = Buffer.allocUnsafe(Math.max(256, initial));
  }
  reserve(n: number): this {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    return this;
  }
  byte(b: number): this {
    if (this.pos >= this.buf.length) this.reserve(1);
    this.buf[this.pos++] = b;
    return this;
  }
  crlf(): this {
    return this.byte(0x0d).byte(0x0a);
  }
  last(): number | undefined {
    return this.pos > 0 ? this.buf[this.pos - 1] : undefined;
  }
  unbyte(): void {
    this.pos--;
  }
  text(s: string): this {
    this.reserve(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    return this;
  }
  copy(src: Buffer, start: number, end: number): this {
    this.reserve(end - start);
    this.pos += src.copy(this.buf, this.pos, start, end);
    return this;
  }
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

const HEX_BYTES = Buffer.from(HEX, 'latin1');

/** Runs the state machine over the message's lines (the last one may lack its CRLF). */
function run(state: MimeState, data: Buffer): void {
  let pos = 0;
  while (pos < data.length) {
    const eol = nextCrlf(data, pos);
    const end = eol === -1 ? data.length : eol;
    state.update(pos, end);
    pos = eol === -1 ? data.length : eol + 2;
  }
  state.update(-1, -1);
}

/** Only a Content-Transfer-Encoding header can make a part 8-bit. */
const MAY_DECLARE = /content-transfer-encoding/i;
/** ... and only multipart boundaries can nest too deep. */
const MAY_NEST = /boundary/i;

const WINDOW = 64 * 1024;

/**
 * re.test() over the bytes as latin1 text, in windows of 64 KB that overlap by the longest
 * match's length − 1 (so a match across a window edge is found): the same answer as one string
 * of the whole message, without a string of a megabyte in V8's old space (a major GC) per message.
 */
function testLatin1(re: RegExp, data: Buffer, matchLength: number): boolean {
  for (let at = 0; at < data.length; at += WINDOW) {
    const end = Math.min(data.length, at + WINDOW + matchLength - 1);
    if (re.test(data.toString('latin1', at, end))) return true;
    if (end === data.length) break;
  }
  return false;
}
const CTE = 'content-transfer-encoding';
/** Dashes looked at one by one before the windowed regex takes over (a message full of dashes). */
const DASH_BUDGET = 4096;

/**
 * MAY_DECLARE.test() of the message, without making text of it (this runs at every delivery):
 * the name has its dashes 9 bytes apart, memchr finds dashes, and the bytes around one are
 * compared ignoring ASCII case — which is all /i does for latin1 text and these letters.
 */
export function mayDeclare(data: Buffer): boolean {
  let seen = 0;
  for (let i = data.indexOf(0x2d, 7); i !== -1; i = data.indexOf(0x2d, i + 1)) {
    // Every match starting before i - 7 had its first dash before i, already looked at.
    if (++seen > DASH_BUDGET) return testLatin1(MAY_DECLARE, data.subarray(i - 7), CTE.length);
    if (data[i + 9] === 0x2d && isCteAt(data, i - 7)) return true;
  }
  return false;
}

function isCteAt(data: Buffer, at: number): boolean {
  if (at + CTE.length > data.length) return false;
  for (let k = 0; k < CTE.length; k++) {
    const want = CTE.charCodeAt(k);
    const got = data[at + k]!;
    if (got !== want && (want === 0x2d || (got | 0x20) !== want)) return false;
  }
  return true;
}
const mayNest = (data: Buffer) => testLatin1(MAY_NEST, data, 'boundary'.length);

/** What smtp(8) sends to a next hop without 8BITMIME (SMTP_MIME_DOWNGRADE). */
export function downgradeMime(data: Buffer, limits: MimeLimits = MIME_LIMITS): DowngradeResult {
  if (!mayDeclare(data) && !mayNest(data)) return { data, changed: false };
  const state = new MimeState(data, true, limits);
  run(state, data);
  if (state.error) return { data, changed: false, error: state.error };
  if (!state.converted) return { data, changed: false };
  return { data: state.out!.result(), changed: true };
}

/**
 * Every header of every header block as cleanup's mime_state sees it (MimeState.onHeader), in
 * order. Part headers exist only inside a multipart and attached-message headers only after a
 * message/rfc822 (or global) header, both declared by a header block before them: when the
 * message's own block declares neither, it is all there is to look at, and the body (a
 * megabyte, say) is not walked.
 */
export function forEachHeader(
  data: Buffer,
  limits: MimeLimits,
  onHeader: (name: string, header: string, start: number, end: number) => void,
): void {
  const blank = data.indexOf('\r\n\r\n');
  if (blank >= 0) {
    const seen: Array<[string, string, number, number]> = [];
    const head = new MimeState(data.subarray(0, blank + 4), false, limits, (...h) => seen.push(h));
    run(head, head.data);
    if (head.state === St.Body && head.stack.length === 0) {
      for (const h of seen) onHeader(...h);
      return;
    }
  }
  run(new MimeState(data, false, limits, onHeader), data);
}

/**
 * cleanup_header_callback(): a Content-Transfer-Encoding of exactly 8bit or binary (after leading
 * white space) in any header block — the message's, a part's, an attached message's — makes the
 * message "8bit" (sent with BODY=8BITMIME, and converted for a next hop without 8BITMIME).
 */
export function declaresEightBit(data: Buffer, limits: MimeLimits = MIME_LIMITS): boolean {
  if (!mayDeclare(data)) return false;
  let found = false;
  const state = new MimeState(data, false, limits, (name, header) => {
    if (name !== 'content-transfer-encoding') return;
    const value = header.slice(state.headerNameLen + 1).replace(/^\s+/, '');
    if (/^(?:8bit|binary)$/i.test(value)) found = true;
  });
  run(state, data);
  return found;
}
