// A spool with bad files in queue/ (empty, garbage, cut short, a stray name): the relay starts,
// moves them to corrupt/ naming each in the log, delivers the rest, and only then listens. A queue
// that cannot start at all means no listener — never a relay answering 250 with a dead queue.
import net from 'node:net';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/relay/clock.js';
import { parseRouteMap } from '../../src/relay/delivery/route-map.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay } from '../../src/relay/relay.js';
import { Spool } from '../../src/relay/spool.js';
import { DEFAULT_DNS, fakeResolver, makeConfig } from '../helpers/relay-fixture.js';
import { startSink, type Sink } from '../integration/relay/delivery/sink.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const meta = (id: string) => ({
  id,
  arrivalTime: Date.UTC(2026, 0, 1),
  sender: 'alice@sender.example',
  recipients: [{ address: 'bob@corp.example' }],
  client: { address: '203.0.113.7', name: 'unknown', helo: 'mail.sender.example', protocol: 'ESMTP' },
});

describe('bad queue files at start', () => {
  it('are moved aside with a log line each; the rest is delivered; the listener opens after the queue runs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-corrupt-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const before = new Spool(dir);
    await before.open();
    await before.enqueue(meta('AAAAA000001'), Buffer.from('Subject: survivor\r\n\r\nstill here\r\n'));
    await before.enqueue(meta('AAAAA000002'), Buffer.from(`Subject: cut\r\n\r\n${'x'.repeat(5000)}\r\n`));
    await truncate(path.join(dir, 'queue', 'AAAAA000002'), 2000);
    await writeFile(path.join(dir, 'queue', 'AAAAA000003'), '');
    await writeFile(path.join(dir, 'queue', 'AAAAA000004'), 'Unexpected garbage\n');
    await writeFile(path.join(dir, 'queue', 'notes.txt'), 'left by someone');

    const sink: Sink = await startSink();
    cleanup.push(() => sink.close());
    const logger = new MemoryLogger();
    const relay = await startRelay({
      config: makeConfig((c) => {
        c.mta.domains = [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }];
      }),
      listen: { host: '127.0.0.1', port: 0 },
      spoolDir: dir,
      clock: new ManualClock(),
      logger,
      resolver: fakeResolver(DEFAULT_DNS),
      routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${sink.port}`]),
      scanner: false,
      shutdownGraceMs: 200,
    });
    cleanup.push(() => relay.close());
    await relay.queue!.whenIdle!();
    expect(sink.received.map((t) => t.data.toString()).join()).toContain('still here');
    expect(await relay.spool.ids()).toEqual([]);
    const aside = (await readdir(path.join(dir, 'corrupt'))).map((f) => f.split('.')[0]).sort();
    expect([...new Set(aside)]).toEqual(['AAAAA000002', 'AAAAA000003', 'AAAAA000004', 'notes']);
    const expected: Array<[string, string]> = [
      ['AAAAA000002', 'truncated'],
      ['AAAAA000003', 'empty file'],
      ['AAAAA000004', 'unreadable metadata'],
      ['notes.txt', 'not a queue file name'],
    ];
    for (const [name, why] of expected) {
      expect(
        logger.find(new RegExp(`warning: corrupted queue file: queue/${name.replace('.', '\\.')}: ${why}.*; moved to ${dir}/corrupt/`)),
        name,
      ).toBeDefined();
    }
  });

  it('a queue that cannot start: startRelay fails and nothing listens', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-nostart-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expect(
      startRelay({
        config: makeConfig(),
        listen: { host: '127.0.0.1', port },
        spoolDir: dir,
        clock: new ManualClock(),
        logger: new MemoryLogger(),
        resolver: fakeResolver(DEFAULT_DNS),
        scanner: false,
        queue: () => ({
          notify() {},
          start: async () => {
            throw new Error('spool unreadable');
          },
        }),
      }),
    ).rejects.toThrow('spool unreadable');
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
