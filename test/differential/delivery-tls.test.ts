// The differential suite, outgoing TLS: the same ksmg.yaml starts the relay and (through `export
// postfix`) a real Postfix; each sends one message with a recipient in four domains, routed to
// four loopback next hops: one without STARTTLS, one with a certificate from the test CA, one with
// a self-signed certificate, one that breaks the TLS handshake. For each outgoing level (none,
// may, encrypt, verify) the per-recipient outcome — status, DSN status, the reason text
// ("TLS is required, but was not offered by host …") and whether the copy arrived over TLS — must
// be equal. One more case shows what the policy table is keyed by: a domain entry does not apply
// to mail that goes through the relayhost.
//
// Run:  npx vitest run test/differential/delivery-tls.test.ts   (needs Postfix, as receive.test.ts)
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config, type OutgoingTlsLevel } from '../../src/config/schema.js';
import { exportPostfix } from '../../src/export/postfix.js';
import { writePostfixExport } from '../../src/export/write.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay.js';
import { fakeResolver } from '../helpers/relay-fixture.js';
import { postfixAvailability, startPostfix, type PostfixInstance } from './postfix-instance.js';

const run = promisify(execFile);
const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true: the differential suite must run, but ${avail.reason}`);
if (!avail.ok) console.log(`differential outgoing TLS suite skipped: ${avail.reason}`);

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tls');
type SinkKind = 'plain' | 'trusted' | 'untrusted' | 'breaks';
const KINDS: SinkKind[] = ['plain', 'trusted', 'untrusted', 'breaks'];
/** The relay's virtual next hop of each kind (route-mapped to the real sink port). */
const VPORT: Record<SinkKind, number> = { plain: 2501, trusted: 2502, untrusted: 2503, breaks: 2504 };

interface TlsSink {
  port: number;
  /** Recipient → whether its copy came over TLS. */
  received: Map<string, boolean>;
  close(): void;
}

/** A next hop that records recipients and whether the transaction ran over TLS. */
function startTlsSink(kind: SinkKind, key: string, cert: string): Promise<TlsSink> {
  const received = new Map<string, boolean>();
  const server = net.createServer((raw) => {
    let socket: net.Socket = raw;
    let secure = false;
    let inData = false;
    let rcpts: string[] = [];
    let buf = '';
    raw.on('error', () => undefined);
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          for (const r of rcpts) received.set(r, secure);
          rcpts = [];
          socket.write('250 2.0.0 Ok: queued as SINK\r\n');
        }
        return;
      }
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') {
        const starttls = kind !== 'plain' && !secure ? '250-STARTTLS\r\n' : '';
        socket.write(`250-sink.test\r\n${starttls}250-PIPELINING\r\n250 8BITMIME\r\n`);
      } else if (verb === 'STARTTLS' && kind !== 'plain' && !secure) {
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        if (kind === 'breaks') return void socket.end('not a TLS handshake\r\n');
        raw.removeAllListeners('data');
        const t = new tls.TLSSocket(raw, { isServer: true, key, cert });
        t.on('error', () => undefined);
        t.on('data', onData);
        socket = t;
        secure = true;
      } else if (verb === 'RCPT') {
        rcpts.push(line.match(/<([^>]*)>/)?.[1] ?? '');
        socket.write('250 2.1.5 Ok\r\n');
      } else if (verb === 'DATA') {
        inData = true;
        socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
      } else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
      else if (verb === 'RSET' || verb === 'MAIL' || verb === 'NOOP') socket.write('250 2.0.0 Ok\r\n');
      else socket.write('502 5.5.2 Error: command not recognized\r\n');
    };
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        onLine(line);
      }
    };
    raw.on('data', onData);
    raw.write('220 sink.test ESMTP\r\n');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as net.AddressInfo).port, received, close: () => server.close() }),
    ),
  );
}

/** One message from a trusted client (XCLIENT) to `to`. */
async function send(port: number, to: string[]): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setEncoding('latin1');
  let buf = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (d: string) => {
    buf += d;
    while (/^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.test(buf)) {
      buf = buf.replace(/^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/, '');
      waiters.shift()?.();
    }
  });
  socket.on('error', () => undefined);
  const reply = () => new Promise<void>((r) => waiters.push(r));
  const cmd = (line: string) => (socket.write(`${line}\r\n`), reply());
  await reply();
  await cmd('XCLIENT ADDR=10.1.2.3');
  await cmd('EHLO client.example');
  await cmd('MAIL FROM:<alice@corp.example>');
  for (const r of to) await cmd(`RCPT TO:<${r}>`);
  await cmd('DATA');
  await cmd('From: alice@corp.example\r\nSubject: tls\r\n\r\nHello.\r\n.');
  await cmd('QUIT');
  socket.destroy();
}

interface Outcome {
  /** "dsn=4.7.4, status=deferred (TLS is required, but was not offered by host 127.0.0.1[127.0.0.1])" */
  log: string;
  secure?: boolean;
}

/** The final status line of each recipient, ports evened out (each side dials its own ports). */
function statusLines(log: string, recipients: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of log.split('\n')) {
    const m = line.match(/to=<([^>]+)>, relay=[^,]+, .*?(dsn=[^,]+, status=\w+ \(.*\))$/);
    if (m && recipients.includes(m[1]!)) out.set(m[1]!, m[2]!.replace(/\]:\d+/g, ']:PORT'));
  }
  return out;
}

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sinks = {} as Record<SinkKind, TlsSink>;
let work: string;
let caFile: string;
const outcomes = new Map<string, { relay: Outcome; postfix: Outcome }>();

const recipientsOf = (level: string, side: string) => KINDS.map((k) => `${level}-${side}@${k}.example`);

function levelConfig(level: OutgoingTlsLevel): Config {
  return configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/8'],
      destination: { mode: 'edge-gateway', host: '127.0.0.1', port: 2599 },
      domains: KINDS.map((k) => ({ name: `${k}.example`, route: { host: '127.0.0.1', port: VPORT[k] } })),
      tls: { outgoing: level, caFile },
      advanced: { rejectUnknownRecipientDomains: false },
    },
  });
}

async function startBoth(config: Config, spool: string, postfixOverrides: Record<string, string>) {
  const logger = new MemoryLogger();
  const routeMap = new Map(KINDS.map((k) => [`127.0.0.1:${VPORT[k]}`, { host: '127.0.0.1', port: sinks[k].port }]));
  routeMap.set('127.0.0.1:2599', { host: '127.0.0.1', port: sinks.plain.port });
  const [relay, postfix] = await Promise.all([
    startRelay({
      config,
      listen: { host: '127.0.0.1', port: 0 },
      spoolDir: spool,
      xclientFrom: ['127.0.0.1'],
      logger,
      resolver: fakeResolver({}),
      scanner: false,
      shutdownGraceMs: 200,
      routeMap,
    }),
    startPostfix(config, {
      nextHop: `127.0.0.1:${sinks.plain.port}`,
      overrides: {
        // Each domain to its own sink (the instance sends every next hop to nextHop otherwise).
        transport_maps: `inline:{${KINDS.map((k) => `${k}.example=smtp:[127.0.0.1]:${sinks[k].port}`).join(', ')}}`,
        smtpd_error_sleep_time: '0s',
        ...postfixOverrides,
      },
    }),
  ]);
  return { relay, postfix, logger };
}

async function runLevel(level: OutgoingTlsLevel): Promise<void> {
  const spool = await mkdtemp(path.join(work, `spool-${level}-`));
  let relay: RelayHandle | undefined;
  let postfix: PostfixInstance | undefined;
  try {
    const both = await startBoth(levelConfig(level), spool, {});
    ({ relay, postfix } = both);
    const [rr, pr] = [recipientsOf(level, 'relay'), recipientsOf(level, 'postfix')];
    await Promise.all([send(relay.port, rr), send(postfix.port, pr)]);
    await until(`${level}: every recipient's first result`, async () => {
      return statusLines(both.logger.lines.join('\n'), rr).size === 4 && statusLines(await postfix!.readLog(), pr).size === 4;
    });
    const relayLines = statusLines(both.logger.lines.join('\n'), rr);
    const postfixLines = statusLines(await postfix.readLog(), pr);
    KINDS.forEach((k, i) => {
      outcomes.set(`${level} / ${k}`, {
        relay: { log: relayLines.get(rr[i]!)!, secure: sinks[k].received.get(rr[i]!) },
        postfix: { log: postfixLines.get(pr[i]!)!, secure: sinks[k].received.get(pr[i]!) },
      });
    });
  } finally {
    await Promise.all([relay?.close(), postfix?.stop()]);
  }
}

/** A domain's `tls` when its mail goes through the relayhost: Postfix looks up the relayhost, not the domain. */
async function runRelayhostCase(): Promise<void> {
  const config = configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/8'],
      destination: { mode: 'edge-gateway', host: '127.0.0.1', port: 2599 },
      domains: [{ name: 'partner.example', local: false, tls: 'encrypt' }],
      advanced: { rejectUnknownRecipientDomains: false },
    },
  });
  const spool = await mkdtemp(path.join(work, 'spool-relayhost-'));
  let relay: RelayHandle | undefined;
  let postfix: PostfixInstance | undefined;
  try {
    // Postfix is given the entry KSMG might be expected to write ("partner.example encrypt"):
    // it still delivers in plaintext, because the lookup key is the relayhost.
    const both = await startBoth(config, spool, { smtp_tls_policy_maps: 'inline:{partner.example=encrypt}', transport_maps: '' });
    ({ relay, postfix } = both);
    await Promise.all([send(relay.port, ['rh-relay@partner.example']), send(postfix.port, ['rh-postfix@partner.example'])]);
    await until('relayhost case results', async () => {
      return (
        statusLines(both.logger.lines.join('\n'), ['rh-relay@partner.example']).size === 1 &&
        statusLines(await postfix!.readLog(), ['rh-postfix@partner.example']).size === 1
      );
    });
    outcomes.set('relayhost / partner.example encrypt', {
      relay: {
        log: statusLines(both.logger.lines.join('\n'), ['rh-relay@partner.example']).get('rh-relay@partner.example')!,
        secure: sinks.plain.received.get('rh-relay@partner.example'),
      },
      postfix: {
        log: statusLines(await postfix.readLog(), ['rh-postfix@partner.example']).get('rh-postfix@partner.example')!,
        secure: sinks.plain.received.get('rh-postfix@partner.example'),
      },
    });
  } finally {
    await Promise.all([relay?.close(), postfix?.stop()]);
  }
}

const LEVELS: OutgoingTlsLevel[] = ['none', 'may', 'encrypt', 'verify'];

describe.skipIf(!avail.ok)(`outgoing TLS: relay vs Postfix ${avail.ok ? avail.version : ''}`, () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ksmg-diff-tls-'));
    // The CA file where the postfix user can read it.
    caFile = path.join(work, 'ca.pem');
    await copyFile(path.join(FIXTURES, 'ca.pem'), caFile);
    await run('chmod', ['755', work]);
    const pem = (f: string) => readFile(path.join(FIXTURES, f), 'utf8');
    const pairs: Record<SinkKind, [string, string]> = {
      plain: [await pem('mail.key'), await pem('mail.pem')],
      trusted: [await pem('mail.key'), await pem('mail.pem')],
      untrusted: [await pem('untrusted.key'), await pem('untrusted.pem')],
      breaks: [await pem('mail.key'), await pem('mail.pem')],
    };
    for (const k of KINDS) sinks[k] = await startTlsSink(k, ...pairs[k]);
    await Promise.all([...LEVELS.map(runLevel), runRelayhostCase()]);
  }, 120_000);

  afterAll(async () => {
    if (process.env.DIFF_DUMP) console.log(JSON.stringify(Object.fromEntries(outcomes), null, 1));
    for (const k of KINDS) sinks[k]?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const level of LEVELS) {
    for (const kind of KINDS) {
      it(`${level}, next hop ${kind}: the same outcome and text`, () => {
        const o = outcomes.get(`${level} / ${kind}`)!;
        expect(o.relay).toEqual(o.postfix);
      });
    }
  }

  it('a domain entry does not apply to relayhost mail', () => {
    const o = outcomes.get('relayhost / partner.example encrypt')!;
    expect(o.postfix.log).toMatch(/status=sent/);
    expect(o.relay).toEqual(o.postfix);
  });

  it('says what Postfix logged for the TLS failures (the texts the relay copies)', () => {
    expect(outcomes.get('encrypt / plain')!.postfix.log).toBe(
      'dsn=4.7.4, status=deferred (TLS is required, but was not offered by host 127.0.0.1[127.0.0.1])',
    );
    expect(outcomes.get('encrypt / breaks')!.postfix.log).toBe('dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)');
    expect(outcomes.get('verify / untrusted')!.postfix.log).toBe('dsn=4.7.5, status=deferred (Server certificate not verified)');
  });

  it("the exported tls_policy answers Postfix's own lookup of each next hop (postmap -q)", async () => {
    const config = configSchema.parse({
      version: 1,
      integration: 'behind-edge-no-verify',
      mta: {
        destination: { host: 'edge.corp.example' },
        domains: [
          { name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'encrypt' },
          { name: 'branch.example', route: { host: 'mx.branch.example', mxLookup: true }, tls: 'verify' },
          { name: 'partner.example', local: false, tls: 'none' },
        ],
      },
    });
    const dir = path.join(work, 'export-keys');
    await writePostfixExport(exportPostfix(config), dir);
    await run('/usr/sbin/postmap', ['-c', dir, `hash:${dir}/tls_policy`]);
    const q = (key: string) =>
      run('/usr/sbin/postmap', ['-c', dir, '-q', key, `hash:${dir}/tls_policy`]).then(
        (r) => r.stdout.trim(),
        () => null,
      );
    // The keys are the transport map's next hops verbatim: what smtp(8) passes to the lookup.
    const transport = await readFile(path.join(dir, 'transport'), 'utf8');
    expect(transport).toMatch(/corp\.example\s+smtp:\[10\.0\.0\.25\]:25/);
    expect(await q('[10.0.0.25]:25')).toBe('encrypt');
    expect(await q('mx.branch.example:25')).toBe('verify');
    expect(await q('corp.example')).toBeNull();
    expect(await q('partner.example')).toBeNull();
    expect(await q('[edge.corp.example]:25')).toBeNull();
  });
});
