import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/relay/clock.js';

describe('ManualClock', () => {
  it('fires timers in due order, only when time reaches them', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(300, () => fired.push(`c@${clock.now()}`));
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual(['a@1100']);
    await clock.advance(1000);
    expect(fired).toEqual(['a@1100', 'b@1300', 'c@1300']);
    expect(clock.now()).toBe(2100);
  });

  it('runs timers scheduled by timers within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const backoff = (delay: number) =>
      clock.setTimer(delay, () => {
        fired.push(clock.now());
        if (delay < 4000) backoff(delay * 2);
      });
    backoff(300);
    await clock.advance(10_000);
    expect(fired).toEqual([300, 900, 2100, 4500, 9300]);
  });

  it('does not fire cancelled timers', async () => {
    const clock = new ManualClock(0);
    let n = 0;
    const t = clock.setTimer(10, () => n++);
    t.cancel();
    await clock.advance(100);
    expect(n).toBe(0);
    expect(clock.pending()).toBe(0);
    expect(clock.nextDue()).toBeNull();
  });
});
