// `npm run bench [-- --quick] [-- --only relay,verify,cli,others] [-- --baseline DIR]`: where users wait, measured.
//  1. the relay (scanner on and --no-scan) against a private Postfix with the same settings, under
//     Postfix's smtp-source, both relaying to smtp-sink, both fsyncing before the 250; plus p50/p99
//     accept latency from our own client at one row (smtp-source reports none);
//  2. `ksmg-setup verify` on the default pack, 10× and 20× copies, --jobs 1/2/4, with CPU time, peak
//     RSS and the default pack's time split;
//  3. CLI start times;
//  4. the other bench scripts (cli-bench.js, audit-bench.js, robustness-bench.js, session-steps.js) when present.
// Prints the tables and writes them as JSON to bench/results/<time>-<host>.json for comparison.
// The machine is shared: read the ratios, not the absolute figures.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run } from './lib/procs.mjs';
import { printRelayTable, relayVsPostfix } from './lib/relay-vs-postfix.mjs';
import { relayMemory } from './lib/relay-memory.mjs';
import { ROOT } from './lib/systems.mjs';
import { cliStartTimes, verifyScale } from './lib/verify-scale.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? argv[argv.indexOf('--only') + 1];
const only = argv.some((a) => a.startsWith('--only')) && onlyArg ? new Set(onlyArg.split(',')) : null;
const wants = (part) => !only || only.has(part);

const machine = {
  host: os.hostname(),
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
  memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
};
const result = { date: new Date().toISOString(), quick, machine };
console.log(
  `ksmg-setup bench${quick ? ' (quick)' : ''} on ${machine.host}: ${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
);

if (wants('relay')) {
  console.log('\n== relay vs Postfix (smtp-source → system → smtp-sink)');
  const r = await relayVsPostfix({ quick });
  result.relayVsPostfix = r;
  printRelayTable(r);
  console.log('\n== relay memory (idle connections, 1 MB messages)');
  result.relayMemory = await relayMemory({ quick });
}

if (wants('verify')) {
  console.log('\n== ksmg-setup verify (built CLI, examples/behind-edge-no-verify.yaml)');
  // --baseline DIR: another checkout (built), run interleaved for before/after figures.
  const b = argv.indexOf('--baseline');
  const baseline = b >= 0 ? path.resolve(argv[b + 1], 'bin', 'ksmg-setup.js') : undefined;
  result.verify = await verifyScale({ quick, baseline });
}

if (wants('cli')) {
  console.log('\n== CLI start times (median)');
  result.cliStart = await cliStartTimes({ quick });
}

if (wants('others')) {
  result.others = {};
  for (const script of ['cli-bench.js', 'audit-bench.js', 'robustness-bench.js', 'session-steps.js']) {
    const file = path.join(ROOT, 'bench', script);
    if (!existsSync(file)) continue;
    console.log(`\n== bench/${script}`);
    const r = await run(process.execPath, [file, ...(quick ? ['--quick'] : [])], {
      env: { ...process.env, BENCH_QUICK: quick ? '1' : '' },
    });
    const text = `${r.stdout}${r.stderr}`.trimEnd();
    console.log(text);
    result.others[script] = { exitCode: r.code, seconds: +r.seconds.toFixed(2), output: text.split('\n').slice(-60) };
  }
}

result.machine.loadAverageAtEnd = os.loadavg().map((x) => +x.toFixed(2));
const dir = path.join(ROOT, 'bench', 'results');
await mkdir(dir, { recursive: true });
const file = path.join(dir, `${result.date.replace(/[:.]/g, '-').slice(0, 19)}-${machine.host}${quick ? '-quick' : ''}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwritten: ${path.relative(ROOT, file)}`);
