// Large packs on several labs at once. One lab is one event loop, and a verify run is CPU-bound
// once nothing waits on timers, so `--jobs N` only speeds up on several cores when the runs are
// spread over labs in worker threads: each worker gets the parsed packs, starts its own lab (relay,
// sinks, DNS on their own free ports) and runs the scenarios it is given; the results come back
// here in the planned order, and the reporters see every start and result as it happens.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { PlannedRun } from './expand.js';
import type { LoadedScenario } from './scenario.js';
import type { RunnerEvents, RunResult } from './runner.js';
import { startLabThread } from './thread.js';
import type { CertificateMaterial } from './certificates.js';

/** A worker's lab costs a few hundred ms to start (imports, sinks, relay); fewer runs than this do not pay for it. */
export const MIN_RUNS_PER_LAB = 100;

/** How many labs `jobs` scenarios at a time get: never more than the cores, nor than the runs justify. */
export function labCount(jobs: number, runs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(jobs, cores, Math.floor(runs / MIN_RUNS_PER_LAB)));
}

/**
 * What a worker needs to plan exactly the runs the parent planned (planning is deterministic).
 * The parsed scenario files are handed over (a structured clone costs a few ms; parsing the YAML
 * again in every worker cost more than a second of CPU each for a 700-file pack).
 */
export interface LabWorkerInput {
  config: Config;
  loaded: LoadedScenario[];
  filter?: string[];
  shard?: { index: number; total: number };
  /** Ids of the runs this worker runs. */
  ids: string[];
  /** Scenarios at a time inside this worker's lab. */
  jobs: number;
  /** The gateway's pair and the lab's certificates, made once by the parent. */
  certificates: CertificateMaterial;
}

export type LabWorkerMessage =
  { type: 'start'; id: string } | { type: 'result'; result: RunResult } | { type: 'done' } | { type: 'error'; message: string };

/** The worker entry next to this module; from the TypeScript sources (tests) it goes through tsx. */
function startWorker(input: LabWorkerInput): Worker {
  return startLabThread('lab-worker', input);
}

export async function runInLabs(
  base: Omit<LabWorkerInput, 'ids' | 'jobs'>,
  runs: PlannedRun[],
  opts: { labs: number; jobs: number } & RunnerEvents,
): Promise<RunResult[]> {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const shares: string[][] = Array.from({ length: opts.labs }, () => []);
  // Round robin over the planned order: heavy and light scenarios spread evenly.
  runs.forEach((r, i) => shares[i % opts.labs]!.push(r.id));
  const jobs = Math.max(1, Math.ceil(opts.jobs / opts.labs));
  const results = new Map<string, RunResult>();
  const workers: Worker[] = [];
  try {
    await Promise.all(
      shares
        .filter((ids) => ids.length)
        .map(
          (ids) =>
            new Promise<void>((resolve, reject) => {
              const worker = startWorker({ ...base, ids, jobs });
              workers.push(worker);
              let finished = false;
              worker.on('message', (m: LabWorkerMessage) => {
                if (m.type === 'start') opts.onStart?.(byId.get(m.id)!);
                else if (m.type === 'result') {
                  results.set(m.result.id, m.result);
                  opts.onResult?.(m.result);
                } else if (m.type === 'done') {
                  finished = true;
                  resolve();
                } else {
                  finished = true;
                  reject(new Error(m.message));
                }
              });
              worker.on('error', (e) => {
                finished = true;
                reject(e);
              });
              worker.on('exit', (code) => {
                if (!finished) reject(new Error(`a lab worker stopped (exit code ${code}) before it finished`));
              });
            }),
        ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return runs.map((r) => {
    const res = results.get(r.id);
    if (!res) throw new Error(`a lab worker returned no result for ${r.id}`);
    return res;
  });
}
