// `npm run bench:cli` (and part of `npm run bench`): how long the built CLI takes to start and
// finish, next to a bare `node -e ''` on the same machine at the same moment. Each command runs
// BENCH_CLI_RUNS times (default 15) interleaved with the baseline, so a burst of load on a shared
// machine hits both; we report min / median / p90 wall time and the peak RSS of the child.
// The goal (issue "house in order"): `--help` and `audit` under 300 ms; measured here, never
// asserted in a test. Exported as benchCli() so bench/relay-bench.js can print it too.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/ksmg-setup.js');

/** What we time: a label and the node arguments. */
export const CLI_CASES = [
  { label: "node -e ''", args: ['-e', ''] },
  { label: 'ksmg-setup --help', args: [bin, '--help'] },
  { label: 'ksmg-setup --version', args: [bin, '--version'] },
  { label: 'ksmg-setup audit -c examples/edge.yaml', args: [bin, 'audit', '-c', 'examples/edge.yaml'] },
  { label: 'ksmg-setup verify --help', args: [bin, 'verify', '--help'] },
];

// GNU time gives the child's peak RSS; without it we report time only.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function once(args) {
  const started = process.hrtime.bigint();
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', process.execPath, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const rssKb = gnuTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, rssKb };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export function benchCli({ runs = Number(process.env.BENCH_CLI_RUNS ?? 15), cases = CLI_CASES } = {}) {
  if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(once(c.args)));
  return cases.map((c, j) => {
    const ms = samples[j].map((s) => s.ms).sort((a, b) => a - b);
    return {
      label: c.label,
      minMs: ms[0],
      medianMs: quantile(ms, 0.5),
      p90Ms: quantile(ms, 0.9),
      rssMb: Math.max(...samples[j].map((s) => s.rssKb)) / 1024,
    };
  });
}

export function formatCliBench(results) {
  const lines = ['CLI start-up (wall time per run, peak RSS):'];
  for (const r of results) {
    const rss = Number.isFinite(r.rssMb) ? `  ${r.rssMb.toFixed(0).padStart(4)} MB` : '';
    lines.push(
      `  ${r.label.padEnd(42)} min ${r.minMs.toFixed(0).padStart(4)} ms  median ${r.medianMs.toFixed(0).padStart(4)} ms  p90 ${r.p90Ms.toFixed(0).padStart(4)} ms${rss}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = benchCli();
  console.log(formatCliBench(results));
  console.log(
    `  (load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
}
