// writeFullySync: the spool's synchronous write keeps the byte-for-byte promise of writeFully.
import { describe, expect, it } from 'vitest';
import { writeFullySync } from '../../../src/relay/queue-file.js';
import { newQueueId, isQueueId } from '../../../src/relay/spool.js';

describe('writeFullySync', () => {
  it('keeps writing after short writes and fails on a write that makes no progress', () => {
    const written: Buffer[] = [];
    // At most 7 bytes per call, the way a nearly full disk behaves before ENOSPC.
    const short = (_fd: number, bufs: Buffer[]) => {
      const all = Buffer.concat(bufs).subarray(0, 7);
      written.push(Buffer.from(all));
      return all.length;
    };
    const parts = [Buffer.from('hello '), Buffer.from(''), Buffer.from('world, and more bytes')];
    expect(writeFullySync(3, parts, short)).toBe(27);
    expect(Buffer.concat(written).toString()).toBe('hello world, and more bytes');
    expect(() => writeFullySync(3, [Buffer.from('x')], () => 0)).toThrow(/no progress/);
  });
});

describe('newQueueId', () => {
  it('is 11 upper-case hex digits, led by the microseconds, across refills of its random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = newQueueId(1_700_000_000_123.456);
      expect(isQueueId(id)).toBe(true);
      expect(id.slice(0, 5)).toBe((Math.floor(1_700_000_000_123.456 * 1000) % 0x100000).toString(16).toUpperCase().padStart(5, '0'));
      ids.add(id);
    }
    // 24 random bits: a few collisions among 10 000 are possible, many would mean a broken pool.
    expect(ids.size).toBeGreaterThan(9_990);
  });
});
