// A private Postfix for the bench: Debian's package, its own config_directory, queue_directory
// and data_directory under a temp dir, smtpd on 127.0.0.1:PORT only, logging to a file in that
// dir (no syslog runs here). Started with `postfix -c DIR start`, stopped with `postfix -c DIR stop`
// (never by process name). The KSMG-specific part of main.cf comes from the caller: the project's
// `export postfix` output when it exists, else handMainCf() below.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile, chown, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { run, waitFor } from './procs.mjs';

export const POSTFIX = '/usr/sbin/postfix';
export const SMTP_SOURCE = '/usr/sbin/smtp-source';
export const SMTP_SINK = '/usr/sbin/smtp-sink';

export function postfixAvailable() {
  return existsSync(POSTFIX) && existsSync(SMTP_SOURCE) && existsSync(SMTP_SINK) && process.getuid?.() === 0;
}

export function postfixVersion() {
  try {
    return execFileSync('/usr/sbin/postconf', ['-d', '-h', 'mail_version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The KSMG settings the bench config uses, written by hand as the relay reads them from
 * ksmg.yaml (used until `export postfix` is available): relay_domains + transport_maps for the
 * one local domain, mynetworks, the size limit, the relay restriction.
 */
export function handMainCf(s) {
  const transports = s.domains.map((d) => `${d.name}=smtp:[${d.host}]:${d.port}`).join(' ');
  return [
    `myhostname = ${s.hostname}`,
    `mydomain = ${s.domain}`,
    'mydestination =',
    `mynetworks = ${s.trustedNetworks.join(' ')}`,
    `relay_domains = ${s.domains.map((d) => d.name).join(' ')}`,
    `transport_maps = inline:{ ${transports} }`,
    `message_size_limit = ${s.messageSizeLimit}`,
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    `smtpd_client_connection_count_limit = ${s.connectionCountLimit ?? 50}`,
    'smtpd_banner = $myhostname ESMTP MTA',
    'disable_vrfy_command = yes',
    'strict_rfc821_envelopes = yes',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
  ].join('\n');
}

// Debian's master.cf services, without chroot (the private queue dir has no chroot jail).
const MASTER_SERVICES = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

/** Starts a private instance; `mainCf` is the KSMG part (export or handMainCf). */
export async function startPostfix({ dir, port, mainCf }) {
  await mkdir(path.join(dir, 'queue'), { recursive: true });
  await mkdir(path.join(dir, 'data'), { recursive: true });
  await chown(path.join(dir, 'data'), postfixUid(), postfixGid());
  const maillog = path.join(dir, 'maillog');
  const instance = [
    'compatibility_level = 3.6',
    `queue_directory = ${path.join(dir, 'queue')}`,
    `data_directory = ${path.join(dir, 'data')}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    `maillog_file_prefixes = ${dir}`,
    `maillog_file = ${maillog}`,
  ].join('\n');
  // The export's own instance settings (if any) are overridden by ours: later lines win.
  await writeFile(path.join(dir, 'main.cf'), `${mainCf}\n\n# private bench instance\n${instance}\n`);
  await writeFile(path.join(dir, 'master.cf'), `127.0.0.1:${port} inet n - n - - smtpd\n${MASTER_SERVICES}`);
  const r = await run(POSTFIX, ['-c', dir, 'start']);
  const pidFile = path.join(dir, 'queue', 'pid', 'master.pid');
  const up = r.code === 0 && (await waitFor(() => existsSync(pidFile), { timeoutMs: 10_000 }));
  if (!up) {
    const log = existsSync(maillog) ? await readFile(maillog, 'utf8') : r.stderr;
    throw new Error(
      `postfix -c ${dir} start failed:\n${log
        .split('\n')
        .filter((l) => /fatal|error/.test(l))
        .slice(-5)
        .join('\n')}`,
    );
  }
  const masterPid = Number((await readFile(pidFile, 'utf8')).trim());
  return {
    port,
    dir,
    masterPid,
    /** Messages still in the queue (incoming, active, deferred). */
    async queued() {
      let n = 0;
      for (const q of ['maildrop', 'incoming', 'active', 'deferred']) n += await countFiles(path.join(dir, 'queue', q));
      return n;
    },
    async stop() {
      await run(POSTFIX, ['-c', dir, 'stop']);
      await waitFor(() => !existsSync(pidFile) || !alive(masterPid), { timeoutMs: 15_000 });
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function countFiles(dir) {
  let n = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
  return n;
}

function idOf(flag) {
  return Number(execFileSync('id', [flag, 'postfix'], { encoding: 'utf8' }).trim());
}
const postfixUid = () => idOf('-u');
const postfixGid = () => idOf('-g');
