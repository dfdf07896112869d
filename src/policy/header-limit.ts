// header_size_limit (default 102400) as Postfix's cleanup applies it to the message headers
// (global/mime_state.c, cleanup/cleanup_out.c): a logical header (its first line and the
// continuation lines) is collected while fewer than the limit bytes are held — lines joined by
// one "\n" — and further continuation lines are discarded. On output the header is cut at the
// last line boundary before the limit when that keeps more than 90% of it ("nice cut"), else
// exactly at the limit ("unkind cut"). Only the message's own header block is handled here
// (Postfix also applies it to MIME part headers). Pure: bytes in, bytes out.
export const HEADER_SIZE_LIMIT = 102400;

/** Where the header block ends: the start of the empty line (the whole buffer when there is none). */
function headerBlockEnd(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const lf = buf.indexOf(0x0a, i);
    if (lf === -1) return buf.length;
    const lineLen = lf - i - (lf > i && buf[lf - 1] === 0x0d ? 1 : 0);
    if (lineLen === 0) return i;
    i = lf + 1;
  }
  return buf.length;
}

interface Line {
  start: number;
  /** Content end (without CR LF). */
  end: number;
  /** After the line break. */
  next: number;
}

function linesOf(buf: Buffer, from: number, to: number): Line[] {
  const out: Line[] = [];
  let i = from;
  while (i < to) {
    const lf = buf.indexOf(0x0a, i);
    const next = lf === -1 || lf >= to ? to : lf + 1;
    let end = lf === -1 || lf >= to ? to : lf;
    if (end > i && buf[end - 1] === 0x0d) end--;
    out.push({ start: i, end, next });
    i = next;
  }
  return out;
}

/** The message with every over-long header truncated as Postfix's cleanup does; the same buffer when none is. */
export function limitHeaderSize(buf: Buffer, limit = HEADER_SIZE_LIMIT): Buffer {
  const end = headerBlockEnd(buf);
  const lines = linesOf(buf, 0, end);
  // Group into logical headers and see whether any reaches the limit at all (the common case: no).
  const groups: Line[][] = [];
  for (const l of lines) {
    const cont = buf[l.start] === 0x20 || buf[l.start] === 0x09;
    if (cont && groups.length) groups[groups.length - 1]!.push(l);
    else groups.push([l]);
  }
  const size = (g: Line[]) => g.reduce((n, l) => n + (l.end - l.start), 0) + g.length - 1;
  if (groups.every((g) => size(g) <= limit)) return buf;

  const out: Buffer[] = [];
  const eol = Buffer.from('\r\n');
  for (const g of groups) {
    if (size(g) <= limit) {
      out.push(buf.subarray(g[0]!.start, g[g.length - 1]!.next));
      continue;
    }
    // Collect as mime_state does: append a line only while fewer than `limit` bytes are held.
    const kept: Line[] = [];
    let held = 0;
    for (const l of g) {
      if (kept.length && held >= limit) break;
      held += (kept.length ? 1 : 0) + (l.end - l.start);
      kept.push(l);
    }
    // Write as cleanup_out does: nice cut at a line boundary past 90%, else cut at the limit.
    let offset = 0;
    for (const l of kept) {
      const len = l.end - l.start;
      if (offset + len > limit) {
        if (offset > 0.9 * limit) break;
        out.push(buf.subarray(l.start, l.start + (limit - offset)), eol);
        break;
      }
      out.push(buf.subarray(l.start, l.end), eol);
      offset += len + 1;
    }
  }
  out.push(buf.subarray(end, buf.length));
  return Buffer.concat(out);
}
