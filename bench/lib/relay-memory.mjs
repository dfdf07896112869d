// The relay's memory where it must stay bounded: 1000 idle connections (each past the greeting,
// nothing sent), and 20 sessions each sending a 1 MB message (peak RSS above the idle relay,
// per session). The relay is `ksmg-setup relay` from the built CLI, scanner on, relaying to
// smtp-sink; RSS is sampled every 50 ms from /proc.
import net from 'node:net';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startNxDns } from './dns.mjs';
import { rssKb } from './procs.mjs';
import { configYaml, SETTINGS } from './relay-vs-postfix.mjs';
import { smtpSource, startRelayCli, startSmtpSink } from './systems.mjs';

function idleConnection(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('error', reject);
    s.once('data', () => resolve(s)); // the 220 greeting
  });
}

function peakRss(pid, everyMs = 50) {
  let peak = rssKb(pid);
  const t = setInterval(() => (peak = Math.max(peak, rssKb(pid))), everyMs);
  return () => (clearInterval(t), Math.max(peak, rssKb(pid)));
}

export async function relayMemory({ quick, log = console.log, cli, scan = true }) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ksmg-bench-mem-'));
  await chmod(tmp, 0o755);
  const sink = await startSmtpSink();
  const dns = await startNxDns();
  const connections = quick ? 300 : 1000;
  const sockets = [];
  let relay;
  try {
    const configFile = path.join(tmp, 'ksmg.yaml');
    // The relay-vs-Postfix bench's config (audited there), so both benches measure the same relay.
    await writeFile(configFile, configYaml(SETTINGS(sink.port)));
    relay = await startRelayCli({
      config: configFile,
      spool: path.join(tmp, 'spool'),
      dns: dns.server,
      logFile: path.join(tmp, 'relay.log'),
      cli,
      scan,
    });
    // Warm: the scanner's threads and the JIT, so the idle figure is the relay as it runs.
    await smtpSource({ port: relay.port, sessions: 5, size: 4096, count: Number(process.env.BENCH_MEM_WARM ?? 20) });
    await new Promise((r) => setTimeout(r, 500));
    const before = rssKb(relay.pid);
    for (let i = 0; i < connections; i++) sockets.push(await idleConnection(relay.port));
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssKb(relay.pid);
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((r) => setTimeout(r, 1000));
    const base = rssKb(relay.pid);
    const stop = peakRss(relay.pid);
    const sessions = 20;
    const res = await smtpSource({ port: relay.port, sessions, size: 1024 * 1024, count: quick ? 40 : 100 });
    const peak = stop();
    const out = {
      idleConnections: connections,
      rssBeforeMb: before / 1024,
      rssWithIdleMb: idle / 1024,
      perIdleConnectionKb: (idle - before) / connections,
      oneMb: { sessions, ok: res.ok, rssBaseMb: base / 1024, peakRssMb: peak / 1024, perSessionMb: (peak - base) / 1024 / sessions },
    };
    log(
      `relay RSS: ${(before / 1024).toFixed(0)} MB warm, ${(idle / 1024).toFixed(0)} MB with ${connections} idle connections (${out.perIdleConnectionKb.toFixed(1)} KB each); ` +
        `${sessions} sessions of 1 MB messages: peak ${(peak / 1024).toFixed(0)} MB, ${out.oneMb.perSessionMb.toFixed(1)} MB per session above ${(base / 1024).toFixed(0)} MB${res.ok ? '' : ` (smtp-source: ${res.error})`}`,
    );
    return out;
  } finally {
    for (const s of sockets) s.destroy();
    await relay?.stop();
    await sink.stop();
    await dns.close();
    await rm(tmp, { recursive: true, force: true });
  }
}
