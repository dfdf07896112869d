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
  stack: Frame[] = [];
  nesting = -1;
  error: string | undefined;
  readonly out: string[] = [];
  converted = false;

  constructor(
    readonly downgrade: boolean,
    readonly limits: MimeLimits,
    /** Every header as cleanup's callback sees it (the name in lower case, the whole header). */
    readonly onHeader?: (name: string, header: string) => void,
  ) {}

  private set(state: St, ctype: Ctype, stype: Stype, encoding: Enc, domain: Enc): void {
    this.state = state;
    this.ctype = ctype;
    this.stype = stype;
    this.encoding = encoding;
    this.domain = domain;
  }

  private headOut(header: string): void {
    for (const line of header.split('\n')) this.out.push(line, '\r\n');
  }

  private bodyOut(text: string): void {
    this.out.push(text, '\r\n');
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

  /** One line (null = the end of the message). */
  update(text: string | null): void {
    if (this.state !== St.Body) {
      if (this.header && text !== null && (text[0] === ' ' || text[0] === '\t')) {
        if (this.header.length < this.limits.headerSize) this.header += '\n' + text;
        return;
      }
      if (this.header) {
        const header = this.header;
        const name = header.slice(0, this.headerNameLen).toLowerCase();
        if (name === 'content-type') this.contentType(header);
        else if (name === 'content-transfer-encoding') this.contentEncoding(header);
        this.onHeader?.(name, header);
        if (!this.downgrade || name !== 'content-transfer-encoding' || this.domain === Enc.SevenBit) this.headOut(header);
        else this.converted = true;
        this.header = '';
      }
      if (text !== null) {
        const n = headerNameLength(text);
        if (n > 0) {
          // "Name :" becomes "Name:" (the obsolete form normalised).
          let i = n;
          while (text[i] === ' ' || text[i] === '\t') i++;
          this.header = text.slice(0, n) + text.slice(i);
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
        if (this.state === St.Primary) this.bodyOut('');
        this.state = St.Body;
      }
    }
    if (text === null) return;
    this.boundary(text);
    if (this.downgrade && this.domain !== Enc.SevenBit) this.quotedPrintable(text);
    else this.bodyOut(text);
  }

  /** A "--boundary" or "--boundary--" line of an enclosing multipart (looked for in the line's first record). */
  private boundary(line: string): void {
    if (!this.stack.length) return;
    const rec = line.length >= this.limits.lineLength ? line.slice(0, this.limits.lineLength) : line;
    if (rec.length <= 2 || rec[0] !== '-' || rec[1] !== '-') return;
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
  private quotedPrintable(line: string): void {
    let buf = '';
    for (let i = 0; i < line.length; i++) {
      if (buf.length > 72) {
        this.out.push(buf, '=\r\n');
        buf = '';
      }
      const c = line.charCodeAt(i);
      buf += (c < 32 && c !== 9) || c === 61 || c > 126 ? `=${HEX[c >> 4]}${HEX[c & 15]}` : line[i];
    }
    const last = buf[buf.length - 1];
    if (last === ' ' || last === '\t') buf = `${buf.slice(0, -1)}=${last === ' ' ? '20' : '09'}`;
    this.out.push(buf, '\r\n');
    this.converted = true;
  }
}

/** Runs the state machine over the message's lines (the last one may lack its CRLF). */
function run(state: MimeState, text: string): void {
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    const end = eol === -1 ? text.length : eol;
    state.update(text.slice(pos, end));
    pos = eol === -1 ? text.length : eol + 2;
  }
  state.update(null);
}

/** Only a Content-Transfer-Encoding header can make a part 8-bit. */
const MAY_DECLARE = /content-transfer-encoding/i;
/** ... and only multipart boundaries can nest too deep. */
const MAY_NEST = /boundary/i;

/** What smtp(8) sends to a next hop without 8BITMIME (SMTP_MIME_DOWNGRADE). */
export function downgradeMime(data: Buffer, limits: MimeLimits = MIME_LIMITS): DowngradeResult {
  const text = data.toString('latin1');
  if (!MAY_DECLARE.test(text) && !MAY_NEST.test(text)) return { data, changed: false };
  const state = new MimeState(true, limits);
  run(state, text);
  if (state.error) return { data, changed: false, error: state.error };
  if (!state.converted) return { data, changed: false };
  return { data: Buffer.from(state.out.join(''), 'latin1'), changed: true };
}

/**
 * cleanup_header_callback(): a Content-Transfer-Encoding of exactly 8bit or binary (after leading
 * white space) in any header block — the message's, a part's, an attached message's — makes the
 * message "8bit" (sent with BODY=8BITMIME, and converted for a next hop without 8BITMIME).
 */
export function declaresEightBit(data: Buffer, limits: MimeLimits = MIME_LIMITS): boolean {
  const text = data.toString('latin1');
  if (!MAY_DECLARE.test(text)) return false;
  let found = false;
  const state = new MimeState(false, limits, (name, header) => {
    if (name !== 'content-transfer-encoding') return;
    const value = header.slice(state.headerNameLen + 1).replace(/^\s+/, '');
    if (/^(?:8bit|binary)$/i.test(value)) found = true;
  });
  run(state, text);
  return found;
}
