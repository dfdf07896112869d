// The pretty reporter's live spinner on a terminal: verify imports ora only for a live reporter,
// and the spinner then shows the progress line; off a terminal nothing of it is written.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runVerify } from '../../../src/lab/verify.js';

function terminal(isTTY: boolean) {
  const chunks: string[] = [];
  const ok = (cb?: () => void) => (cb?.(), true);
  // What ora uses of a terminal stream besides write().
  const stream = Object.assign(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), {
    isTTY,
    columns: 200,
    cursorTo: (_x: number, cb?: () => void) => ok(cb),
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => ok(cb),
    clearLine: (_dir: number, cb?: () => void) => ok(cb),
  });
  return { stream, text: () => chunks.join('') };
}

describe('verify on a terminal', () => {
  it('shows the live progress line on a TTY and not elsewhere', async () => {
    const { config } = await loadConfig('test/fixtures/lab/behind-edge-no-verify.yaml');
    const tty = terminal(true);
    const out = await runVerify({ config, filter: ['protocol/greeting'], stdout: tty.stream, stderr: tty.stream, tty: true, color: false });
    expect(out.exitCode).toBe(0);
    expect(tty.text()).toMatch(/0 done, 1 running: /);
    const pipe = terminal(false);
    await runVerify({ config, filter: ['protocol/greeting'], stdout: pipe.stream, stderr: pipe.stream, tty: false, color: false });
    expect(pipe.text()).not.toMatch(/running: /);
    expect(pipe.text()).toMatch(/✓ /);
  });
});
