// header_size_limit as Postfix's cleanup applies it (mime_state.c collects, cleanup_out.c cuts).
import { describe, expect, it } from 'vitest';
import { cleanupHeaders } from '../../../src/policy/header-limit.js';

const msg = (headers: string) => Buffer.from(`${headers}\r\n\r\nbody line\r\n`, 'latin1');

describe('cleanupHeaders', () => {
  it('returns the same buffer when no header reaches the limit', () => {
    const m = msg('Subject: short\r\nX-Folded: a\r\n b\r\n c');
    expect(cleanupHeaders(m, 100)).toBe(m);
  });

  it('drops continuation lines once the limit is held, cutting at a line boundary past 90%', () => {
    // "X-Long: 00" (10 bytes), then 9-byte lines " 00xxxxxx": held = 10 + 10×k (one \n per join),
    // so collecting stops once 100 bytes are held (after 9 continuation lines), and the 9th ends
    // exactly at the limit, which the cut keeps.
    const cont = Array.from({ length: 50 }, (_, i) => ` ${String(i).padStart(2, '0')}xxxxxx`).join('\r\n');
    const out = cleanupHeaders(msg(`Subject: keep\r\nX-Long: 00\r\n${cont}\r\nTo: b@x`), 100).toString('latin1');
    const long = out.split('\r\n').filter((l: string) => l.startsWith('X-Long') || l.startsWith(' '));
    expect(long.join('\n').length).toBe(100);
    expect(long.length).toBe(10);
    expect(out).toContain('Subject: keep\r\n');
    expect(out).toContain('\r\nTo: b@x\r\n\r\nbody line\r\n');
  });

  it('cuts one over-long line exactly at the limit (unkind cut)', () => {
    const out = cleanupHeaders(msg(`X-Huge: ${'a'.repeat(500)}\r\nSubject: s`), 100).toString('latin1');
    expect(out.split('\r\n')[0]).toBe(`X-Huge: ${'a'.repeat(92)}`);
    expect(out).toContain('\r\nSubject: s\r\n\r\nbody line');
  });

  it('bounds a 5 MB header folded over 72,000 lines in linear time', () => {
    const folded = `X-Bomb: start\r\n${' y'.repeat(1).padEnd(70, 'y').concat('\r\n').repeat(72000)}Subject: after`;
    const m = msg(folded);
    const out = cleanupHeaders(m);
    const header = out.toString('latin1').split('\r\n\r\n')[0]!;
    expect(header.length).toBeLessThan(102400 + 2 * 1500);
    expect(header.endsWith('Subject: after')).toBe(true);
  });
});

describe('cleanupHeaders nice cut', () => {
  it('drops the line that crosses the limit when it starts past 90% of it', () => {
    // First line 95 bytes, then a 20-byte continuation starting at offset 96 (> 90): dropped.
    const out = cleanupHeaders(msg(`X-A: ${'a'.repeat(90)}\r\n ${'b'.repeat(19)}\r\nSubject: s`), 100).toString('latin1');
    expect(out.split('\r\n').slice(0, 2)).toEqual([`X-A: ${'a'.repeat(90)}`, 'Subject: s']);
  });
});

describe('cleanupHeaders: every header block, as cleanup writes it', () => {
  const part = (headers: string) =>
    Buffer.from(
      [
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        'Subject: s',
        '',
        '--b1',
        headers,
        '',
        'text',
        '--b1--',
        '',
      ].join('\r\n'),
      'latin1',
    );

  it('writes "Name :" as "Name:" in the message header and in a part header, nothing else', () => {
    const m = part('Content-Type : text/plain\r\nX-Part :\t value');
    const out = cleanupHeaders(Buffer.concat([Buffer.from('Subject : spaced\r\n'), m])).toString('latin1');
    expect(out).toContain('Subject: spaced\r\n');
    expect(out).toContain('\r\n--b1\r\nContent-Type: text/plain\r\nX-Part:\t value\r\n\r\ntext\r\n--b1--\r\n');
  });

  it('cuts an over-long part header and an attached message header at the limit', () => {
    const long = (name: string) => `${name}: x${'\r\n 123456789'.repeat(30)}`;
    const m = Buffer.from(
      [
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        long('X-Part'),
        '',
        'text',
        '--b1',
        'Content-Type: message/rfc822',
        '',
        long('X-Nested'),
        '',
        'nested body',
        '--b1--',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const out = cleanupHeaders(m, 100).toString('latin1');
    for (const name of ['X-Part', 'X-Nested']) {
      const at = out.indexOf(`${name}: x`);
      const header = out.slice(at, out.indexOf('\r\n\r\n', at)).split('\r\n').join('\n');
      expect(header.length, name).toBeLessThanOrEqual(100);
      expect(header.length, name).toBeGreaterThan(90);
    }
    expect(out).toContain('\r\n\r\nnested body\r\n--b1--\r\n');
  });

  it('leaves a part body alone, even where it looks like a header', () => {
    const m = part('Content-Type: text/plain');
    const body = Buffer.from(m.toString('latin1').replace('\r\ntext\r\n', '\r\nNot-A-Header : kept\r\n'), 'latin1');
    expect(cleanupHeaders(body)).toBe(body);
  });

  it('a message without "boundary" is looked at up to its first blank line only (the same result)', () => {
    const body = `${'Body-Line : x\r\n'.repeat(3)}`;
    const m = Buffer.from(`Subject : s\r\n\r\n${body}`, 'latin1');
    expect(cleanupHeaders(m).toString('latin1')).toBe(`Subject: s\r\n\r\n${body}`);
  });
});
