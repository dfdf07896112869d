// Byte-level edits of a message: replace a part with a text note (Delete attachment), tag the
// Subject, add X-headers. Every byte outside the edited range stays as received, so a DKIM
// signature survives added X-headers (they are not in its h= list).
import { headroom, withHeadroom } from '../policy/headroom.js';
import { lineBreak, parseHeaderFields, type HeaderField, type MimePart } from './mime.js';

function topHeaders(data: Buffer): HeaderField[] {
  let end = data.indexOf('\r\n\r\n');
  // A bare-LF blank line counts only before the CRLF one: not searched for in the whole body.
  const lfEnd = (end === -1 ? data : data.subarray(0, end + 1)).indexOf('\n\n');
  if (end === -1 || (lfEnd !== -1 && lfEnd < end)) end = lfEnd === -1 ? data.length : lfEnd + 1;
  else end += 2;
  return parseHeaderFields(data, 0, end);
}

/** The text note that replaces a deleted part. */
export function deletedPartNote(part: MimePart, reason: string): string {
  const what = part.filename ? `The attachment "${part.filename}"` : `A message part (${part.contentType})`;
  return `${what} was removed by Kaspersky Secure Mail Gateway: ${reason}.`;
}

/**
 * Replaces each part (headers and body) with a text/plain note. A part that is a whole message
 * (a single-part message itself) keeps its non-Content-* headers.
 */
export function replaceParts(data: Buffer, parts: Array<{ part: MimePart; note: string }>): Buffer {
  const eol = lineBreak(data);
  // Outermost first; drop parts nested in another replaced part.
  const sorted = [...parts].sort((a, b) => a.part.start - b.part.start || b.part.end - a.part.end);
  const chosen: typeof sorted = [];
  for (const p of sorted) {
    const last = chosen[chosen.length - 1];
    if (last && p.part.start >= last.part.start && p.part.end <= last.part.end) continue;
    chosen.push(p);
  }
  const pieces: Buffer[] = [];
  let pos = 0;
  for (const { part, note } of chosen) {
    pieces.push(data.subarray(pos, part.start));
    const kept = part.isMessage
      ? part.headers.filter((h) => !/^content-/i.test(h.name)).map((h) => data.toString('latin1', h.start, h.end))
      : [];
    // Kept header bytes go back as they were (latin1 = byte for byte); the note is UTF-8.
    const head = [
      ...kept,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      'Content-Disposition: inline',
      '',
      '',
    ];
    pieces.push(Buffer.from(head.join(eol), 'latin1'), Buffer.from(note, 'utf8'));
    if (part.isMessage) pieces.push(Buffer.from(eol));
    pos = part.end;
  }
  pieces.push(data.subarray(pos));
  return Buffer.concat(pieces);
}

/** Puts the tags in front of the Subject ("[Spam] Hello"); adds a Subject when there is none. */
export function tagSubject(data: Buffer, tags: string[]): Buffer {
  const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (unique.length === 0) return data;
  const subject = topHeaders(data).find((h) => h.name.toLowerCase() === 'subject');
  if (!subject) return appendHeaders(data, [`Subject: ${unique.join(' ')}`]);
  const raw = data.toString('latin1', subject.start, subject.end);
  const colon = raw.indexOf(':');
  const current = subject.value;
  const missing = unique.filter((t) => !current.startsWith(t) && !current.includes(`${t} `));
  if (missing.length === 0) return data;
  const rest = raw.slice(colon + 1).replace(/^[ \t]*/, '');
  return Buffer.concat([
    data.subarray(0, subject.start),
    Buffer.from(`${raw.slice(0, colon)}: `, 'latin1'),
    Buffer.from(`${missing.join(' ')} `, 'utf8'),
    Buffer.from(rest, 'latin1'),
    data.subarray(subject.end),
  ]);
}

/**
 * Adds header fields at the end of the header block, in the order given — where KSMG's X-KSMG-*
 * fields sit on real mail, after the relay's own Received: line. A message with free bytes in
 * front of it (policy/headroom.ts) is edited in place: the header block moves into them,
 * the body stays where it is, and `data` must not be used afterwards (its first bytes changed).
 */
export function appendHeaders(data: Buffer, fields: string[]): Buffer {
  if (fields.length === 0) return data;
  const eol = lineBreak(data);
  const added = Buffer.from(fields.map((f) => f + eol).join(''), 'utf8');
  const headers = topHeaders(data);
  const last = headers[headers.length - 1];
  if (!last) return Buffer.concat([added, data]);
  // After the last field and its line break.
  let at = last.end;
  if (data[at] === 0x0d) at++;
  if (data[at] === 0x0a) at++;
  else return Buffer.concat([data.subarray(0, at), Buffer.from(eol), added, data.subarray(at)]); // no line break after the last header
  const room = headroom(data);
  if (room < added.length) return Buffer.concat([data.subarray(0, at), added, data.subarray(at)]);
  const out = Buffer.from(data.buffer, data.byteOffset - added.length, data.length + added.length);
  out.set(data.subarray(0, at)); // overlapping ranges of one buffer: set() copies as if through a temporary
  out.set(added, at);
  return withHeadroom(out, room - added.length);
}
