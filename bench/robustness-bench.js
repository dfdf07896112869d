// Hostile content, measured: for each message of the robustness corpus (test/robustness/corpus.ts,
// at the sizes of the original report: a 1.3 GB zip bomb, 80 × 32 MB entries, 300 overlapping
// entries, EICAR 12 zips deep, MIME 30 levels deep, a 5 MB header folded over 72,000 lines …)
// the time from the final dot to the relay's reply, the relay process's peak RSS while it is
// processed (worker threads included), the verdict, and the latency of a clean session run at
// the same time (what "the gateway does not freeze" means to other clients).
//   npm run build && node bench/robustness-bench.js          (the built relay, dist/)
//   KSMG_BASE=src node bench/robustness-bench.js             (the TypeScript sources)
// Prints a table, then one JSON line (`robustness-bench: {...}`) for other benches to pick up.
// Figures only — nothing here is asserted.
import { register } from 'tsx/esm/api';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

register(); // the corpus is TypeScript (shared with the test)
const base = process.env.KSMG_BASE ?? 'dist';
const ext = base === 'src' ? '.ts' : '.js';
const mod = (p) => import(new URL(`../${base}/${p}${ext}`, import.meta.url).href);
const { configSchema } = await mod('config/schema');
const { startRelay } = await mod('relay/relay');
const { hostileCorpus, BENCH_SCALE } = await import(new URL('../test/robustness/corpus.ts', import.meta.url).href);

const config = configSchema.parse({
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: { hostname: 'ksmg.bench.example', trustedNetworks: ['127.0.0.0/8'], domains: [{ name: 'corp.example' }] },
  protection: { dns: false },
});
const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-robust-bench-'));
const relay = await startRelay({ config, listen: { host: '127.0.0.1', port: 0 }, spoolDir, logger: { info() {} }, queue: false });

/** One SMTP transaction over a raw socket; resolves with the final reply and the ms from the dot to it. */
function transaction(message) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: relay.port });
    sock.setEncoding('latin1');
    let buf = '';
    let step = 0;
    let dotAt = 0;
    const script = ['EHLO bench.example', 'MAIL FROM:<mallory@sender.example>', 'RCPT TO:<bob@corp.example>', 'DATA'];
    sock.on('data', (d) => {
      buf += d;
      let m;
      while ((m = buf.match(/^(\d{3})([ -])[^\n]*\n/))) {
        const line = m[0];
        buf = buf.slice(line.length);
        if (m[2] === '-') continue;
        if (step < script.length) sock.write(`${script[step++]}\r\n`);
        else if (step === script.length) {
          step++;
          dotAt = performance.now();
          sock.write(`${message.toString('latin1').replace(/\r\n\./g, '\r\n..')}\r\n.\r\n`);
        } else {
          const ms = performance.now() - dotAt;
          sock.end('QUIT\r\n');
          resolve({ reply: line.trim(), ms });
        }
      }
    });
    sock.on('error', reject);
  });
}

const CLEAN = Buffer.from('From: alice@sender.example\r\nTo: bob@corp.example\r\nSubject: hello\r\n\r\nJust text.\r\n');
await transaction(CLEAN); // warm the worker pool
const mb = (b) => (b / 1024 / 1024).toFixed(0);
const t0 = performance.now();
const items = hostileCorpus(BENCH_SCALE);
console.log(
  `robustness bench: ${base}, corpus generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; relay RSS at rest ${mb(process.memoryUsage().rss)} MB`,
);
console.log('message                                              size      reply after   peak RSS   clean session   verdict');
const rows = [];
for (const item of items) {
  if (global.gc) global.gc();
  const rest = process.memoryUsage().rss;
  let peak = rest;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const hostile = transaction(item.message);
  // A clean session started while the hostile message is being processed.
  await new Promise((r) => setTimeout(r, 5));
  const clean = await transaction(CLEAN);
  const h = await hostile;
  clearInterval(sampler);
  const id = h.reply.match(/queued as ([0-9A-F]+)/)?.[1];
  let verdict = h.reply;
  if (id) {
    const { data } = await relay.spool.readFile(id);
    const state = await relay.spool.readState(id);
    const av = data.toString('latin1').match(/\r\nX-KSMG-AntiVirus-Status: ([^\r]*)/)?.[1];
    verdict = state.recipients[0].status === 'dropped' ? 'deleted' : `delivered, AV ${av}`;
  }
  rows.push({
    name: item.name,
    bytes: item.message.length,
    ms: Math.round(h.ms),
    peakMb: Number(mb(peak)),
    overRestMb: Number(mb(peak - rest)),
    cleanMs: Math.round(clean.ms),
    verdict,
  });
  console.log(
    `${item.name.padEnd(52)} ${`${(item.message.length / 1024).toFixed(0)} KB`.padStart(8)}   ${`${h.ms.toFixed(0)} ms`.padStart(9)}   ${`${mb(peak)} MB`.padStart(8)}   ${`${clean.ms.toFixed(0)} ms`.padStart(13)}   ${verdict}`,
  );
}
await relay.close();
await rm(spoolDir, { recursive: true, force: true });
console.log(`robustness-bench: ${JSON.stringify({ base, rows })}`);
