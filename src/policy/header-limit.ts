// What Postfix's cleanup makes of every header block it stores — the message's own, each MIME
// part's and each attached message's (global/mime_state.c collects them, cleanup/cleanup_out.c
// cleanup_out_header() writes them):
//   - the obsolete "Name :" form is written "Name:" (the white space before the colon dropped);
//   - header_size_limit (default 102400): a logical header (its first line and its continuation
//     lines) is collected while fewer than the limit bytes are held — lines joined by one "\n" —
//     and further continuation lines are discarded; on output it is cut at the last line boundary
//     before the limit when that keeps more than 90% of it ("nice cut"), else exactly at the limit
//     ("unkind cut").
// Which lines are header lines of which block is mime_state's business (policy/mime-downgrade.ts
// runs the same state machine: boundaries, nesting, message/rfc822). Pure: bytes in, bytes out.
import { MIME_LIMITS, forEachHeader } from './mime-downgrade.js';

export const HEADER_SIZE_LIMIT: number = MIME_LIMITS.headerSize;

/** cleanup_out_header(): the lines a collected header ("\n"-joined) is written as. */
export function cleanupOutHeader(header: string, limit = HEADER_SIZE_LIMIT): string[] {
  const out: string[] = [];
  let offset = 0;
  for (const line of header.split('\n')) {
    if (offset + line.length > limit) {
      if (offset > 0.9 * limit) break; // nice cut
      out.push(line.slice(0, limit - offset)); // unkind cut
      break;
    }
    out.push(line);
    offset += line.length + 1;
  }
  return out;
}

/**
 * The message with every header of every header block written as cleanup writes it; the same
 * buffer when that changes nothing (the common case: no "Name :", no header near the limit).
 */
export function cleanupHeaders(data: Buffer, limit = HEADER_SIZE_LIMIT): Buffer {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  forEachHeader(data, { ...MIME_LIMITS, headerSize: limit }, (_name, header, start, end) => {
    const crlf = end >= start + 2 && data[end - 2] === 0x0d && data[end - 1] === 0x0a;
    const raw = data
      .toString('latin1', start, crlf ? end - 2 : end)
      .split('\r\n')
      .join('\n');
    if (raw.length < limit && raw === header) return;
    const lines = cleanupOutHeader(header, limit);
    if (lines.join('\n') !== raw) edits.push({ start, end, text: lines.join('\r\n') + (crlf ? '\r\n' : '') });
  });
  if (edits.length === 0) return data;
  const out: Buffer[] = [];
  let at = 0;
  for (const e of edits) {
    out.push(data.subarray(at, e.start), Buffer.from(e.text, 'latin1'));
    at = e.end;
  }
  out.push(data.subarray(at));
  return Buffer.concat(out);
}
