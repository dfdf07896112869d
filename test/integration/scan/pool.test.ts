// The scan pool's threads: the relay's own pool starts every thread at once; the lab creates the
// process's default pool first (two threads, started as scans need them) and the relay's scanner,
// which does not choose its threads, joins that pool instead of starting its own.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { createDnsResolver, DnsError } from '../../../src/relay/resolver.js';
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

describe('sender authentication in the worker (the relay: its own resolver, real time)', () => {
  it('asks the DNS servers itself; waiting for slow answers is not running time', async () => {
    // NXDOMAIN for everything, 300 ms late: past a 100 ms budget if waits counted.
    const dns = dgram.createSocket('udp4');
    await new Promise<void>((r) => dns.bind(0, '127.0.0.1', () => r()));
    const asked: string[] = [];
    dns.on('message', (q, from) => {
      asked.push(q.toString('latin1', 13, q.length - 5));
      const a = Buffer.from(q);
      a[2] = 0x81;
      a[3] = 0x83;
      setTimeout(() => dns.send(a, from.port, from.address), 300);
    });
    const resolver = createDnsResolver({ servers: [`127.0.0.1:${dns.address().port}`], timeoutMs: 2000, tries: 1 });
    const pool = new ScanPool({ threads: 1, budget: { timeMs: 100, memoryMb: 202 } });
    open.push(pool);
    try {
      expect(ScanPool.canAuthenticate({ resolver, clock: systemClock })).toBe(true);
      const r = await pool.analyze(
        infected,
        { sender: 'a@sender.example', ip: '203.0.113.7', helo: 'mail.sender.example', mta: 'ksmg.corp.example' },
        { dns: true, spf: true, dkim: true, dmarc: true, dnsTimeout: 10 },
        { resolver, clock: systemClock },
      );
      expect(found(r)).toBe(true);
      expect(r.auth).toMatchObject({ timedOut: false, spf: { result: 'none' }, dmarc: { result: 'none' } });
      expect(asked.some((n) => n.includes('sender'))).toBe(true);
    } finally {
      dns.close();
    }
  });
});
