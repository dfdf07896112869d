// Several labs in worker threads (--jobs on a large pack): the same results, in the planned order,
// as one lab; every start and result reaches the reporters; a worker's failure is an error.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { labCount, MIN_RUNS_PER_LAB } from '../../../src/lab/parallel.js';
import { runVerify } from '../../../src/lab/verify.js';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
const filter = ['relay', 'protocol/greeting'];

describe('labCount', () => {
  it('uses one lab for small packs, never more labs than jobs or cores', () => {
    expect(labCount(4, 56, 2)).toBe(1);
    expect(labCount(4, 2 * MIN_RUNS_PER_LAB, 2)).toBe(2);
    expect(labCount(1, 1000, 8)).toBe(1);
    expect(labCount(8, 1000, 2)).toBe(2);
    expect(labCount(3, 1000, 8)).toBe(3);
  });
});

describe('runVerify over two labs', () => {
  it('gives the results one lab gives, in the same order, and reports each run once', async () => {
    const { config } = await loadConfig('test/fixtures/lab/behind-edge-verify.yaml');
    const one = await runVerify({ config, filter, labs: 1, stdout: sink(), stderr: sink(), tty: false });
    const started: string[] = [];
    const stream = new Writable({ write: (c, _e, cb) => (started.push(String(c)), cb()) });
    const two = await runVerify({ config, filter, labs: 2, jobs: 2, stdout: stream, stderr: sink(), tty: false });
    expect(one.results.length).toBeGreaterThan(5);
    expect(two.exitCode).toBe(one.exitCode);
    expect(two.results.map((r) => [r.id, r.status])).toEqual(one.results.map((r) => [r.id, r.status]));
    expect(two.results.every((r) => r.status === 'passed')).toBe(true);
    // The pretty reporter printed one line per result, whichever lab ran it.
    for (const r of two.results) expect(started.join('')).toContain(r.name);
  });
});
