// `ksmg-setup verify` (the built CLI, as CI runs it) on the default pack and on 10× / 20× copies of
// it, with --jobs 1, 2 and 4 (the default): the wall time a user waits, from process start to exit,
// the CPU time (user + system, every thread) and the peak RSS from time(1), and where the default
// pack's wall time goes (the JSON report's summary.phases: imports, scan pool ready, packs planned,
// lab started, scenarios), and the main thread's CPU (thread-cpu.mjs: the lab's thread, the figure that
// moves least when other work shares the machine).
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, run } from './procs.mjs';
import { CLI, ROOT } from './systems.mjs';

const CONFIG = path.join(ROOT, 'examples', 'behind-edge-no-verify.yaml');

const TIME = '/usr/bin/time';
/** Preload that records the main thread's CPU at exit (the lab's thread: verify's critical path). */
const THREAD_CPU = path.join(path.dirname(new URL(import.meta.url).pathname), 'thread-cpu.mjs');

/** One verify run: wall and CPU seconds, peak RSS, the JSON report's counts and phases. */
async function verifyOnce(args, tmp, cli = CLI) {
  const report = path.join(tmp, `report-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  // The default (pretty) reporter on stdout, as a CI job runs it, plus the JSON report to a file.
  const argv = [cli, 'verify', '--config', CONFIG, ...args, '--reporter', 'json', '--output', report, '--reporter', 'pretty'];
  const timed = existsSync(TIME);
  const threads = `${report}.threads`;
  const env = { ...process.env, NO_COLOR: '1', KSMG_BENCH_THREAD_CPU: threads };
  const node = [process.execPath, '--import', pathToFileURL(THREAD_CPU).href];
  const r = timed
    ? await run(TIME, ['-f', 'cpu %U %S rss %M', ...node, ...argv], { env })
    : await run(node[0], [...node.slice(1), ...argv], { env });
  const m = r.stderr.match(/cpu ([\d.]+) ([\d.]+) rss (\d+)\s*$/);
  let summary = {};
  try {
    summary = JSON.parse(await readFile(report, 'utf8')).summary ?? {};
  } catch {
    /* an older CLI or a crash: counts stay unknown */
  }
  let mainThreadCpuSeconds = NaN;
  try {
    mainThreadCpuSeconds = JSON.parse(await readFile(threads, 'utf8')).mainMs / 1000;
  } catch {
    /* not Linux */
  }
  await rm(report, { force: true });
  await rm(threads, { force: true });
  return {
    mainThreadCpuSeconds,
    seconds: r.seconds,
    cpuSeconds: m ? Number(m[1]) + Number(m[2]) : NaN,
    peakRssMb: m ? Number(m[3]) / 1024 : NaN,
    code: r.code,
    passed: summary.passed ?? NaN,
    total: summary.total ?? NaN,
    phases: summary.phases,
  };
}

/** The default pack's wall time split by summary.phases (ms since process start). */
function split(phases, wallSeconds) {
  if (!phases) return undefined;
  const wall = wallSeconds * 1000;
  const lab = phases.labStartedMs ?? phases.plannedMs;
  return {
    importsMs: phases.startedMs,
    scanPoolReadyMs: phases.scanPoolReadyMs !== undefined ? phases.scanPoolReadyMs - phases.startedMs : undefined,
    planMs: phases.plannedMs - phases.startedMs,
    labStartMs: phases.labStartedMs !== undefined ? phases.labStartedMs - phases.plannedMs : undefined,
    scenariosMs: phases.scenariosDoneMs - lab,
    reportAndExitMs: wall - phases.scenariosDoneMs,
    labs: phases.labs,
  };
}

const medianOf = (list, key) => {
  const xs = list.map((x) => x?.[key]).filter((x) => Number.isFinite(x));
  return xs.length ? Math.round(median(xs)) : undefined;
};

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
  const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  try {
    for (const factor of factors) {
      let args = [];
      if (factor > 1) {
        const dir = path.join(tmp, `x${factor}`);
        for (let i = 1; i <= factor; i++)
          await cp(path.join(ROOT, 'scenarios'), path.join(dir, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
        args = ['--no-builtin', '--scenarios', dir];
      }
      for (const jobs of quick ? [1, 4] : [1, 2, 4]) {
        const mine = [];
        const before = [];
        for (let i = 0; i < repeats; i++) {
          if (baseline) before.push(await verifyOnce([...args, '--jobs', String(jobs)], tmp, baseline));
          mine.push(await verifyOnce([...args, '--jobs', String(jobs)], tmp));
        }
        const last = mine[mine.length - 1];
        const row = {
          pack: factor === 1 ? 'default pack' : `${factor}× default pack`,
          factor,
          jobs,
          scenarios: last.total,
          passed: last.passed,
          exitCode: last.code,
          seconds: median(mine.map((x) => x.seconds)),
          cpuSeconds: median(mine.map((x) => x.cpuSeconds)),
          mainThreadCpuSeconds: median(mine.map((x) => x.mainThreadCpuSeconds)),
          peakRssMb: Math.round(median(mine.map((x) => x.peakRssMb))),
          runs: mine.map((x) => +x.seconds.toFixed(2)),
          loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
        };
        row.msPerScenario = (row.seconds * 1000) / row.scenarios;
        const splits = mine.map((x) => split(x.phases, x.seconds));
        if (splits.some(Boolean))
          row.split = Object.fromEntries(
            ['importsMs', 'scanPoolReadyMs', 'planMs', 'labStartMs', 'scenariosMs', 'reportAndExitMs', 'labs'].map((k) => [
              k,
              medianOf(splits, k),
            ]),
          );
        if (baseline)
          row.baseline = {
            cli: baseline,
            seconds: median(before.map((b) => b.seconds)),
            cpuSeconds: median(before.map((b) => b.cpuSeconds)),
            mainThreadCpuSeconds: median(before.map((b) => b.mainThreadCpuSeconds)),
            peakRssMb: Math.round(median(before.map((b) => b.peakRssMb))),
            passed: before[0]?.passed,
          };
        out.push(row);
        log(
          `  verify ${row.pack.padEnd(16)} --jobs ${jobs}: ${row.passed}/${row.scenarios} passed, ${fmt(row.seconds)} s wall, ${fmt(row.cpuSeconds)} s CPU (main thread ${fmt(row.mainThreadCpuSeconds)} s), ${fmt(row.msPerScenario, 1)} ms/scenario, peak RSS ${row.peakRssMb} MB, exit ${row.exitCode}, load ${row.loadAverage[0]}` +
            (row.baseline
              ? `; baseline ${fmt(row.baseline.seconds)} s wall, ${fmt(row.baseline.cpuSeconds)} s CPU (main thread ${fmt(row.baseline.mainThreadCpuSeconds)} s), ${row.baseline.peakRssMb} MB`
              : ''),
        );
        const sp = row.split;
        if (sp && factor === 1)
          log(
            `      split (median, ms): imports ${sp.importsMs}, scan pool ready +${sp.scanPoolReadyMs ?? '—'}, packs planned +${sp.planMs}, lab started +${sp.labStartMs ?? '—'}, scenarios ${sp.scenariosMs}, report and exit ${sp.reportAndExitMs}${sp.labs > 1 ? ` (${sp.labs} labs)` : ''}`,
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
