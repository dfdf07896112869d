// kill -9 under load, several times, each time restarted on the same spool and port (the bench's
// relay process, load generator and sink, as test/integration/relay/delivery/crash.test.ts uses them
// for one kill): every message answered 250 is delivered; duplicates — the window between the
// next hop's 250 and the spool update — are counted and printed for the README, not failed.
// The kill moments come from a seeded generator; the seed is printed (KSMG_KILL_SEED repeats a run).
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killBenchProcesses, startBenchProcess as start } from '../helpers/bench-process.js';

const root = path.resolve(__dirname, '../..');
let spool = '';
afterEach(async () => {
  killBenchProcesses();
  if (spool) await rm(spool, { recursive: true, force: true });
});

/** mulberry32: small, seedable, good enough to spread kill moments. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CYCLES = 3;

describe('kill -9 under load, restart on the same spool', () => {
  it(`${CYCLES} kill cycles: no acknowledged message lost, duplicates reported`, async () => {
    const seed = Number(process.env.KSMG_KILL_SEED ?? Date.now() % 100000);
    const random = seeded(seed);
    spool = await mkdtemp(path.join(root, '.tmp-kill-spool-'));
    const sink = start('sink.mjs', { trackSeq: true });
    const { port: sinkPort } = await sink.wait('ready');
    let relay = start('relay-process.mjs', { spool, sinkPort });
    const { port } = (await relay.wait('ready')) as { type: string; port: number };

    const acked = new Set<number>();
    let onAck: () => void = () => undefined;
    const gen = start('loadgen.mjs', { port, sessions: 4, steady: true, size: 2048 }, (m) => {
      if (m.type === 'ack') {
        acked.add(m.seq as number);
        onAck();
      }
    });
    const ackedAtKill: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Each kill comes at a random moment of a steady flow (20 more acknowledgements first).
      const target = acked.size + 20;
      await new Promise<void>((r) => {
        onAck = () => {
          if (acked.size >= target) r();
        };
        onAck();
      });
      await new Promise((r) => setTimeout(r, Math.floor(random() * 600)));
      relay.c.kill('SIGKILL');
      await new Promise((r) => relay.c.once('exit', r));
      ackedAtKill.push(acked.size);
      relay = start('relay-process.mjs', { spool, sinkPort, port });
      await relay.wait('ready');
    }
    onAck = () => undefined;
    const done = gen.wait('done');
    gen.c.send({ cmd: 'stop' });
    await done;

    let seqs: number[] = [];
    const deadline = Date.now() + 45_000; // generous: a loaded 2-core machine
    for (;;) {
      seqs = ((await sink.ask('stats', 'stats')) as unknown as { seqs: number[] }).seqs;
      const got = new Set(seqs);
      if ([...acked].every((s) => got.has(s)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const got = new Set(seqs);
    const lost = [...acked].filter((s) => !got.has(s));
    const duplicates = seqs.length - got.size;
    console.log(
      `kill -9 robustness (seed ${seed}): ${CYCLES} cycles, acknowledged at each kill ${ackedAtKill.join('/')}, ` +
        `${acked.size} acknowledged in all, ${got.size} distinct delivered, ${lost.length} lost, ${duplicates} duplicates`,
    );
    expect(lost).toEqual([]);
  }, 150_000);
});
