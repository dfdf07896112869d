import { link, mkdtemp, readdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeQueueFile } from '../../../src/relay/queue-file.js';
import { isQueueId, newQueueId, Spool } from '../../../src/relay/spool.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ksmg-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const meta = (id: string) => ({
  id,
  arrivalTime: 1_700_000_000_000,
  sender: 'a@sender.example',
  recipients: [{ address: 'b@corp.example' }, { address: 'c@corp.example' }],
  client: { address: '203.0.113.7', name: 'unknown', helo: 'mail.sender.example', protocol: 'ESMTP' },
});

describe('Spool', () => {
  it('stores meta and the exact bytes, and starts every recipient pending', async () => {
    const spool = new Spool(dir);
    await spool.open();
    const data = Buffer.from('Subject: x\r\n\r\nbody\r\n.. dotted\r\n\x00\xff', 'latin1');
    const saved = await spool.enqueue(meta('ABCDE123456'), data);
    expect(saved.size).toBe(data.length);
    const { meta: m, data: d } = await spool.readFile('ABCDE123456');
    expect(m.sender).toBe('a@sender.example');
    expect(d.equals(data)).toBe(true);
    expect((await spool.readState('ABCDE123456')).recipients.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(await spool.ids()).toEqual(['ABCDE123456']);
  });

  it('keeps state updates and removes finished messages', async () => {
    const spool = new Spool(dir);
    await spool.open();
    await spool.enqueue(meta('ABCDE123456'), Buffer.from('x'));
    await spool.writeState('ABCDE123456', { recipients: [{ address: 'b@corp.example', status: 'sent', attempts: 1 }] });
    expect((await spool.load('ABCDE123456')).state.recipients[0]!.status).toBe('sent');
    await spool.remove('ABCDE123456');
    expect(await spool.ids()).toEqual([]);
  });

  it('on open, drops half-written files that were never acknowledged', async () => {
    const spool = new Spool(dir);
    await spool.open();
    await writeFile(path.join(dir, 'incoming', 'FFFFF000000.tmp'), 'partial');
    await writeFile(path.join(dir, 'state', 'FFFFF000001.json'), '{}');
    await spool.open();
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
    expect(await readdir(path.join(dir, 'state'))).toEqual([]);
  });

  it('on open, queues a complete file a crash left in incoming/ (fsynced, maybe acknowledged)', async () => {
    // What enqueue() has made durable when a crash comes before the link into queue/.
    const data = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const parts = encodeQueueFile(JSON.stringify({ ...meta('ABCDE123457'), size: data.length }), data);
    const spool = new Spool(dir);
    await spool.open();
    await writeFile(path.join(dir, 'incoming', 'ABCDE123457.tmp'), Buffer.concat(parts));
    // Cut short one byte before its end: never fsynced, never acknowledged.
    await writeFile(path.join(dir, 'incoming', 'ABCDE123458.tmp'), Buffer.concat(parts).subarray(0, -1));
    expect(await spool.open()).toEqual(['ABCDE123457']);
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
    expect(await spool.ids()).toEqual(['ABCDE123457']);
    const back = await spool.readFile('ABCDE123457');
    expect(back.data.equals(data)).toBe(true);
    expect(back.meta.recipients).toHaveLength(2);
  });

  it('on open, drops the temporary name of a message already linked into queue/', async () => {
    const spool = new Spool(dir);
    await spool.open();
    await spool.enqueue(meta('ABCDE123456'), Buffer.from('x'));
    // The crash came between link() and the unlink() of the temporary name.
    await link(path.join(dir, 'queue', 'ABCDE123456'), path.join(dir, 'incoming', 'ABCDE123456.tmp'));
    expect(await spool.open()).toEqual([]);
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
    expect((await spool.readFile('ABCDE123456')).data.toString()).toBe('x');
  });

  it('a reserved file (made while the scan runs) takes the message, or goes when released', async () => {
    const spool = new Spool(dir);
    await spool.open();
    const kept = spool.reserve('ABCDE123456');
    const dropped = spool.reserve('ABCDE123457');
    await Promise.all([kept.fd, dropped.fd]); // the files are made in libuv's pool
    expect((await readdir(path.join(dir, 'incoming'))).sort()).toEqual(['ABCDE123456.tmp', 'ABCDE123457.tmp']);
    await spool.enqueue(meta('ABCDE123456'), Buffer.from('kept'), undefined, kept);
    await spool.release(dropped);
    await spool.release(kept); // taken by enqueue(): nothing to do
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
    expect(await spool.ids()).toEqual(['ABCDE123456']);
    expect((await new Spool(dir).readFile('ABCDE123456')).data.toString()).toBe('kept');
    // A reservation for an id in use fails the enqueue, as an unreserved one does.
    const clash = spool.reserve('ABCDE123457');
    // The first reservation's file exists before the second is asked for: two creations in
    // libuv's pool at once may finish in either order.
    await clash.fd;
    const twice = spool.reserve('ABCDE123457');
    await expect(spool.enqueue(meta('ABCDE123457'), Buffer.from('x'), undefined, twice)).rejects.toThrow(/EEXIST/);
    await spool.release(clash);
    expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
  });

  it('refuses to overwrite an existing message id', async () => {
    const spool = new Spool(dir);
    await spool.open();
    await writeFile(path.join(dir, 'incoming', 'ABCDE123456.tmp'), 'other');
    await expect(spool.enqueue(meta('ABCDE123456'), Buffer.from('x'))).rejects.toThrow(/EEXIST/);
  });

  it('many concurrent enqueues all land', async () => {
    const spool = new Spool(dir);
    await spool.open();
    const ids = Array.from({ length: 50 }, (_, i) => `ABCDE${String(i).padStart(6, '0')}`);
    await Promise.all(ids.map((id) => spool.enqueue(meta(id), Buffer.from(id))));
    expect(await spool.ids()).toEqual(ids);
  });
});

describe('queue ids', () => {
  it('look like Postfix short ids and differ', () => {
    // One per microsecond, as Postfix's come; two in the same microsecond share the first five
    // digits and differ only by chance (24 random bits), which the spool handles on collision.
    const t0 = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => newQueueId(t0 + i / 1000)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isQueueId(id)).toBe(true);
  });
});
