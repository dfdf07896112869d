// The lab's scan pool, in a module of its own: `verify` starts its first thread as soon as the
// config is read (src/cli/verify.ts), before it imports the lab, so the thread loads the scanner
// while the main thread imports and plans.
import { ScanPool } from '../scan/pool.js';

/**
 * The content scan's threads in the lab: the lab creates the process's default scan pool before
 * its relay does, so the relay's scanner joins it (same budgets, same worker) instead of starting
 * four threads at once. A verify run has at most --jobs scans at a time on a shared 2-core
 * machine, where four threads loading the scanner at once made the first one ready ~3× later.
 */
export const LAB_SCAN_THREADS = 2;

/** Creates (or joins) the lab's scan pool and starts its first thread; close() it when done. */
export function labScanPool(): ScanPool {
  const pool = new ScanPool({ defaultPool: { threads: LAB_SCAN_THREADS, start: 'on-demand' } });
  // Ready is awaited by the relay before it listens; starting here overlaps the thread's start-up.
  void pool.ready();
  return pool;
}
