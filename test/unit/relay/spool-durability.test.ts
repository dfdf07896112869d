// The spool's promises on disk: every byte or an error, files that detect truncation and damage,
// bad files moved aside while the rest of the queue runs, private modes whatever the umask.
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptQueueFile, decodeQueueFile, encodeQueueFile, writeFully } from '../../../src/relay/queue-file.js';
import { Spool } from '../../../src/relay/spool.js';
import { QueueManager } from '../../../src/relay/queue/manager.js';
import { defaultConfig } from '../../../src/config/schema.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ksmg-spool-d-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const meta = (id: string) => ({
  id,
  arrivalTime: 1_700_000_000_000,
  sender: 'a@sender.example',
  recipients: [{ address: 'b@corp.example' }],
  client: { address: '203.0.113.7', name: 'unknown', helo: 'mail.sender.example', protocol: 'ESMTP' },
});

describe('queue file format', () => {
  const body = Buffer.from('Subject: x\r\n\r\n' + 'y'.repeat(5000) + '\r\n');
  const file = Buffer.concat(encodeQueueFile(JSON.stringify({ id: 'X', size: body.length }), body));

  it('round-trips meta and bytes', () => {
    const { meta: m, data } = decodeQueueFile<{ id: string; size: number }>('queue/X', file);
    expect(m.id).toBe('X');
    expect(data.equals(body)).toBe(true);
  });

  it('detects a file cut short, one with bytes appended, a flipped byte and an empty file', () => {
    const cut = file.subarray(0, file.length - 100);
    expect(() => decodeQueueFile('queue/X', cut)).toThrow(/truncated/);
    expect(() => decodeQueueFile('queue/X', Buffer.concat([file, Buffer.from('zz')]))).toThrow(/after the end/);
    const flipped = Buffer.from(file);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0x20;
    expect(() => decodeQueueFile('queue/X', flipped)).toThrow(/checksum mismatch/);
    expect(() => decodeQueueFile('queue/X', Buffer.alloc(0))).toThrow(CorruptQueueFile);
    expect(() => decodeQueueFile('queue/X', Buffer.from('{garbage\n'))).toThrow(/unreadable metadata/);
  });

  it('reads the earlier format (JSON line + bytes) and checks its size', () => {
    const legacy = Buffer.concat([Buffer.from(JSON.stringify({ id: 'X', size: 4 }) + '\n'), Buffer.from('abcd')]);
    expect(decodeQueueFile('queue/X', legacy).data.toString()).toBe('abcd');
    expect(() => decodeQueueFile('queue/X', legacy.subarray(0, legacy.length - 1))).toThrow(/truncated or damaged/);
  });

  it('keeps writing after short writes and fails on a write that makes no progress', async () => {
    const written: Buffer[] = [];
    const shortWriter = {
      async writev(bufs: Buffer[]) {
        // At most 7 bytes per call, the way a nearly full disk behaves before ENOSPC.
        const all = Buffer.concat(bufs).subarray(0, 7);
        written.push(Buffer.from(all));
        return { bytesWritten: all.length, buffers: bufs };
      },
    } as unknown as FileHandle;
    const parts = [Buffer.from('hello '), Buffer.from(''), Buffer.from('world, and more bytes')];
    expect(await writeFully(shortWriter, parts)).toBe(27);
    expect(Buffer.concat(written).toString()).toBe('hello world, and more bytes');
    const stuck = { writev: async () => ({ bytesWritten: 0, buffers: [] }) } as unknown as FileHandle;
    await expect(writeFully(stuck, [Buffer.from('x')])).rejects.toThrow(/no progress/);
  });
});

describe('Spool on disk', () => {
  it('makes directories 0700 and files 0600 even under umask 000', async () => {
    const old = process.umask(0);
    try {
      const spool = new Spool(path.join(dir, 'spool'));
      await spool.open();
      await spool.enqueue(meta('ABCDE123456'), Buffer.from('x'));
      await spool.writeState('ABCDE123456', { recipients: [{ address: 'b@corp.example', status: 'deferred', attempts: 1 }] });
      for (const d of ['', 'incoming', 'queue', 'state', 'corrupt']) {
        expect(((await stat(path.join(spool.dir, d))).mode & 0o777).toString(8)).toBe('700');
      }
      expect(((await stat(path.join(spool.dir, 'queue', 'ABCDE123456'))).mode & 0o777).toString(8)).toBe('600');
      expect(((await stat(path.join(spool.dir, 'state', 'ABCDE123456.json'))).mode & 0o777).toString(8)).toBe('600');
    } finally {
      process.umask(old);
    }
  });

  it('leaves no incoming/*.tmp when a write fails', async () => {
    const spool = new Spool(dir);
    await spool.open();
    // A Buffer-like that makes writev throw midway, as EIO/ENOSPC would.
    const poisoned = new Proxy(Buffer.from('abc'), {}) as Buffer;
    Object.defineProperty(poisoned, 'length', {
      get() {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expect(spool.enqueue(meta('ABCDE123456'), poisoned)).rejects.toThrow();
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
    expect(await spool.ids()).toEqual([]);
  });

  it('moves truncated, garbage and stray files to corrupt/ with a log line and runs the rest', async () => {
    const spool = new Spool(dir);
    await spool.open();
    await spool.enqueue(meta('AAAAA000001'), Buffer.from('Subject: ok\r\n\r\nfine\r\n'));
    await spool.enqueue(meta('AAAAA000002'), Buffer.from('Subject: cut\r\n\r\n' + 'z'.repeat(4000)));
    await truncate(path.join(dir, 'queue', 'AAAAA000002'), 900);
    await writeFile(path.join(dir, 'queue', 'AAAAA000003'), 'not json at all\n');
    await writeFile(path.join(dir, 'queue', 'AAAAA000004'), '');
    await writeFile(path.join(dir, 'queue', 'junk.txt'), 'hello');
    const lines: string[] = [];
    const fresh = new Spool(dir); // a restarted relay: nothing cached
    await fresh.open();
    const q = new QueueManager({
      spool: fresh,
      config: defaultConfig('behind-edge-no-verify', [{ name: 'corp.example' }]),
      resolver: {} as never,
      logger: { info: (l: string) => lines.push(l) },
    });
    // Delivery itself is not under test: the manager is stopped right after loading.
    const started = q.start();
    await started;
    await q.stop(10);
    const left = await fresh.ids();
    expect(left.filter((id) => id.startsWith('AAAAA'))).toEqual(left.includes('AAAAA000001') ? ['AAAAA000001'] : []);
    expect(lines.some((l) => l.startsWith('AAAAA000001: from=<a@sender.example>') && l.includes('(queue active)'))).toBe(true);
    const aside = await readdir(path.join(dir, 'corrupt'));
    expect(
      aside
        .filter((f) => !f.endsWith('.state.json'))
        .map((f) => f.split('.')[0])
        .sort(),
    ).toEqual(['AAAAA000002', 'AAAAA000003', 'AAAAA000004', 'junk']);
    expect(lines.find((l) => l.includes('queue/AAAAA000002'))).toMatch(
      /corrupted queue file: queue\/AAAAA000002: truncated: 900 of \d+ bytes; moved to .*corrupt\/AAAAA000002\./,
    );
    expect(lines.some((l) => l.includes('queue/AAAAA000004: empty file'))).toBe(true);
    expect(lines.some((l) => l.includes('queue/junk.txt: not a queue file name'))).toBe(true);
    // The bytes are kept for the admin.
    const kept = aside.find((f) => f.startsWith('AAAAA000003'))!;
    expect(await readFile(path.join(dir, 'corrupt', kept), 'utf8')).toBe('not json at all\n');
  });

  it('answers the Postfix free-space rule from statfs', async () => {
    const spool = new Spool(dir);
    await spool.open();
    expect((await spool.hasRoomForMessage(1024)).ok).toBe(true);
    expect((await spool.hasRoomForMessage(Number.MAX_SAFE_INTEGER)).ok).toBe(false);
    expect((await spool.hasRoomForMessage(0, Number.MAX_SAFE_INTEGER)).ok).toBe(false);
  });
});
