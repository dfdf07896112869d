// What every reporter sees: runs as they start and finish, then the whole outcome.
import type { PlannedRun } from '../expand.js';
import type { RunResult } from '../runner.js';

export interface VerifySummary {
  config: string;
  integration: string;
  results: RunResult[];
  /** Scenarios loaded but not meant for this config's scheme/settings. */
  notApplicable: Array<{ id: string; reason: string }>;
  durationMs: number;
  /**
   * When each stage ended, ms since the process started: verify began (Node start, imports,
   * config), the scan pool's first thread was ready, the runs were planned (packs read), the lab
   * listened (one lab only), the scenarios were done. For the bench; a run in several labs has no
   * labStartedMs.
   */
  phases?: {
    startedMs: number;
    scanPoolReadyMs?: number;
    plannedMs?: number;
    labStartedMs?: number;
    scenariosDoneMs?: number;
    /** Labs the runs were spread over. */
    labs?: number;
  };
}

export interface Reporter {
  onStart?(run: PlannedRun): void;
  onResult?(result: RunResult): void;
  /** The final text for this reporter's destination ('' when it wrote everything live). */
  finish(summary: VerifySummary): string;
}

export const REPORTER_NAMES = ['pretty', 'json', 'junit'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];
