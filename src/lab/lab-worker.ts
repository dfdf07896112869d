// One lab in a worker thread (see parallel.ts): plans the same runs as the parent, runs its share
// on its own lab and reports every start and result. The lab is closed (temp spool removed)
// before "done", so the parent may terminate the thread at once.
import { parentPort, workerData } from 'node:worker_threads';
import { Lab } from './lab.js';
import type { LabWorkerInput, LabWorkerMessage } from './parallel.js';
import { runAll } from './runner.js';
import { planRuns } from './plan.js';
import { fixedCertificates, labCertificates } from './certificates.js';

const input = workerData as LabWorkerInput;
const post = (m: LabWorkerMessage) => parentPort!.postMessage(m);

let lab: Lab | null = null;
let outcome: LabWorkerMessage = { type: 'done' };
try {
  lab = await Lab.start({
    config: input.config,
    certificates: fixedCertificates(input.certificates, labCertificates(input.config)),
  });
  const mine = new Set(input.ids);
  const { runs } = planRuns(input.loaded, input.config, lab.topology, input);
  const share = runs.filter((r) => mine.has(r.id));
  if (share.length !== mine.size)
    throw new Error(`the lab worker planned ${share.length} of its ${mine.size} scenarios (the packs changed while verify ran?)`);
  await runAll(lab, share, {
    jobs: input.jobs,
    onStart: (run) => post({ type: 'start', id: run.id }),
    onResult: (result) => post({ type: 'result', result }),
  });
} catch (e) {
  outcome = { type: 'error', message: (e as Error).message };
} finally {
  await lab?.close();
}
post(outcome);
