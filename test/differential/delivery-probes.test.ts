// The differential suite, delivery side: the same ksmg.yaml starts the relay and (through
// `export postfix`) a real Postfix, each delivering to its own loopback next hop
// (delivery-sink.ts). Every delivery probe (delivery-probes.ts) goes to both; what reaches the
// next hops — MAIL/RCPT lines with their parameters, the DATA bytes as sent, bounces and
// verification probes — must be equal after normalising queue ids, dates and the bounce
// boundary's time, except the deliberate differences (deliberate-differences.ts).
//
// Run:  npx vitest run test/differential/delivery-probes.test.ts   (needs Postfix, as receive.test.ts)
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay.js';
import { fakeResolver } from '../helpers/relay-fixture.js';
import { deliveryDeliberateFor } from './deliberate-differences.js';
import { clientAddress } from './harness.js';
import { DELIVERY_PROBES, type DeliveryProbe } from './delivery-probes.js';
import { startRawSink, type RawSink, type SinkTransaction } from './delivery-sink.js';
import { postfixAvailability, startPostfix, type PostfixInstance } from './postfix-instance.js';

const run = promisify(execFile);
const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true: the differential suite must run, but ${avail.reason}`);
if (!avail.ok) console.log(`differential delivery suite skipped: ${avail.reason}`);

/**
 * Next hops on loopback: the config names 127.0.0.1 and Postfix's sink port, which the relay maps
 * to its own sink, so both sides name the same host[addr]:port (a success notice quotes it).
 */
const HOP = '127.0.0.1';

/** The variant's config with every next hop on `port`. */
function onPort(config: Config, port: number): Config {
  const c = structuredClone(config);
  if (c.mta.destination.mode === 'edge-gateway') c.mta.destination.port = port;
  for (const d of c.mta.domains) if (d.route) d.route.port = port;
  return c;
}

const BASE = {
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    hostname: 'ksmg.corp.example',
    trustedNetworks: ['10.0.0.0/8', '2001:db8:10::/48'],
    destination: { mode: 'edge-gateway', host: HOP, port: 25 }, // onPort() sets the port
    domains: [
      { name: 'corp.example', route: { host: HOP, port: 25 } },
      { name: 'münchen.example', route: { host: HOP, port: 25 } },
    ],
    advanced: { rejectUnknownRecipientDomains: false },
  },
};

function variant(patch: (c: any) => void): Config {
  const raw = structuredClone(BASE) as any;
  patch(raw);
  return configSchema.parse(raw);
}

interface DeliveryVariant {
  name: string;
  config: Config;
  /**
   * Retries: how many a side makes before the lifetime ends depends on the machine's load, so
   * attempts that delivered nothing are left out, and each distinct transaction counts once.
   */
  distinct?: boolean;
  /** How long the sinks must stay quiet before the comparison (retries and bounces come later). */
  quietMs?: number;
  /** Bounces each sink must have received before the comparison (Postfix's retry times vary). */
  bounces?: number;
  /** EHLO keywords the next hops offer (default SINK_KEYWORDS). */
  sinkKeywords?: string[];
}

const VARIANTS: DeliveryVariant[] = [
  { name: 'defaults', config: variant(() => undefined) },
  {
    name: 'dsn',
    config: variant((c) => {
      c.mta.advanced.discardEhloKeywords = ['silent-discard', 'etrn'];
    }),
  },
  {
    name: 'bcc',
    config: variant((c) => {
      c.mta.advanced.alwaysBcc = 'archive@corp.example';
    }),
  },
  {
    name: 'verify',
    config: variant((c) => {
      c.integration = 'behind-edge-verify';
      c.mta.advanced.recipientVerification = 'reject-unverified';
      c.mta.advanced.unverifiedRecipientRejectCode = 550;
    }),
  },
  // A next hop that offers no ESMTP extension at all: no SIZE, BODY, SMTPUTF8 or DSN parameters.
  {
    name: 'plain-next-hop',
    sinkKeywords: [],
    config: variant((c) => {
      c.mta.advanced.discardEhloKeywords = ['silent-discard', 'etrn'];
    }),
  },
  // A next hop with SIZE and DSN but no 8BITMIME: smtp(8) downgrades 8-bit MIME and drops SIZE=.
  {
    name: 'no-8bitmime',
    sinkKeywords: ['PIPELINING', 'SIZE 50000000', 'DSN', 'ENHANCEDSTATUSCODES'],
    config: variant((c) => {
      c.mta.advanced.discardEhloKeywords = ['silent-discard', 'etrn'];
    }),
  },
  // Address probes through a next hop without 8BITMIME (the probe's SIZE=).
  {
    name: 'verify-no-8bitmime',
    sinkKeywords: ['PIPELINING', 'SIZE 50000000', 'DSN', 'ENHANCEDSTATUSCODES'],
    config: variant((c) => {
      c.integration = 'behind-edge-verify';
      c.mta.advanced.recipientVerification = 'reject-unverified';
      c.mta.advanced.unverifiedRecipientRejectCode = 550;
    }),
  },
  // SMTPUTF8 without 8BITMIME: smtp(8) takes 8BITMIME as offered.
  { name: 'smtputf8-only', sinkKeywords: ['PIPELINING', 'SIZE 50000000', 'SMTPUTF8'], config: variant(() => undefined) },
  // Short queue timing, so that a deferred recipient expires within the test.
  {
    name: 'expire',
    distinct: true,
    quietMs: 3000,
    bounces: 2,
    config: variant((c) => {
      Object.assign(c.mta.advanced, {
        queueRunDelay: 1,
        minimalBackoff: 1,
        maximalBackoff: 1,
        maximalQueueLifetime: 3,
        bounceQueueLifetime: 3,
        transportRetryTime: 1,
      });
    }),
  },
];

const probesOf = (v: string) => DELIVERY_PROBES.filter((p) => (p.variants ?? ['defaults']).includes(v));
const tagOf = (i: number) => `p${i + 1}-`;

/** One SMTP session for the probe; the replies do not matter here (receive.test.ts compares them). */
async function sendProbe(port: number, probe: DeliveryProbe, index: number): Promise<void> {
  const tag = tagOf(index);
  const fill = (s: string) => s.replaceAll('{n}', tag);
  let socket: net.Socket = net.connect({ host: '127.0.0.1', port });
  let buf = '';
  const waiters: Array<(r: string) => void> = [];
  const done = () => {
    while (waiters.length) waiters.shift()!('<closed>');
  };
  const attach = (s: net.Socket) => {
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      let m: RegExpMatchArray | null;
      while ((m = buf.match(/^((?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n)/))) {
        buf = buf.slice(m[1]!.length);
        waiters.shift()?.(m[1]!);
      }
    });
    s.on('close', done);
    s.on('error', done);
  };
  attach(socket);
  const read = () =>
    new Promise<string>((resolve) => {
      const t = setTimeout(() => resolve('<timeout>'), 15_000);
      waiters.push((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  const cmd = (line: string) => {
    socket.write(Buffer.from(`${line}\r\n`, 'latin1'));
    return read();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await read();
    const addr = clientAddress(probe.as ?? 'untrusted', index);
    if (addr) await cmd(`XCLIENT ADDR=${addr.includes(':') ? `IPV6:${addr}` : addr}${probe.xclient ? ` ${probe.xclient}` : ''}`);
    const hello = probe.hello === undefined ? 'EHLO client.example' : probe.hello;
    if (hello) await cmd(hello);
    // STARTTLS, the handshake, and the greeting again inside TLS (the same certificate on both sides).
    if (probe.starttls && (await cmd('STARTTLS')).startsWith('220')) {
      const plain = socket;
      plain.removeAllListeners('data');
      plain.removeAllListeners('close');
      plain.removeAllListeners('error');
      buf = '';
      socket = await new Promise<net.Socket>((resolve, reject) => {
        const t = tls.connect({ socket: plain, rejectUnauthorized: false }, () => resolve(t));
        t.once('error', reject);
      });
      attach(socket);
      if (hello) await cmd(hello);
    }
    await cmd(`MAIL FROM:${fill(probe.from ?? '<{n}alice@sender.example>')}`);
    for (const to of probe.to) await cmd(`RCPT TO:${fill(to)}`);
    if ((await cmd('DATA')).startsWith('354')) {
      socket.write(Buffer.from(fill(probe.data ?? DEFAULT_MESSAGE) + '.\r\n', 'latin1'));
      await read();
    }
    await cmd('QUIT');
  } finally {
    socket.destroy();
  }
}

const DEFAULT_MESSAGE =
  'From: Alice <alice@sender.example>\r\nTo: bob@corp.example\r\nSubject: probe\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m@sender.example>\r\n\r\nHello.\r\n';

const QID = /\b[0-9A-F]{10,12}\b/g;
/** The time in a bounce's MIME boundary ("QUEUEID.EPOCH/host"). */
const EPOCH = /\.\d{10}\//g;

/** Only queue ids, dates and times may differ; SIZE= follows a queue id's length, so it is evened out. */
export function normaliseTransaction(t: SinkTransaction): string[] {
  const data = t.lines.find((_, i) => i > 0 && t.lines[i - 1] === 'DATA');
  const qidDelta = data ? [...data.replace(EPOCH, '').matchAll(QID)].reduce((n, m) => n + m[0].length - 11, 0) : 0;
  return t.lines.map((l) =>
    l
      .replace(/ SIZE=(\d+)/, (_, n: string) => ` SIZE=${Number(n) - qidDelta}`)
      .replace(EPOCH, '.<epoch>/')
      .replace(/\w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)/g, '<date>')
      .replace(/\b\d{14}\.([0-9A-F]{10,12})@/g, '<time>.$1@')
      .replace(QID, '<qid>'),
  );
}

/** The transactions of probe `index` (its tag in an address, or in the data for a BCC copy), sorted. */
function transactionsOf(sink: RawSink, index: number, distinct = false): string[][] {
  const tag = new RegExp(`\\bp${index + 1}-`);
  const all = sink.transactions
    .filter((t) => t.lines.slice(0, -1).some((l) => tag.test(l)))
    .filter((t) => !distinct || deliveredSomething(t))
    .map(normaliseTransaction)
    .map((t) => JSON.stringify(t));
  return (distinct ? [...new Set(all)] : all).sort().map((t) => JSON.parse(t) as string[]);
}

/** The transaction carried a message (an attempt refused at every RCPT sends an empty DATA or none). */
function deliveredSomething(t: SinkTransaction): boolean {
  const i = t.lines.indexOf('DATA');
  return i !== -1 && !!t.lines[i + 1];
}

interface Side {
  relay: string[][];
  postfix: string[][];
  /** compareLog probes: the `to=<…>[, orig_to=<…>]` of each status=sent line, sorted. */
  relayLog?: string[];
  postfixLog?: string[];
}

/** `to=<…>[, orig_to=<…>]` of the status=sent delivery lines naming probe `index`. */
function sentLines(log: string, index: number): string[] {
  const tag = new RegExp(`<p${index + 1}-`);
  return log
    .split('\n')
    .filter((l) => tag.test(l) && l.includes('status=sent'))
    .map((l) => /to=<[^>]*>(?:, orig_to=<[^>]*>)?/.exec(l)?.[0] ?? l)
    .sort();
}
const outcomes = new Map<string, Side>();
const key = (v: string, p: string) => `${v} / ${p}`;

/** Until neither sink has received anything for `quietMs` (bounces and probes come later). */
async function settle(sinks: RawSink[], quietMs: number, maxMs: number): Promise<void> {
  const start = Date.now();
  let last = -1;
  let since = Date.now();
  while (Date.now() - start < maxMs) {
    const n = sinks.reduce((s, k) => s + k.transactions.length, 0);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runVariant(v: DeliveryVariant): Promise<void> {
  const [relaySink, postfixSink] = await Promise.all([startRawSink(v.sinkKeywords), startRawSink(v.sinkKeywords)]);
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-diff-delivery-'));
  let relay: RelayHandle | undefined;
  const relayLogger = new MemoryLogger();
  let postfix: PostfixInstance | undefined;
  try {
    const config = onPort(v.config, postfixSink.port);
    [relay, postfix] = await Promise.all([
      startRelay({
        config,
        listen: { host: '127.0.0.1', port: 0 },
        spoolDir,
        xclientFrom: ['127.0.0.1'],
        logger: relayLogger,
        resolver: fakeResolver({}),
        scanner: false,
        shutdownGraceMs: 200,
        routeMap: new Map([[`${HOP}:${postfixSink.port}`, { host: '127.0.0.1', port: relaySink.port }]]),
      }),
      startPostfix(config, {
        nextHop: `127.0.0.1:${postfixSink.port}`,
        overrides: {
          // Missing headers for clients on the gateway's own address: the relay judges the
          // XCLIENT address, so Postfix must too (permit_inet_interfaces looks at the socket).
          local_header_rewrite_clients: `check_address_map inline:{${HOP}=OK}`,
          smtpd_error_sleep_time: '0s',
        },
      }),
    ]);
    const probes = probesOf(v.name);
    // Probe indexes are global, so tags (and client addresses) never repeat across variants.
    await Promise.all(
      probes.map((p) => {
        const i = DELIVERY_PROBES.indexOf(p);
        return Promise.all([sendProbe(relay!.port, p, i), sendProbe(postfix!.port, p, i)]);
      }),
    );
    if (v.bounces) {
      const bounced = (t: SinkTransaction[]) => t.filter((x) => x.lines[0]!.startsWith('MAIL FROM:<> ')).length >= v.bounces!;
      // Postfix's deferred-queue scans are not on a schedule a test can wait for: flush its
      // queue (postqueue -f) until the lifetime has run out and the bounces are there.
      const flusher = setInterval(() => {
        void run('/usr/sbin/postqueue', ['-c', postfix!.configDir, '-f']).catch(() => undefined);
      }, 1500);
      try {
        await Promise.all([relaySink.until(bounced, 30_000), postfixSink.until(bounced, 30_000)]);
      } finally {
        clearInterval(flusher);
      }
      for (const [side, sink] of [
        ['relay', relaySink],
        ['Postfix', postfixSink],
      ] as const) {
        if (!bounced(sink.transactions)) console.log(`${v.name}: ${side} had not bounced the expired recipients after 30 s`);
      }
    }
    // The relay's deliveries due now (bounces and notices included) first: on a loaded machine
    // they can take longer than the quiet window; then until neither sink hears more.
    await relay.queue?.whenIdle?.();
    await settle([relaySink, postfixSink], v.quietMs ?? 2500, 40_000);
    const relayLog = relayLogger.lines.join('\n');
    const postfixLog = probes.some((p) => p.compareLog) ? await postfix.readLog() : '';
    for (const p of probes) {
      const i = DELIVERY_PROBES.indexOf(p);
      outcomes.set(key(v.name, p.name), {
        relay: transactionsOf(relaySink, i, v.distinct),
        postfix: transactionsOf(postfixSink, i, v.distinct),
        ...(p.compareLog ? { relayLog: sentLines(relayLog, i), postfixLog: sentLines(postfixLog, i) } : {}),
      });
    }
  } finally {
    await Promise.all([relay?.close(), postfix?.stop()]);
    await Promise.all([relaySink.close(), postfixSink.close()]);
    await rm(spoolDir, { recursive: true, force: true });
  }
}

let started = 0;
describe.skipIf(!avail.ok)(`delivery: relay vs Postfix ${avail.ok ? avail.version : ''}`, () => {
  beforeAll(async () => {
    started = Date.now();
    await Promise.all(VARIANTS.map(runVariant));
  }, 150_000);

  afterAll(async () => {
    if (process.env.DIFF_DUMP) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(process.env.DIFF_DUMP, JSON.stringify(Object.fromEntries(outcomes), null, 1));
    }
    let agree = 0;
    let deliberate = 0;
    let differ = 0;
    for (const [k, o] of outcomes) {
      const [v, p] = k.split(' / ') as [string, string];
      if (deliveryDeliberateFor(p, v)) deliberate++;
      else if (JSON.stringify(o.relay) === JSON.stringify(o.postfix)) agree++;
      else differ++;
    }
    console.log(
      `differential delivery: ${DELIVERY_PROBES.length} probes, ${VARIANTS.length} variants: ` +
        `${agree} agree, ${deliberate} deliberate differences, ${differ} differ; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  it('has unique probe names', () => {
    const names = DELIVERY_PROBES.map((p) => p.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const v of VARIANTS) {
    describe(v.name, () => {
      for (const p of probesOf(v.name)) {
        it(p.name, () => {
          const o = outcomes.get(key(v.name, p.name));
          expect(o, 'probe did not run').toBeDefined();
          expect(o!.postfix.length, 'Postfix delivered nothing for this probe').toBeGreaterThan(0);
          const d = deliveryDeliberateFor(p.name, v.name);
          if (d) {
            expect(o!.relay, `deliberate difference (${d.reason})`).toEqual(d.relay(o!.postfix));
          } else {
            expect(o!.relay, 'relay (expected: Postfix)').toEqual(o!.postfix);
          }
          if (p.compareLog) {
            expect(o!.postfixLog!.length, 'Postfix logged no delivery for this probe').toBeGreaterThan(0);
            expect(o!.relayLog, 'delivery log to=/orig_to= (expected: Postfix)').toEqual(o!.postfixLog);
          }
        });
      }
    });
  }
});
