// `npm run bench:steps` (and part of `npm run bench`): where one SMTP session at a time waits.
// smtp-source reports msg/s only; with one session, msg/s is one over the sum of seven round
// trips, so this times each of them — connect → 220, EHLO, MAIL, RCPT, DATA → 354, the message
// and its dot → 250, QUIT → 221 — against the relay (built CLI, scanner on and --no-scan) and a
// private Postfix (bench/lib/postfix.mjs, a hand-written main.cf with the bench's settings),
// sessions interleaved system by system, medians of the second half (the first warms up).
// BENCH_STEPS_SESSIONS sets the sessions per system (default 4000, quick 100): the relay's JIT is still
// warming over its first few thousand messages, and only the second half is timed.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startNxDns } from './lib/dns.mjs';
import { handMainCf, postfixAvailable, postfixVersion, startPostfix } from './lib/postfix.mjs';
import { median } from './lib/procs.mjs';
import { configYaml, SETTINGS } from './lib/relay-vs-postfix.mjs';
import { freePort, startRelayCli, startSmtpSink } from './lib/systems.mjs';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const SESSIONS = Number(process.env.BENCH_STEPS_SESSIONS) || (quick ? 100 : 4000);
const STEPS = ['connect', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'message', 'QUIT'];
const BODY = `From: <bench@load.example>\r\nTo: <bob@corp.example>\r\nSubject: steps\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(50)}.\r\n`;
const SENDS = [
  null,
  'EHLO load.example\r\n',
  'MAIL FROM:<bench@load.example>\r\n',
  'RCPT TO:<bob@corp.example>\r\n',
  'DATA\r\n',
  BODY,
  'QUIT\r\n',
];

/** One session; resolves the microseconds from each send (or the connect) to its whole reply. */
function session(port) {
  return new Promise((resolve, reject) => {
    const times = [];
    let step = 0;
    let text = '';
    let at = process.hrtime.bigint();
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (!/(?:^|\r\n)\d{3} [^\r\n]*\r\n$/.test(text)) return; // a multi-line reply is not complete yet
      if (!/^[23]/.test(text)) return reject(new Error(`step ${STEPS[step]}: ${text.trim()}`));
      text = '';
      const now = process.hrtime.bigint();
      times.push(Number(now - at) / 1000);
      at = now;
      step++;
      if (step < SENDS.length) socket.write(SENDS[step]);
      else {
        socket.destroy();
        resolve(times);
      }
    });
    socket.on('error', reject);
  });
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'ksmg-steps-'));
await chmod(tmp, 0o755); // Postfix's daemons reach their queue below this directory
const stops = [];
try {
  const sink = await startSmtpSink();
  stops.push(() => sink.stop());
  const dns = await startNxDns();
  stops.push(() => dns.close());
  const settings = SETTINGS(sink.port);
  const config = path.join(tmp, 'ksmg.yaml');
  await writeFile(config, configYaml(settings));
  const systems = [];
  for (const scan of [true, false]) {
    const relay = await startRelayCli({
      config,
      spool: path.join(tmp, scan ? 'spool-scan' : 'spool-noscan'),
      logFile: path.join(tmp, scan ? 'scan.log' : 'noscan.log'),
      dns: dns.server,
      scan,
    });
    stops.push(() => relay.stop());
    systems.push({ label: scan ? 'relay (scanner on)' : 'relay --no-scan', port: relay.port });
  }
  if (postfixAvailable()) {
    const dir = path.join(tmp, 'postfix');
    await mkdir(dir);
    const pf = await startPostfix({ dir, port: await freePort(), mainCf: handMainCf(settings) });
    stops.push(() => pf.stop());
    systems.push({ label: `Postfix ${postfixVersion()}`, port: pf.port });
  }
  const times = systems.map(() => []);
  for (let i = 0; i < SESSIONS; i++) for (const [k, s] of systems.entries()) times[k].push(await session(s.port));
  console.log(`one session at a time, ${SESSIONS} per system, median µs of the last ${SESSIONS - Math.floor(SESSIONS / 2)}:`);
  console.log(`${''.padEnd(22)}${[...STEPS, 'total'].map((s) => s.padStart(9)).join('')}`);
  const result = {};
  for (const [k, s] of systems.entries()) {
    const warm = times[k].slice(Math.floor(SESSIONS / 2));
    const row = STEPS.map((_, j) => median(warm.map((t) => t[j])));
    const total = median(warm.map((t) => t.reduce((a, b) => a + b, 0)));
    result[s.label] = Object.fromEntries([...STEPS.map((step, j) => [step, Math.round(row[j])]), ['total', Math.round(total)]]);
    console.log(`${s.label.padEnd(22)}${[...row, total].map((v) => Math.round(v).toString().padStart(9)).join('')}`);
  }
  console.log(JSON.stringify({ sessionSteps: result }));
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await rm(tmp, { recursive: true, force: true });
}
