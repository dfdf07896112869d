// `npm run bench`: the relay (built dist/), a sink and a load generator, each in its own process.
// 20 concurrent sessions, 4 KB messages, BENCH_COUNT messages (default 3000), one local-domain
// route. Prints msgs/s accepted and delivered end to end, p50/p99 acceptance latency (MAIL →
// "250 queued"), and the relay's peak RSS. The spool is on the same disk as the repo
// (fsync is real there; tmpfs would make it free). Env: BENCH_COUNT, BENCH_SESSIONS, BENCH_SIZE,
// BENCH_SPOOL (directory to use), KSMG_BASE=src (run the TypeScript sources through tsx).
import { fork } from 'node:child_process';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const count = Number(process.env.BENCH_COUNT ?? 3000);
const sessions = Number(process.env.BENCH_SESSIONS ?? 20);
const size = Number(process.env.BENCH_SIZE ?? 4096);
const base = process.env.KSMG_BASE ?? 'dist';

function child(script, arg, extra = {}) {
  const execArgv = base === 'src' ? ['--import', 'tsx'] : [];
  if (script === 'relay-process.mjs' && process.env.BENCH_RELAY_ARGS) execArgv.push(...process.env.BENCH_RELAY_ARGS.split(' '));
  const c = fork(path.join(here, script), [JSON.stringify(arg)], {
    execArgv,
    env: { ...process.env, KSMG_BASE: base },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...extra,
  });
  const waiters = [];
  c.on('message', (m) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
  });
  c.wait = (type) => new Promise((resolve) => waiters.push({ type, resolve }));
  c.ask = (cmd, type) => {
    const p = c.wait(type);
    c.send({ cmd });
    return p;
  };
  return c;
}

const spoolParent = process.env.BENCH_SPOOL ?? path.join(here, '..');
const spool = await mkdtemp(path.join(spoolParent, '.bench-spool-'));
const kids = [];
try {
  const sink = child('sink.mjs', {});
  kids.push(sink);
  const { port: sinkPort } = await sink.wait('ready');
  const relay = child('relay-process.mjs', { spool, sinkPort });
  kids.push(relay);
  const { port, mode } = await relay.wait('ready');
  const fsType = (await statfs(spool)).type.toString(16);
  console.log(`relay (${mode}, ${base}) on 127.0.0.1:${port}, sink on 127.0.0.1:${sinkPort}, spool ${spool} (fs magic 0x${fsType})`);
  console.log(`load: ${sessions} sessions, ${count} messages of ${size} bytes to one local-domain route`);
  const gen = child('loadgen.mjs', { port, sessions, count, size });
  kids.push(gen);
  const done = await gen.wait('done');
  let stats;
  const deadline = Date.now() + 120_000;
  do {
    await new Promise((r) => setTimeout(r, 100));
    stats = await sink.ask('stats', 'stats');
  } while (stats.count < done.accepted && Date.now() < deadline);
  const { maxRSS, cpuMs } = await relay.ask('stats', 'stats');
  const acceptedRate = done.accepted / done.seconds;
  const deliveredRate = stats.count / ((stats.last - done.start) / 1000);
  console.log('');
  console.log(
    `accepted:   ${done.accepted} messages (${done.failed} refused) in ${done.seconds.toFixed(2)} s = ${acceptedRate.toFixed(0)} msg/s`,
  );
  console.log(
    `delivered:  ${stats.count} messages end to end in ${((stats.last - done.start) / 1000).toFixed(2)} s = ${deliveredRate.toFixed(0)} msg/s`,
  );
  console.log(`acceptance latency: p50 ${done.p50.toFixed(1)} ms, p99 ${done.p99.toFixed(1)} ms`);
  console.log(
    `relay peak RSS: ${(maxRSS / 1024).toFixed(0)} MB; relay CPU ${(cpuMs / 1000).toFixed(2)} s = ${(cpuMs / done.accepted).toFixed(2)} ms per message (2 cores shared by relay, sink and load generator)`,
  );
  if (process.env.BENCH_RELAY_ARGS) {
    relay.send({ cmd: 'exit' });
    await new Promise((r) => relay.once('exit', r));
  }
  console.log(
    `target (Postfix on this machine, fsync per message): 480 msg/s — ${Math.min(acceptedRate, deliveredRate) >= 480 ? 'met' : 'NOT met'}`,
  );
  if (stats.count < done.accepted) process.exitCode = 1;
} finally {
  for (const k of kids) k.kill('SIGKILL');
  await rm(spool, { recursive: true, force: true });
}
