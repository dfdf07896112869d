// The differential suite, receive side: the same ksmg.yaml starts the relay and (through
// `export postfix`) a real Postfix; every probe (probes.ts) goes to both, and the transcripts must
// be equal after normalising queue ids and next-hop names (harness.ts), except the deliberate
// differences in deliberate-differences.ts, which must show exactly as listed.
//
// Run:  npx vitest run test/differential        (needs Postfix; see postfix-instance.ts)
// Without Postfix the suite is skipped with one line saying how to install it; with CI=true a
// missing Postfix fails the run instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RelayHandle } from '../../src/relay/relay.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { SmtpSink } from '../../src/lab/sink.js';
import { fakeResolver } from '../helpers/relay-fixture.js';
import { normalise, runProbe, type Probe } from './harness.js';
import { ALL_PROBES } from './probes.js';
import { VARIANTS, SINK_USERS, ROUTE_HOST, EDGE_HOST, type Variant } from './variants.js';
import { deliberateFor } from './deliberate-differences.js';
import { postfixAvailability, startPostfix, type PostfixInstance } from './postfix-instance.js';

const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true: the differential suite must run, but ${avail.reason}`);
if (!avail.ok) console.log(`differential suite skipped: ${avail.reason}`);

/**
 * Probes of one variant in flight at once (each on its own client address); all variants run at
 * once, so about 7 × this many sessions are open (kept modest for a loaded 2-core CI machine).
 */
const CONCURRENCY = 10;

interface Outcome {
  relay: string[];
  postfix: string[];
}

const outcomes = new Map<string, Outcome>();
const key = (variant: string, probe: string) => `${variant} / ${probe}`;
const probesOf = (v: Variant): Probe[] => ALL_PROBES.filter((p) => (p.variants ? p.variants.includes(v.name) : !v.listedOnly));

async function pool<T>(items: T[], n: number, f: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await f(items[i]!, i);
      }
    }),
  );
}

async function runVariant(v: Variant): Promise<void> {
  const sink = new SmtpSink({ id: `sink-${v.name}`, hostname: 'mail.corp.example' });
  sink.setUsers(SINK_USERS);
  const sinkPort = await sink.start();
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-diff-'));
  let relay: RelayHandle | undefined;
  let postfix: PostfixInstance | undefined;
  try {
    const routeMap = new Map([ROUTE_HOST, EDGE_HOST].map((h) => [`${h}:25`, { host: '127.0.0.1', port: sinkPort }]));
    [relay, postfix] = await Promise.all([
      startRelay({
        config: v.config,
        listen: { host: '127.0.0.1', port: 0 },
        spoolDir,
        xclientFrom: ['127.0.0.1'],
        logger: new MemoryLogger(),
        resolver: fakeResolver({}),
        routeMap,
        queue: false,
        shutdownGraceMs: 200,
        ...(v.scan ? {} : { scanner: false as const }),
      }),
      startPostfix(v.config, { nextHop: `127.0.0.1:${sinkPort}` }),
    ]);
    const probes = probesOf(v);
    await pool(probes, CONCURRENCY, async (probe, i) => {
      const [r, p] = await Promise.all([runProbe(relay!.port, probe, i), runProbe(postfix!.port, probe, i)]);
      outcomes.set(key(v.name, probe.name), { relay: r.map(normalise), postfix: p.map(normalise) });
    });
  } finally {
    await Promise.all([relay?.close(), postfix?.stop()]);
    await sink.close();
    await rm(spoolDir, { recursive: true, force: true });
  }
}

let started = 0;
describe.skipIf(!avail.ok)(`relay vs Postfix ${avail.ok ? avail.version : ''}`, () => {
  beforeAll(async () => {
    started = Date.now();
    await Promise.all(VARIANTS.map(runVariant));
  }, 240_000);

  afterAll(async () => {
    // DIFF_DUMP=file.json keeps every transcript pair for a closer look.
    if (process.env.DIFF_DUMP) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(process.env.DIFF_DUMP, JSON.stringify(Object.fromEntries(outcomes), null, 1));
    }
    let agree = 0;
    let deliberate = 0;
    let differ = 0;
    for (const v of VARIANTS) {
      for (const p of probesOf(v)) {
        const o = outcomes.get(key(v.name, p.name));
        if (!o) continue;
        const same = JSON.stringify(o.relay) === JSON.stringify(o.postfix);
        if (deliberateFor(p.name, v.name)) deliberate++;
        else if (same) agree++;
        else differ++;
      }
    }
    const unique = new Set(ALL_PROBES.map((p) => p.name)).size;
    console.log(
      `differential: ${unique} probes, ${VARIANTS.length} variants, ${outcomes.size} sessions: ` +
        `${agree} agree, ${deliberate} deliberate differences, ${differ} differ; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  it('has unique probe names', () => {
    const names = ALL_PROBES.map((p) => p.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const v of VARIANTS) {
    describe(v.name, () => {
      for (const p of probesOf(v)) {
        it(p.name, () => {
          const o = outcomes.get(key(v.name, p.name));
          expect(o, 'probe did not run').toBeDefined();
          const d = deliberateFor(p.name, v.name);
          if (d) {
            expect(o!.relay, `deliberate difference (${d.reason})`).not.toEqual(o!.postfix);
            expect(o!.relay, `deliberate difference (${d.reason})`).toEqual(d.relay(o!.postfix));
          } else {
            expect(o!.relay, 'relay (expected: Postfix)').toEqual(o!.postfix);
          }
        });
      }
    });
  }
});
