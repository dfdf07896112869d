// The scan pool's threads: the relay's own pool starts every thread at once; the lab creates the
// process's default pool first (two threads, started as scans need them) and the relay's scanner,
// which does not choose its threads, joins that pool instead of starting its own.
import { afterEach, describe, expect, it } from 'vitest';
import { DnsError } from '../../../src/relay/resolver.js';
import { systemClock } from '../../../src/relay/clock.js';
import { ScanPool } from '../../../src/scan/pool.js';
import { LAB_SCAN_THREADS } from '../../../src/lab/lab.js';
import { EICAR } from '../../../src/lab/fixtures.js';

const none = async (): Promise<never> => {
  throw new DnsError('nodata', '', '');
};
const services = { resolver: { resolveMx: none, resolve4: none, resolve6: none, resolveTxt: none }, clock: systemClock };
const off = { dns: false, spf: false, dkim: false, dmarc: false, dnsTimeout: 10 };
const infected = Buffer.from(`Subject: x\r\n\r\n${EICAR}\r\n`, 'latin1');
/** Scanned, and the virus found (not a facts-of-failure answer). */
const found = (r: Awaited<ReturnType<ScanPool['analyze']>>) =>
  r.facts.failure === undefined && r.facts.objects.some((o) => o.viruses.length > 0);

const open: ScanPool[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe('the lab scan pool', () => {
  it('is joined by a scanner that does not choose its threads; threads start on demand, at most two', async () => {
    // A memory budget of its own keeps this pool apart from any other in this process.
    const budget = { memoryMb: 200 };
    const lab = new ScanPool({ budget, defaultPool: { threads: LAB_SCAN_THREADS, start: 'on-demand' } });
    open.push(lab);
    await lab.ready();
    expect(lab.threadCount).toBe(1);
    const relays = new ScanPool({ budget });
    open.push(relays);
    expect(relays.threadCount).toBe(1);
    const results = await Promise.all(Array.from({ length: 4 }, () => relays.analyze(infected, null, off, services)));
    for (const r of results) expect(found(r)).toBe(true);
    expect(lab.threadCount).toBeLessThanOrEqual(LAB_SCAN_THREADS);
    expect(relays.threadCount).toBe(lab.threadCount);
  });

  it('a pool with its own thread count starts all of them at once', async () => {
    const own = new ScanPool({ threads: 2, budget: { memoryMb: 201 } });
    open.push(own);
    expect(own.threadCount).toBe(2);
    expect(found(await own.analyze(infected, null, off, services))).toBe(true);
  });
});

describe('large messages in shared memory', () => {
  const large = (marker: string) => Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(2000) + `${marker}\r\n`, 'latin1');

  it('the memory comes back for the next message once the thread has answered', async () => {
    const pool = new ScanPool({ threads: 1, budget: { memoryMb: 202 } });
    open.push(pool);
    const first = await pool.analyze(large(EICAR), null, off, services);
    expect(found(first)).toBe(true);
    const kept = pool.idleSlotBytes;
    expect(kept).toBeGreaterThanOrEqual(large('').length);
    const again = await pool.analyze(large('clean'), null, off, services);
    expect(again.facts.failure).toBeUndefined();
    expect(again.facts.objects.some((o) => o.viruses.length > 0)).toBe(false); // the first message's bytes are gone
    expect(pool.idleSlotBytes).toBe(kept);
  });

  it('a thread stopped at its time budget does not give its memory back', async () => {
    const pool = new ScanPool({
      threads: 1,
      budget: { timeMs: 200, memoryMb: 203 },
      workerFile: new URL('../../robustness/fixtures/stall-worker.mjs', import.meta.url).href,
    });
    open.push(pool);
    const r = await pool.analyze(large('STALL-FOREVER'), null, off, services);
    expect(r.facts.failure).toMatch(/time budget of 200 ms exceeded/);
    expect(pool.idleSlotBytes).toBe(0);
  });
});
