// A light MIME walker over the raw message bytes. It records byte offsets for every header field
// and part, so the scanner can rewrite one piece (a Subject, an attachment) and keep every other
// byte as received — which is what keeps a DKIM signature valid when nothing else changes.
// Header bytes are read as latin1 (one char per byte), so string offsets equal byte offsets.

export interface HeaderField {
  /** Name as written. */
  name: string;
  /** Unfolded value, leading whitespace removed (latin1 text; see headerText for UTF-8). */
  value: string;
  /** Byte range of the whole field in the message, without its final line break. */
  start: number;
  end: number;
}

export interface MimePart {
  /** Dotted part number: "" for the message itself, "1", "1.2" … */
  path: string;
  /** Byte range of the part (headers + body) and of its body alone. */
  start: number;
  bodyStart: number;
  end: number;
  headers: HeaderField[];
  /** Lower-case type/subtype; text/plain when missing. */
  contentType: string;
  params: Record<string, string>;
  disposition: string;
  filename: string;
  /** Lower-case Content-Transfer-Encoding; 7bit when missing. */
  encoding: string;
  children: MimePart[];
  /** The part is a whole message (the top level, or the body of a message/rfc822 part). */
  isMessage: boolean;
  /** A multipart or message part below MIME_MAX_DEPTH: not taken apart, so not scanned. */
  tooDeep?: boolean;
}

/** MIME nesting the walker follows; deeper containers are reported, never called clean. */
export const MIME_MAX_DEPTH = 20;
const MAX_DEPTH = MIME_MAX_DEPTH;

/** The line break the message uses (what we write when we add lines). */
export function lineBreak(buf: Buffer): string {
  const lf = buf.indexOf(0x0a);
  return lf > 0 && buf[lf - 1] === 0x0d ? '\r\n' : lf === -1 ? '\r\n' : '\n';
}

/** Where the header block ends: the index of the empty line's first byte, and the body start. */
function findHeaderEnd(buf: Buffer, start: number, end: number): { headerEnd: number; bodyStart: number } {
  // A part that begins with an empty line has no headers.
  if (buf[start] === 0x0a) return { headerEnd: start, bodyStart: start + 1 };
  if (buf[start] === 0x0d && buf[start + 1] === 0x0a) return { headerEnd: start, bodyStart: start + 2 };
  let i = start;
  while (i < end) {
    const lf = buf.indexOf(0x0a, i);
    if (lf === -1 || lf >= end) return { headerEnd: end, bodyStart: end };
    const next = lf + 1;
    if (buf[next] === 0x0a) return { headerEnd: next, bodyStart: next + 1 };
    if (buf[next] === 0x0d && buf[next + 1] === 0x0a) return { headerEnd: next, bodyStart: next + 2 };
    i = next;
  }
  return { headerEnd: end, bodyStart: end };
}

export function parseHeaderFields(buf: Buffer, start: number, headerEnd: number): HeaderField[] {
  const text = buf.toString('latin1', start, headerEnd);
  const fields: HeaderField[] = [];
  let pos = 0;
  let current: { start: number; end: number } | null = null;
  const flush = () => {
    if (!current) return;
    const raw = text.slice(current.start, current.end);
    const colon = raw.indexOf(':');
    if (colon > 0) {
      fields.push({
        name: raw.slice(0, colon).trim(),
        value: raw
          .slice(colon + 1)
          .replace(/\r?\n(?=[ \t])/g, '')
          .trim(),
        start: start + current.start,
        end: start + current.end,
      });
    }
    current = null;
  };
  while (pos < text.length) {
    const lf = text.indexOf('\n', pos);
    const lineEnd = lf === -1 ? text.length : lf;
    const contentEnd = lineEnd > pos && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const first = text[pos];
    if ((first === ' ' || first === '\t') && current) current.end = contentEnd;
    else {
      flush();
      current = { start: pos, end: contentEnd };
    }
    pos = lineEnd + 1;
  }
  flush();
  return fields;
}

export function getHeader(headers: HeaderField[], name: string): HeaderField | undefined {
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n);
}

/** `type/sub; a=b; c*=utf-8''x` → value + parameters (RFC 2045 quoting, RFC 2231 continuations). */
export function parseStructured(value: string): { value: string; params: Record<string, string> } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') quoted = !quoted;
    if (c === '\\' && quoted && i + 1 < value.length) {
      cur += value[++i];
      continue;
    }
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const params: Record<string, string> = {};
  const continued: Record<string, Array<{ n: number; v: string; enc: boolean }>> = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/s, '$1');
    const m = key.match(/^([^*]+)(?:\*(\d+))?(\*)?$/);
    if (!m) continue;
    if (m[2] === undefined && !m[3]) params[m[1]!] = headerText(v);
    else (continued[m[1]!] ??= []).push({ n: Number(m[2] ?? 0), v, enc: !!m[3] });
  }
  for (const [name, pieces] of Object.entries(continued)) {
    pieces.sort((a, b) => a.n - b.n);
    let charset = 'utf-8';
    const bytes: number[] = [];
    pieces.forEach((piece, idx) => {
      let v = piece.v;
      if (piece.enc && idx === 0) {
        const m = v.match(/^([^']*)'[^']*'(.*)$/s);
        if (m) {
          charset = m[1] || charset;
          v = m[2]!;
        }
      }
      if (piece.enc)
        v.replace(/%([0-9a-f]{2})|([^%])/gi, (_, hex: string, ch: string) => {
          if (hex) bytes.push(parseInt(hex, 16));
          else bytes.push(...Buffer.from(ch, 'latin1'));
          return '';
        });
      else bytes.push(...Buffer.from(v, 'latin1'));
    });
    params[name] = decodeCharset(Buffer.from(bytes), charset);
  }
  return { value: parts[0]!.trim().toLowerCase(), params };
}

function decodeCharset(b: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/** A header value for display: raw UTF-8 bytes and RFC 2047 encoded words decoded. */
export function headerText(latin1: string): string {
  const utf8 = Buffer.from(latin1, 'latin1').toString('utf8');
  return utf8.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (_, cs: string, enc: string, text: string) => {
    const bytes =
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return decodeCharset(bytes, cs.split('*')[0]!);
  });
}

function parsePart(buf: Buffer, start: number, end: number, path: string, isMessage: boolean, depth: number): MimePart {
  const { headerEnd, bodyStart } = findHeaderEnd(buf, start, end);
  const headers = parseHeaderFields(buf, start, headerEnd);
  const ct = parseStructured(getHeader(headers, 'content-type')?.value ?? 'text/plain');
  const cd = parseStructured(getHeader(headers, 'content-disposition')?.value ?? '');
  const filename = cd.params.filename ?? ct.params.name ?? '';
  const part: MimePart = {
    path,
    start,
    bodyStart,
    end,
    headers,
    contentType: ct.value.includes('/') ? ct.value : 'text/plain',
    params: ct.params,
    disposition: cd.value,
    filename,
    encoding: (getHeader(headers, 'content-transfer-encoding')?.value ?? '7bit').toLowerCase().trim(),
    children: [],
    isMessage,
  };
  if (depth >= MAX_DEPTH) {
    if (part.contentType.startsWith('multipart/') || part.contentType === 'message/rfc822') part.tooDeep = true;
    return part;
  }
  const child = (n: number) => (path ? `${path}.${n}` : String(n));
  if (part.contentType.startsWith('multipart/') && ct.params.boundary) {
    for (const [i, r] of splitMultipart(buf, bodyStart, end, ct.params.boundary).entries()) {
      part.children.push(parsePart(buf, r.start, r.end, child(i + 1), false, depth + 1));
    }
  } else if (part.contentType === 'message/rfc822' && ['7bit', '8bit', 'binary'].includes(part.encoding)) {
    part.children.push(parsePart(buf, bodyStart, end, child(1), true, depth + 1));
  }
  return part;
}

/** Byte ranges of the body parts between `--boundary` delimiter lines. */
export function splitMultipart(buf: Buffer, start: number, end: number, boundary: string): Array<{ start: number; end: number }> {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const ranges: Array<{ start: number; end: number }> = [];
  let open = -1; // start of the current part's content
  let i = start;
  while (i < end) {
    const at = buf.indexOf(delim, i);
    if (at === -1 || at + delim.length > end) break;
    i = at + delim.length;
    if (at !== start && buf[at - 1] !== 0x0a) continue; // not at the start of a line
    const after = buf[i];
    const closing = after === 0x2d && buf[i + 1] === 0x2d;
    if (!closing && after !== undefined && ![0x0d, 0x0a, 0x20, 0x09].includes(after)) continue; // longer boundary
    if (open !== -1) {
      let partEnd = at === start ? at : at - 1; // drop the line break that belongs to the delimiter
      if (partEnd > open && buf[partEnd - 1] === 0x0d) partEnd--;
      ranges.push({ start: open, end: Math.max(open, partEnd) });
    }
    if (closing) return ranges;
    const lf = buf.indexOf(0x0a, i);
    open = lf === -1 || lf >= end ? end : lf + 1;
    i = open;
  }
  if (open !== -1 && open < end) ranges.push({ start: open, end }); // unterminated last part
  return ranges;
}

export function parseMessage(buf: Buffer): MimePart {
  return parsePart(buf, 0, buf.length, '', true, 0);
}

const HEX = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

export function decodeQuotedPrintable(text: string): Buffer {
  const s = text.replace(/=\r?\n/g, '');
  // One output byte per input character at most: decode into a buffer of that size.
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61 && i + 2 < s.length && HEX(s.charCodeAt(i + 1)) >= 0 && HEX(s.charCodeAt(i + 2)) >= 0) {
      out[n++] = HEX(s.charCodeAt(i + 1)) * 16 + HEX(s.charCodeAt(i + 2));
      i += 2;
    } else out[n++] = c & 0xff;
  }
  return Buffer.from(out.subarray(0, n));
}

/** The part's body with its transfer encoding undone (read-only: it may share the message's memory). */
export function decodeBody(buf: Buffer, part: MimePart): Buffer {
  const raw = buf.subarray(part.bodyStart, part.end);
  if (part.encoding === 'base64') return Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (part.encoding === 'quoted-printable') return decodeQuotedPrintable(raw.toString('latin1'));
  return raw; // the bytes as they are: a view, not a copy (a large part is most of the message)
}

/** Every part without children (the objects the scanners look at). */
export function leafParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const walk = (p: MimePart) => {
    if (p.children.length === 0) out.push(p);
    else p.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** A part the user would call an attachment (as opposed to the message text). */
export function isAttachment(part: MimePart): boolean {
  if (part.disposition === 'attachment' || part.filename) return true;
  return !part.contentType.startsWith('text/') && !part.contentType.startsWith('multipart/');
}
