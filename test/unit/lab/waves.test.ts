// How runAll groups runs (runner.ts waves): every run once; an exclusive run alone; one job keeps
// the planned order; with several, the heaviest shared runs share a wave.
import { describe, expect, it } from 'vitest';
import type { PlannedRun } from '../../../src/lab/expand.js';
import { waves } from '../../../src/lab/runner.js';

const run = (id: string, weight: number, exclusive = false) => ({ id, weight, exclusive }) as PlannedRun;
const ids = (w: PlannedRun[][]) => w.map((x) => x.map((r) => r.id));

const runs = [
  run('a', 300),
  run('b', 20_000_000),
  run('x', 100, true),
  run('c', 200),
  run('d', 5_000_000),
  run('e', 40_000_000),
  run('y', 100, true),
  run('f', 400),
];

describe('waves', () => {
  it('with one job: the planned order, one run at a time', () => {
    expect(ids(waves(runs, 1))).toEqual(runs.map((r) => [r.id]));
  });

  it('with several: the heaviest shared runs together, exclusive runs alone where planned, each run once', () => {
    const w = waves(runs, 3);
    expect(ids(w)).toEqual([['e', 'b', 'd'], ['x'], ['f', 'a', 'c'], ['y']]);
    expect(
      w
        .flat()
        .map((r) => r.id)
        .sort(),
    ).toEqual(runs.map((r) => r.id).sort());
  });

  it('schedules a shared run that sorts after the last wave the planned order starts', () => {
    const w = waves([run('light', 1), run('heavy', 9), run('heavier', 10), run('z', 1, true)], 2);
    expect(ids(w)).toEqual([['heavier', 'heavy'], ['z'], ['light']]);
  });
});
