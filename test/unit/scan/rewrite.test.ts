import { describe, expect, it } from 'vitest';
import { leafParts, parseMessage } from '../../../src/scan/mime.js';
import { appendHeaders, replaceParts, tagSubject } from '../../../src/scan/rewrite.js';
import { cleanupContent } from '../../../src/policy/content.js';
import { buildMessage } from './fixtures.js';

describe('rewriting', () => {
  it('tags a folded Subject in place and keeps everything else', () => {
    const m = Buffer.from('From: a@b.example\r\nSubject: long\r\n subject\r\nTo: c@d.example\r\n\r\nbody\r\n');
    expect(tagSubject(m, ['[Spam]']).toString()).toBe(
      'From: a@b.example\r\nSubject: [Spam] long\r\n subject\r\nTo: c@d.example\r\n\r\nbody\r\n',
    );
    // Not twice, and several tags in order; UTF-8 tags as UTF-8 bytes.
    expect(tagSubject(tagSubject(m, ['[Spam]']), ['[Spam]']).toString()).toContain('Subject: [Spam] long');
    expect(tagSubject(m, ['[Spam]', '[Vir]', '[Спам]']).toString('utf8')).toContain('Subject: [Spam] [Vir] [Спам] long');
  });

  it('adds a Subject when there is none and keeps bare-LF messages bare-LF', () => {
    const m = Buffer.from('From: a@b.example\n\nbody\n');
    expect(tagSubject(m, ['[Spam]']).toString()).toBe('From: a@b.example\nSubject: [Spam]\n\nbody\n');
    expect(appendHeaders(m, ['X-A: 1', 'X-B: 2']).toString()).toBe('From: a@b.example\nX-A: 1\nX-B: 2\n\nbody\n');
    expect(appendHeaders(Buffer.from('Subject: x'), ['X-A: 1']).toString()).toBe('Subject: x\r\nX-A: 1\r\n');
  });

  it('replaces parts; a part inside an already replaced part is not replaced twice', () => {
    const m = buildMessage({
      attachments: [
        { name: 'a.bin', data: 'AAAA' },
        { name: 'b.bin', data: 'BBBB' },
      ],
    });
    const leaves = leafParts(parseMessage(m));
    const out = replaceParts(m, [
      { part: leaves[2]!, note: 'gone b' },
      { part: leaves[1]!, note: 'gone ä' },
    ]);
    const after = leafParts(parseMessage(out));
    expect(after.map((p) => p.filename)).toEqual(['', '', '']);
    expect(out.toString('utf8')).toContain('gone ä');
    expect(out.toString('utf8')).toContain('gone b');
    expect(out.subarray(0, leaves[1]!.start).equals(m.subarray(0, leaves[1]!.start))).toBe(true);
  });

  it('adds fields to a large message in the room in front of it, with the bytes a copy would have', () => {
    const body = Buffer.from(`${'X'.repeat(78)}\r\n`.repeat(2000), 'latin1');
    const raw = Buffer.concat([Buffer.from('From: a@b.example\r\nSubject: s\r\n\r\n'), body]);
    const data = cleanupContent(raw, { unstuff: true, received: 'Received: by relay\r\n' });
    const expected = (m: Buffer, fields: string[]) => appendHeaders(Buffer.from(m), fields).toString('latin1'); // a plain copy: no room
    let cur = data;
    for (let i = 0; i < 40; i++) {
      const fields = [`X-KSMG-Test-${i}: ${'v'.repeat(100)}`];
      const want = expected(cur, fields);
      const next = appendHeaders(cur, fields);
      expect(next.toString('latin1')).toBe(want);
      // While the 4 KB of room last, the body is not copied: same memory, the start moved back.
      if (i < 30) expect(next.buffer).toBe(data.buffer);
      cur = next;
    }
    expect(cur.buffer).not.toBe(data.buffer); // the room ran out: copied once, as before
    expect(cur.subarray(cur.length - body.length).equals(body)).toBe(true);
  });
});
