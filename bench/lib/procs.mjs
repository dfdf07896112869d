// Process helpers for the bench: run a command to completion with its wall time, wait for a
// condition, and sample a process tree's memory (PSS summed over the tree, so Postfix's many
// processes and the relay's one are counted the same way; shared pages are split fairly).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Runs a command; resolves { code, seconds, stdout, stderr }. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, seconds: (performance.now() - t0) / 1000, stdout, stderr }));
  });
}

/** Polls `test` (a bench may poll; the product may not) until it returns true or the time is up. */
export async function waitFor(test, { timeoutMs = 60_000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function children() {
  const byParent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(name));
      byParent.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  return byParent;
}

function pssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1').match(/^Pss:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** VmRSS (kB) of one process. */
export function rssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'latin1').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const TICK_MS = 1000 / 100; // USER_HZ: /proc times are in 1/100 s on Linux

function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime stime cutime cstime: a child's time moves to its parent's c* fields when it is reaped.
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + sys, ms) used so far by the processes rooted at `pids`, including children
 * that have exited and been reaped (Postfix's smtpd/cleanup/smtp processes come and go). The
 * difference of two readings is what the tree used between them.
 */
export function treeCpuMs(pids) {
  const byParent = children();
  const seen = new Set();
  const stack = [...pids];
  let ticks = 0;
  while (stack.length) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    ticks += cpuTicks(p);
    stack.push(...(byParent.get(p) ?? []));
  }
  return ticks * TICK_MS;
}

/** Current PSS (kB) of the processes rooted at `pids` and all their descendants. */
export function treePssKb(pids) {
  const byParent = children();
  const seen = new Set();
  const stack = [...pids];
  let total = 0;
  while (stack.length) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    total += pssKb(p);
    stack.push(...(byParent.get(p) ?? []));
  }
  return total;
}

/**
 * Samples a tree's PSS every `everyMs` until stop(); stop() returns the peak in kB (and, as
 * `stop.rssKb` after the call, the peak VmRSS of the first pid: the relay is one process).
 */
export function sampleMemory(pidsFn, everyMs = 100) {
  let peak = 0;
  let peakRss = 0;
  const tick = () => {
    const pids = pidsFn();
    if (pids.length) {
      peak = Math.max(peak, treePssKb(pids));
      peakRss = Math.max(peakRss, rssKb(pids[0]));
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  const stop = () => {
    clearInterval(timer);
    tick();
    stop.rssKb = peakRss;
    return peak;
  };
  return stop;
}

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
