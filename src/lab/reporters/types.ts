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
}

export interface Reporter {
  onStart?(run: PlannedRun): void;
  onResult?(result: RunResult): void;
  /** The final text for this reporter's destination ('' when it wrote everything live). */
  finish(summary: VerifySummary): string;
}

export const REPORTER_NAMES = ['pretty', 'json', 'junit'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];
