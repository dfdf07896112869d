// header_size_limit as Postfix's cleanup applies it (mime_state.c collects, cleanup_out.c cuts).
import { describe, expect, it } from 'vitest';
import { limitHeaderSize } from '../../../src/policy/header-limit.js';

const msg = (headers: string) => Buffer.from(`${headers}\r\n\r\nbody line\r\n`, 'latin1');

describe('limitHeaderSize', () => {
  it('returns the same buffer when no header reaches the limit', () => {
    const m = msg('Subject: short\r\nX-Folded: a\r\n b\r\n c');
    expect(limitHeaderSize(m, 100)).toBe(m);
  });

  it('drops continuation lines once the limit is held, cutting at a line boundary past 90%', () => {
    // "X-Long: 00" (10 bytes), then 9-byte lines " 00xxxxxx": held = 10 + 10×k (one \n per join),
    // so collecting stops once 100 bytes are held (after 9 continuation lines), and the 9th ends
    // exactly at the limit, which the cut keeps.
    const cont = Array.from({ length: 50 }, (_, i) => ` ${String(i).padStart(2, '0')}xxxxxx`).join('\r\n');
    const out = limitHeaderSize(msg(`Subject: keep\r\nX-Long: 00\r\n${cont}\r\nTo: b@x`), 100).toString('latin1');
    const long = out.split('\r\n').filter((l) => l.startsWith('X-Long') || l.startsWith(' '));
    expect(long.join('\n').length).toBe(100);
    expect(long.length).toBe(10);
    expect(out).toContain('Subject: keep\r\n');
    expect(out).toContain('\r\nTo: b@x\r\n\r\nbody line\r\n');
  });

  it('cuts one over-long line exactly at the limit (unkind cut)', () => {
    const out = limitHeaderSize(msg(`X-Huge: ${'a'.repeat(500)}\r\nSubject: s`), 100).toString('latin1');
    expect(out.split('\r\n')[0]).toBe(`X-Huge: ${'a'.repeat(92)}`);
    expect(out).toContain('\r\nSubject: s\r\n\r\nbody line');
  });

  it('bounds a 5 MB header folded over 72,000 lines in linear time', () => {
    const folded = `X-Bomb: start\r\n${' y'.repeat(1).padEnd(70, 'y').concat('\r\n').repeat(72000)}Subject: after`;
    const m = msg(folded);
    const out = limitHeaderSize(m);
    const header = out.toString('latin1').split('\r\n\r\n')[0]!;
    expect(header.length).toBeLessThan(102400 + 2 * 1500);
    expect(header.endsWith('Subject: after')).toBe(true);
  });
});

describe('limitHeaderSize nice cut', () => {
  it('drops the line that crosses the limit when it starts past 90% of it', () => {
    // First line 95 bytes, then a 20-byte continuation starting at offset 96 (> 90): dropped.
    const out = limitHeaderSize(msg(`X-A: ${'a'.repeat(90)}\r\n ${'b'.repeat(19)}\r\nSubject: s`), 100).toString('latin1');
    expect(out.split('\r\n').slice(0, 2)).toEqual([`X-A: ${'a'.repeat(90)}`, 'Subject: s']);
  });
});
