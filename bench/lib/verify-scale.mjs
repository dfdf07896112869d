// `ksmg-setup verify` (the built CLI, as CI runs it) on the default pack and on 10× / 20× copies of
// it, with --jobs 1 and --jobs 2: the wall time a user waits, from process start to exit.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { median, run } from './procs.mjs';
import { CLI, ROOT } from './systems.mjs';

const CONFIG = path.join(ROOT, 'examples', 'behind-edge-no-verify.yaml');

const TIME = '/usr/bin/time';

/** One verify run: wall seconds, and CPU seconds (user + system, worker threads included) via time(1) when installed. */
async function verifyOnce(args, cli = CLI) {
  // The default (pretty) reporter, as a CI job runs it; its last line says "N/M scenarios passed".
  const argv = [cli, 'verify', '--config', CONFIG, ...args];
  const timed = existsSync(TIME);
  const r = timed
    ? await run(TIME, ['-f', 'cpu %U %S', process.execPath, ...argv], { env: { ...process.env, NO_COLOR: '1' } })
    : await run(process.execPath, argv, { env: { ...process.env, NO_COLOR: '1' } });
  const m = `${r.stdout}\n${r.stderr}`.match(/(\d+)\/(\d+) scenarios passed/);
  const cpu = r.stderr.match(/cpu ([\d.]+) ([\d.]+)\s*$/);
  return {
    seconds: r.seconds,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN,
    code: r.code,
    passed: m ? Number(m[1]) : NaN,
    total: m ? Number(m[2]) : NaN,
  };
}

/**
 * verifyScale({ quick, baseline }): `baseline` is another checkout's bin/ksmg-setup.js (e.g. the
 * commit before a change), run interleaved with this one on the same packs, for before/after
 * figures on a shared machine.
 */
export async function verifyScale({ quick, log = console.log, baseline }) {
  const factors = quick ? [1, 10] : [1, 10, 20];
  const repeats = quick ? 1 : 3;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ksmg-verify-bench-'));
  const out = [];
  try {
    for (const factor of factors) {
      let args = [];
      if (factor > 1) {
        const dir = path.join(tmp, `x${factor}`);
        for (let i = 1; i <= factor; i++)
          await cp(path.join(ROOT, 'scenarios'), path.join(dir, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
        args = ['--no-builtin', '--scenarios', dir];
      }
      for (const jobs of factor === 1 ? [1, 2, 4] : [1, 2]) {
        const times = [];
        const cpus = [];
        const before = [];
        let last;
        for (let i = 0; i < repeats; i++) {
          if (baseline) before.push(await verifyOnce([...args, '--jobs', String(jobs)], baseline));
          last = await verifyOnce([...args, '--jobs', String(jobs)]);
          times.push(last.seconds);
          cpus.push(last.cpuSeconds);
        }
        const row = {
          pack: factor === 1 ? 'default pack' : `${factor}× default pack`,
          factor,
          jobs,
          scenarios: last.total,
          passed: last.passed,
          exitCode: last.code,
          seconds: median(times),
          cpuSeconds: median(cpus),
          runs: times.map((t) => +t.toFixed(2)),
        };
        row.msPerScenario = (row.seconds * 1000) / row.scenarios;
        if (baseline)
          row.baseline = {
            cli: baseline,
            seconds: median(before.map((b) => b.seconds)),
            cpuSeconds: median(before.map((b) => b.cpuSeconds)),
            passed: before[0]?.passed,
          };
        out.push(row);
        log(
          `  verify ${row.pack.padEnd(16)} --jobs ${jobs}: ${row.scenarios} scenarios, ${row.seconds.toFixed(2)} s wall, ${row.cpuSeconds.toFixed(2)} s CPU (${row.msPerScenario.toFixed(1)} ms/scenario), exit ${row.exitCode}${row.baseline ? `; baseline ${row.baseline.seconds.toFixed(2)} s wall, ${row.baseline.cpuSeconds.toFixed(2)} s CPU` : ''}`,
        );
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return out;
}

/** Wall time of short CLI invocations (module import cost is what users feel here). */
export async function cliStartTimes({ quick, log = console.log }) {
  const cases = [
    { name: 'ksmg-setup --version', args: ['--version'] },
    { name: 'ksmg-setup --help', args: ['--help'] },
    { name: 'ksmg-setup audit (example config)', args: ['audit', '--config', CONFIG, '--format', 'json'] },
    { name: 'ksmg-setup runbook (example config)', args: ['runbook', '--config', CONFIG] },
  ];
  const out = [];
  for (const c of cases) {
    const times = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) times.push((await run(process.execPath, [CLI, ...c.args])).seconds);
    out.push({ command: c.name, ms: median(times) * 1000 });
    log(`  ${c.name.padEnd(38)} ${(median(times) * 1000).toFixed(0)} ms`);
  }
  return out;
}
