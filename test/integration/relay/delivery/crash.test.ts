// Crash safety: a load generator process sends a steady stream, the relay process is killed
// with SIGKILL at a random moment (a seeded, logged number of acknowledged messages into a steady
// flow) and restarted on the same spool; every message answered 250
// must reach the sink. Duplicates (the documented window between the next hop's 250 and the
// spool update) are counted and reported, not failed.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killBenchProcesses, startBenchProcess as start } from '../../../helpers/bench-process.js';
import { seededRandom } from '../../../helpers/seed.js';

let spool = '';
afterEach(async () => {
  killBenchProcesses();
  if (spool) await rm(spool, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('SIGKILL at a random moment loses no message that got a 250', async () => {
    spool = await mkdtemp(path.join(path.resolve(__dirname, '../../../..'), '.tmp-crash-spool-'));
    const sink = start('sink.mjs', { trackSeq: true });
    const { port: sinkPort } = await sink.wait('ready');
    let relay = start('relay-process.mjs', { spool, sinkPort });
    const { port } = (await relay.wait('ready')) as { type: string; port: number };

    // The random moment is counted in acknowledged messages after a steady flow of 20, not in
    // wall time, so a loaded machine does not change what is tested.
    const killAfter = 20 + seededRandom('crash test').int(0, 200);
    const acked = new Set<number>();
    // Resolves once `n` messages in all have been acknowledged.
    const ackWaiters: Array<{ n: number; resolve: () => void }> = [];
    const ackedAtLeast = (n: number) => new Promise<void>((resolve) => (acked.size >= n ? resolve() : ackWaiters.push({ n, resolve })));
    const gen = start('loadgen.mjs', { port, sessions: 4, steady: true, size: 2048 }, (m) => {
      if (m.type === 'ack') acked.add(m.seq as number);
      for (const w of ackWaiters.filter((x) => acked.size >= x.n)) {
        ackWaiters.splice(ackWaiters.indexOf(w), 1);
        w.resolve();
      }
    });
    await ackedAtLeast(killAfter);
    relay.c.kill('SIGKILL');
    await new Promise((r) => relay.c.once('exit', r));
    const ackedAtKill = acked.size;

    relay = start('relay-process.mjs', { spool, sinkPort, port });
    await relay.wait('ready');
    await ackedAtLeast(ackedAtKill + 20); // the flow has resumed through the restarted relay
    const done = gen.wait('done');
    gen.c.send({ cmd: 'stop' });
    await done;

    let seqs: number[] = [];
    const deadline = Date.now() + 45_000; // generous: the suite may run on a loaded 2-core machine
    // Poll the sink (a separate process) until it has every acknowledged message.
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
      `crash test: killed after ${ackedAtKill} acknowledged (target ${killAfter}); ${acked.size} acknowledged in all, ${got.size} distinct delivered, ${lost.length} lost, ${duplicates} duplicates`,
    );
    expect(ackedAtKill).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  }, 120_000);
});
