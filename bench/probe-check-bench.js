// `npm run bench:probe-check`: how long `ksmg-setup check` takes to start and answer (built CLI,
// interleaved with a bare `node -e ''` so a burst of load on a shared machine hits both), and how
// long `probe` takes against the lab's relay started with each example config: unpaced, and the
// time the default pacing (2 connections/s) would add. Measured here, never asserted in a test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { benchCli, formatCliBench } from './cli-bench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/ksmg-setup.js');
const dist = (m) => import(path.join(root, 'dist', m));

const CHECK_CASES = [
  { label: "node -e ''", args: ['-e', ''] },
  {
    label: 'check (no callout, JSON)',
    args: [
      bin,
      'check',
      '-c',
      'examples/edge.yaml',
      '--client',
      '10.0.0.25',
      '--from',
      'alice@corp.example',
      '--to',
      'x@example.net',
      '--format',
      'json',
    ],
  },
  {
    label: 'check (callout to the lab internal server)',
    args: [bin, 'check', '-c', 'examples/edge.yaml', '--client', 'untrusted', '--from', 'a@sender.example', '--to', 'alice@corp.example'],
  },
];

async function benchProbe() {
  const { loadConfig } = await dist('config/load.js');
  const { Lab } = await dist('lab/lab.js');
  const { runProbe } = await dist('probe/probe.js');
  const { DEFAULT_RATE } = await dist('probe/pace.js');
  const quiet = { write: () => true };
  const rows = [];
  for (const [file, classes] of [
    ['examples/edge.yaml', ['untrusted']],
    ['examples/behind-edge-no-verify.yaml', ['untrusted', 'edge']],
    ['examples/behind-edge-verify.yaml', ['untrusted', 'edge']],
  ]) {
    const { config } = await loadConfig(file);
    const lab = await Lab.start({ config });
    try {
      for (const as of classes) {
        const t0 = performance.now();
        const o = await runProbe({
          config,
          target: { host: '127.0.0.1', port: lab.relay.port },
          as,
          source: '127.0.0.2',
          rate: 1e6,
          dns: null,
          stdout: quiet,
          stderr: quiet,
        });
        const ms = performance.now() - t0;
        const sessions = o.sent.length + 1;
        rows.push(
          `  ${`${file} --as ${as}`.padEnd(48)} ${String(o.results.length - 2).padStart(3)} scenarios ${o.exitCode === 0 ? 'matched' : 'DIFFER'}  ${ms.toFixed(0).padStart(5)} ms unpaced, ~${((sessions - 1) / DEFAULT_RATE).toFixed(0)} s at the default ${DEFAULT_RATE}/s`,
        );
      }
    } finally {
      await lab.close();
    }
  }
  return ['probe against the lab relay (one session at a time):', ...rows].join('\n');
}

const runs = Number(process.env.BENCH_CLI_RUNS ?? 7);
console.log(formatCliBench(benchCli({ runs, cases: CHECK_CASES })).replace('CLI start-up', 'check: start and answer'));
console.log(await benchProbe());
console.log(
  `  (load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
