// `ksmg-setup verify` (the built CLI, as CI runs it) on the default pack and on 10× / 20× copies of
// it, with --jobs 1 and --jobs 2: the wall time a user waits, from process start to exit.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { median, run } from './procs.mjs';
import { CLI, ROOT } from './systems.mjs';

const CONFIG = path.join(ROOT, 'examples', 'behind-edge-no-verify.yaml');

async function verifyOnce(args) {
  // The default (pretty) reporter, as a CI job runs it; its last line says "N/M scenarios passed".
  const r = await run(process.execPath, [CLI, 'verify', '--config', CONFIG, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const m = `${r.stdout}\n${r.stderr}`.match(/(\d+)\/(\d+) scenarios passed/);
  return { seconds: r.seconds, code: r.code, passed: m ? Number(m[1]) : NaN, total: m ? Number(m[2]) : NaN };
}

export async function verifyScale({ quick, log = console.log }) {
  const factors = quick ? [1, 10] : [1, 10, 20];
  const repeats = quick ? 1 : 3;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ksmg-verify-bench-'));
  const out = [];
  try {
    for (const factor of factors) {
      let args = [];
      if (factor > 1) {
        const dir = path.join(tmp, `x${factor}`);
        for (let i = 1; i <= factor; i++) await cp(path.join(ROOT, 'scenarios'), path.join(dir, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
        args = ['--no-builtin', '--scenarios', dir];
      }
      for (const jobs of factor === 1 ? [1, 2, 4] : [1, 2]) {
        const times = [];
        let last;
        for (let i = 0; i < repeats; i++) {
          last = await verifyOnce([...args, '--jobs', String(jobs)]);
          times.push(last.seconds);
        }
        const row = { pack: factor === 1 ? 'default pack' : `${factor}× default pack`, factor, jobs, scenarios: last.total, passed: last.passed, exitCode: last.code, seconds: median(times), runs: times.map((t) => +t.toFixed(2)) };
        row.msPerScenario = (row.seconds * 1000) / row.scenarios;
        out.push(row);
        log(`  verify ${row.pack.padEnd(16)} --jobs ${jobs}: ${row.scenarios} scenarios, ${row.seconds.toFixed(2)} s (${row.msPerScenario.toFixed(1)} ms/scenario), exit ${row.exitCode}`);
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
