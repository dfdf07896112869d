// A private, real Postfix for tests: started from `export postfix` of a ksmg.yaml, on loopback.
//
//   import { postfixAvailability, startPostfix } from './postfix-instance.js';
//   const avail = postfixAvailability();            // { ok: false, reason } when not installed
//   const pf = await startPostfix(config, { nextHop: '127.0.0.1:2526' });
//   // pf.port: smtpd on 127.0.0.1; XCLIENT allowed from 127.0.0.1 (impersonate any client)
//   // pf.configDir / pf.queueDir / pf.logFile; await pf.readLog(); await pf.postconf('-n')
//   await pf.stop();                                 // its own `postfix -c DIR stop`, then removes DIR
//
// What differs from the plain export, and why (everything else is the export as a user gets it):
//   - config_directory, queue_directory and data_directory under one temp dir; no chroot;
//   - one smtpd on 127.0.0.1:<free port> (master.cf service "127.0.0.1:PORT"), inet_protocols = all
//     so XCLIENT can carry IPv6 clients, smtpd_authorized_xclient_hosts = 127.0.0.1;
//   - every next hop (relayhost, each transport entry, MX delivery) replaced by `nextHop` on
//     loopback, or mail waits in the queue (defer_transports) when none is given; no DNS for
//     delivery (smtp_dns_support_level = disabled): nothing leaves the machine;
//   - smtpd_peername_lookup = no: clients are "unknown" as in the relay (which does no PTR lookups);
//   - local delivery (postmaster) discarded instead of writing /var/mail;
//   - the log in <dir>/maillog (postlogd) instead of syslog;
//   - `overrides` last, for a test's own needs (e.g. { smtpd_error_sleep_time: '0s' }).
// Stop it with stop() only (never by process name). Runs as root here (Postfix drops privileges
// to the `postfix` user, which Debian's package creates).
import { execFile, execFileSync } from 'node:child_process';
import { chmod, chown, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/schema.js';
import { exportPostfix, hashMaps, MAP_FILES, type PostfixExport } from '../../src/export/postfix.js';
import { writeSelfSignedTls } from '../../src/export/write.js';

const run = promisify(execFile);

export const POSTFIX_INSTALL_HINT =
  'Postfix is not installed: the differential suite needs it (Debian: echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections && apt-get install -y postfix)';

export type Availability = { ok: true; version: string } | { ok: false; reason: string };

/** Whether a usable Postfix is on this machine (binary present and we are root). */
export function postfixAvailability(): Availability {
  if (!existsSync('/usr/sbin/postfix') || !existsSync('/usr/sbin/postconf')) return { ok: false, reason: POSTFIX_INSTALL_HINT };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the differential suite starts Postfix and needs root' };
  try {
    const v = execFileSync('/usr/sbin/postconf', ['-d', '-h', 'mail_version'], { encoding: 'utf8' }).trim();
    return { ok: true, version: v };
  } catch (e) {
    return { ok: false, reason: `postconf failed: ${(e as Error).message}` };
  }
}

export interface PostfixInstanceOptions {
  /** `127.0.0.1:PORT` (or `[::1]:PORT`) every next hop goes to; default: no delivery at all. */
  nextHop?: string;
  /** Extra main.cf parameters, applied last. */
  overrides?: Record<string, string>;
  /** smtpd port; default a free port on 127.0.0.1. */
  port?: number;
  /** Keep the temp dir after stop() (for debugging). */
  keep?: boolean;
}

export interface PostfixInstance {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The temp dir holding everything below. */
  readonly dir: string;
  readonly configDir: string;
  readonly queueDir: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** The export it was started from (before the test overrides). */
  readonly export: PostfixExport;
  /** The maillog so far ('' when nothing was logged yet). */
  readLog(): Promise<string>;
  /** `postconf -c configDir ...args`: stdout and stderr. */
  postconf(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** `postfix -c configDir stop`, wait for the master to exit, remove the temp dir. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; small race accepted in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Without a nextHop mail waits in the queue (defer_transports): this address is never contacted. */
const NO_NEXT_HOP = '127.0.0.1:9';

function loopbackTransport(text: string, nextHop: string | undefined): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.trim() || line.startsWith('#')) return line;
      const [domain] = line.split(/\s+/);
      return `${domain}  smtp:${bracket(nextHop ?? NO_NEXT_HOP)}`;
    })
    .join('\n');
}

/** `127.0.0.1:2526` → `[127.0.0.1]:2526` (no MX lookup). */
function bracket(hop: string): string {
  if (hop.startsWith('[')) return hop;
  const i = hop.lastIndexOf(':');
  return `[${hop.slice(0, i)}]:${hop.slice(i + 1)}`;
}

/**
 * Starts a private Postfix for `config` (see the header comment for what is changed). A free port
 * is found by binding port 0 and closing it, so another process can take it before Postfix's
 * master binds it (several instances start at once in the suite): master then dies with "bind …
 * Address already in use" and `postfix start` fails. Without a fixed `opts.port` that start is
 * retried on a new port, twice; the error names the maillog's last lines.
 */
export async function startPostfix(config: Config, opts: PostfixInstanceOptions = {}): Promise<PostfixInstance> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPostfixOnce(config, opts);
    } catch (e) {
      if (opts.port !== undefined || attempt >= 3 || !(e instanceof PostfixStartError)) throw e;
    }
  }
}

class PostfixStartError extends Error {}

async function startPostfixOnce(config: Config, opts: PostfixInstanceOptions): Promise<PostfixInstance> {
  const port = opts.port ?? (await freePort());
  const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-postfix-'));
  const configDir = path.join(dir, 'etc');
  const queueDir = path.join(dir, 'queue');
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'maillog');
  // mkdtemp makes it 0700; the postfix user must reach data/ and queue/.
  await chmod(dir, 0o755);
  await mkdir(configDir);
  await mkdir(queueDir);
  await mkdir(dataDir);
  await chown(dataDir, postfixUid(), 0);

  const exp = exportPostfix(config, { smtpdService: `127.0.0.1:${port}`, chroot: false });
  const maps = { ...exp.maps };
  maps[MAP_FILES.transport] = loopbackTransport(maps[MAP_FILES.transport] ?? '', opts.nextHop);
  const testParams: Record<string, string> = {
    config_directory: configDir,
    queue_directory: queueDir,
    data_directory: dataDir,
    inet_interfaces: 'loopback-only',
    inet_protocols: 'all',
    smtpd_authorized_xclient_hosts: '127.0.0.1',
    smtpd_peername_lookup: 'no',
    relayhost: bracket(opts.nextHop ?? NO_NEXT_HOP),
    ...(opts.nextHop ? {} : { defer_transports: 'smtp, relay' }),
    local_transport: 'discard:local delivery off in the differential instance',
    maillog_file_prefixes: dir,
    maillog_file: logFile,
    syslog_name: `postfix-ksmg-${port}`,
    smtp_dns_support_level: 'disabled',
    smtp_host_lookup: 'native',
    ...opts.overrides,
  };
  const mainCf = withParams(exp.mainCf, testParams);
  await writeFile(path.join(configDir, 'main.cf'), mainCf);
  await writeFile(path.join(configDir, 'master.cf'), exp.masterCf);
  for (const [name, text] of Object.entries(maps)) await writeFile(path.join(configDir, name), text);
  // The same self-signed pair the relay serves (selfSignedFor caches one per host name and process).
  await writeSelfSignedTls(exp, configDir);

  const pf = (cmd: string, ...args: string[]) => run(`/usr/sbin/${cmd}`, ['-c', configDir, ...args], { timeout: 30_000 });
  for (const m of hashMaps(exp)) await pf('postmap', `hash:${path.join(configDir, m)}`);
  await pf('postalias', `hash:${path.join(configDir, MAP_FILES.aliases)}`);
  try {
    await pf('postfix', 'start');
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await pf('postfix', 'stop').catch(() => undefined);
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
    const tail = log.trim().split('\n').slice(-5).join('\n');
    throw new PostfixStartError(`postfix -c ${configDir} start failed: ${err.stderr || err.message}${tail ? `\nmaillog:\n${tail}` : ''}`);
  }
  const instance: PostfixInstance = {
    host: '127.0.0.1',
    port,
    dir,
    configDir,
    queueDir,
    dataDir,
    logFile,
    export: exp,
    readLog: () => readFile(logFile, 'utf8').catch(() => ''),
    postconf: (...args) => pf('postconf', ...args),
    async stop() {
      await pf('postfix', 'stop').catch(() => undefined);
      await waitMasterGone(queueDir);
      if (!opts.keep) await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitListening(port);
  } catch (e) {
    const log = await instance.readLog();
    await instance.stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  return instance;
}

/**
 * main.cf with `params` set: a parameter already there is replaced where it stands (Postfix warns
 * about a parameter given twice), the others are appended.
 */
export function withParams(mainCf: string, params: Record<string, string>): string {
  const rest = new Map(Object.entries(params));
  const lines = mainCf.split('\n').map((line) => {
    const m = line.match(/^([a-z0-9_]+)\s*=/);
    if (!m || !rest.has(m[1]!)) return line;
    const v = rest.get(m[1]!)!;
    rest.delete(m[1]!);
    // The note goes on its own line: Postfix has no trailing comments, so `= no  # note`
    // would make the note part of the value (or a bad boolean).
    return `# differential test instance:\n${m[1]} = ${v}`;
  });
  const added = [...rest].map(([k, v]) => `${k} = ${v}`);
  return `${lines.join('\n').replace(/\n*$/, '')}\n\n# ── differential test instance (test/differential/postfix-instance.ts) ──\n${added.join('\n')}\n`;
}

function postfixUid(): number {
  return Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
}

async function waitListening(port: number, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`Postfix smtpd did not listen on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The master's pid file goes away (or its process does) once `postfix stop` finished. */
async function waitMasterGone(queueDir: string, ms = 15_000): Promise<void> {
  const pidFile = path.join(queueDir, 'pid', 'master.pid');
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const text = await readFile(pidFile, 'utf8').catch(() => '');
    const pid = Number(text.trim());
    if (!pid) return;
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
