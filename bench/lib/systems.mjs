// The systems under test and Postfix's own tools: the relay started with the built CLI exactly as
// a user runs it (`ksmg-setup relay --config … --listen … --spool …`), smtp-sink as the next hop
// of both, smtp-source as the one load generator for both.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countFiles, SMTP_SINK, SMTP_SOURCE } from './postfix.mjs';
import { run, waitFor } from './procs.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'bin', 'ksmg-setup.js');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** `ksmg-setup relay` from the built CLI; its log goes to `logFile`. */
export async function startRelayCli({ config, spool, logFile, scan = true, dns, cli = CLI }) {
  const port = await freePort();
  const args = [cli, 'relay', '--config', config, '--listen', `127.0.0.1:${port}`, '--spool', spool];
  if (!scan) args.push('--no-scan');
  if (dns) args.push('--dns', dns);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stderr.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const up = await waitFor(async () => exited || (await canConnect(port)), { timeoutMs: 20_000, everyMs: 25 });
  if (!up || exited) throw new Error(`ksmg-setup relay did not start (see ${logFile})`);
  return {
    port,
    pid: child.pid,
    async queued() {
      return (await countFiles(path.join(spool, 'incoming'))) + (await countFiles(path.join(spool, 'queue')));
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** smtp-sink on a free port; accepts everything. */
export async function startSmtpSink() {
  const port = await freePort();
  const child = spawn(SMTP_SINK, ['-u', 'postfix', '-m', '1000', `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  if (!(await waitFor(async () => exited || (await canConnect(port)), { timeoutMs: 10_000 })) || exited)
    throw new Error('smtp-sink did not start');
  return {
    port,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/**
 * One smtp-source run; resolves { ok, seconds, msgsPerSec, error }. smtp-source exits non-zero
 * on the first unexpected reply (that cell is then reported as failed, not as a rate).
 */
export async function smtpSource({ port, sessions, size, count, recipients = 1, reuse = false }) {
  const args = [
    '-s',
    String(sessions),
    '-l',
    String(size),
    '-m',
    String(count),
    '-M',
    'load.example',
    '-f',
    'bench@load.example',
    '-t',
    'bob@corp.example',
  ];
  if (recipients > 1) args.push('-r', String(recipients));
  if (reuse) args.push('-d');
  args.push(`127.0.0.1:${port}`);
  const r = await run(SMTP_SOURCE, args);
  const ok = r.code === 0;
  return {
    ok,
    seconds: r.seconds,
    msgsPerSec: ok ? count / r.seconds : NaN,
    error: ok ? undefined : (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' '),
  };
}
