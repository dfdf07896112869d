// `probe` against the project's own relay (the lab's, with its simulated hosts behind it) started
// with each example config, and with a deliberately different config. The probe speaks through a
// recording proxy, so every byte it sends is checked: no DATA ever leaves without --send-to, and
// with --send-to only to that mailbox. The proxy speaks to the relay from 127.0.0.2, an address
// that is neither the lab harness (XCLIENT) nor trusted unless a test says so.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { loadConfig } from '../../../src/config/load.js';
import { Lab } from '../../../src/lab/lab.js';
import { runProbe, type ProbeOptions, type ProbeOutcome } from '../../../src/probe/probe.js';

const PROBE_ADDRESS = '127.0.0.2';

interface Recorder {
  port: number;
  /** Client → gateway bytes, one string per connection. */
  streams: string[];
  close(): Promise<void>;
}

async function recordingProxy(upstreamPort: number): Promise<Recorder> {
  const streams: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const i = streams.push('') - 1;
    const up = net.connect({ host: '127.0.0.1', port: upstreamPort, localAddress: PROBE_ADDRESS });
    sockets.add(client).add(up);
    client.on('data', (d) => {
      streams[i] += d.toString('latin1');
      up.write(d);
    });
    up.pipe(client);
    const end = () => {
      client.destroy();
      up.destroy();
    };
    client.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    streams,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Command lines of one client stream that start a message. */
const messageStarts = (stream: string) => stream.split(/\r?\n/).filter((l) => /^[ \t]*(DATA|BDAT)\b/i.test(l));

interface Target {
  lab: Lab;
  proxy: Recorder;
}

async function startTarget(config: Config): Promise<Target> {
  const lab = await Lab.start({ config });
  const proxy = await recordingProxy(lab.relay.port);
  return { lab, proxy };
}

async function stopTarget(t: Target | undefined): Promise<void> {
  await t?.proxy.close();
  await t?.lab.close();
}

const sink = () => {
  const chunks: string[] = [];
  return { stream: { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
};

async function probe(
  t: Target,
  config: Config,
  opts: Partial<ProbeOptions> & Pick<ProbeOptions, 'as'>,
): Promise<ProbeOutcome & { text: string }> {
  const out = sink();
  const outcome = await runProbe({
    config,
    configPath: 'test',
    target: { host: '127.0.0.1', port: t.proxy.port },
    rate: 1000,
    dns: null,
    stdout: out.stream,
    stderr: out.stream,
    ...opts,
  });
  return { ...outcome, text: out.text() };
}

const differing = (o: ProbeOutcome) =>
  o.results
    .filter((r) => r.verdict === 'differs')
    .map((r) => r.id)
    .sort();

const EXAMPLES: Array<{ file: string; classes: Array<'untrusted' | 'edge'> }> = [
  { file: 'examples/edge.yaml', classes: ['untrusted'] },
  { file: 'examples/behind-edge-no-verify.yaml', classes: ['untrusted', 'edge'] },
  { file: 'examples/behind-edge-verify.yaml', classes: ['untrusted', 'edge'] },
];

describe.each(EXAMPLES)('probe of the relay started with $file', ({ file, classes }) => {
  let config: Config;
  let target: Target;
  beforeAll(async () => {
    config = (await loadConfig(file)).config;
    target = await startTarget(config);
  });
  afterAll(() => stopTarget(target));

  it.each(classes)('--as %s: every applicable scenario matched the config, and no DATA was sent', async (as) => {
    const before = target.proxy.streams.length;
    const o = await probe(target, config, { as });
    expect(o.problems).toEqual([]);
    expect(differing(o)).toEqual([]);
    expect(o.exitCode).toBe(0);
    expect(o.results.filter((r) => !r.id.startsWith('live/')).length).toBeGreaterThanOrEqual(as === 'edge' ? 5 : 20);
    expect(o.openRelays).toEqual([]);
    expect(o.text).toContain('matched the config');
    const streams = target.proxy.streams.slice(before);
    expect(streams.length).toBe(o.results.length - 1); // one session per scenario + the live observation
    expect(streams.flatMap(messageStarts)).toEqual([]);
  });

  it("reports STARTTLS and, after it, the certificate's names and expiry; self-signed is said, not a difference", async () => {
    const o = await probe(target, config, { as: classes[0]! });
    expect(o.exitCode).toBe(0);
    expect(o.live?.info).toMatchObject({
      starttls: true,
      tls: { subject: config.mta.hostname, altNames: [config.mta.hostname], selfSigned: true, trusted: false },
    });
    expect(o.live!.info.tls!.daysLeft).toBeGreaterThan(3000);
    expect(o.text).toContain(`certificate: ${config.mta.hostname}; names: ${config.mta.hostname}`);
    expect(o.text).toMatch(/self-signed \(as the appliance ships it\)/);
  });
});

describe('probe --as trusted of a relay that trusts this host', () => {
  let config: Config;
  let target: Target;
  beforeAll(async () => {
    config = structuredClone((await loadConfig('examples/edge.yaml')).config);
    config.mta.trustedNetworks.push(PROBE_ADDRESS);
    target = await startTarget(config);
  });
  afterAll(() => stopTarget(target));

  it('matches, relays nothing (RSET before DATA) and reports outbound scenarios', async () => {
    const o = await probe(target, config, { as: 'trusted' });
    expect(differing(o)).toEqual([]);
    expect(o.results.map((r) => r.id)).toContain('recipients/trusted-skips-verification');
    expect(target.proxy.streams.flatMap(messageStarts)).toEqual([]);
  });
});

describe('probe of a relay whose config differs (VRFY on, this host trusted)', () => {
  let intended: Config;
  let target: Target;
  beforeAll(async () => {
    intended = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
    const actual = structuredClone(intended);
    actual.mta.advanced.disableVrfy = false;
    actual.mta.trustedNetworks.push('127.0.0.0/29');
    target = await startTarget(actual);
  });
  afterAll(() => stopTarget(target));

  it('reports exactly those differences: VRFY answered and advertised, foreign recipients accepted as an open relay', async () => {
    const o = await probe(target, intended, { as: 'untrusted' });
    expect(o.exitCode).toBe(1);
    const ids = differing(o);
    expect(ids).toContain('protocol/vrfy-disabled');
    expect(ids).toContain('live/ehlo-keywords');
    expect(ids).toContain('relay/untrusted-to-foreign-domain');
    // Every difference is one of the two changes: VRFY, or a recipient the trusted host may now relay to.
    for (const r of o.results.filter((x) => x.verdict === 'differs')) {
      const explained = r.failures.every(
        (f) =>
          /VRFY/i.test(`${f.what} ${f.expected} ${f.observed}`) ||
          f.what === 'OPEN RELAY' ||
          (/^(reply to RCPT TO:|dialogue step \d+ \(RCPT TO:)/.test(f.what) && /^250 /.test(f.observed)),
      );
      expect(explained, `${r.id}: ${JSON.stringify(r.failures)}`).toBe(true);
    }
    // Each open relay finding is a scenario that expects a refusal; none was followed by DATA.
    expect(o.openRelays.map((x) => x.id)).toContain('relay/open-relay-percent-hack');
    expect(o.text).toMatch(/OPEN RELAY/);
    expect(target.proxy.streams.flatMap(messageStarts)).toEqual([]);
    const keywords = o.results.find((r) => r.id === 'live/ehlo-keywords')!;
    expect(keywords.failures[0]!.observed).toMatch(/extra VRFY/);
    // Scenarios about neither change still match.
    expect(o.results.find((r) => r.id === 'protocol/greeting')?.verdict).toBe('matched');
    expect(o.results.find((r) => r.id === 'protocol/strict-rfc821-sender')?.verdict).toBe('matched');
  });
});

describe('probe --send-to', () => {
  let config: Config;
  let target: Target;
  beforeAll(async () => {
    config = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
    target = await startTarget(config);
  });
  afterAll(() => stopTarget(target));

  it('completes messages only to that mailbox, and checks the reply after DATA', async () => {
    const mailbox = 'alice@corp.example';
    const o = await probe(target, config, { as: 'edge', sendTo: mailbox, filter: ['size'] });
    expect(differing(o)).toEqual([]);
    const afterData = o.results.find((r) => r.id === 'limits/size-after-data');
    expect(afterData?.verdict).toBe('matched');
    let messages = 0;
    for (const stream of target.proxy.streams) {
      // Per transaction (MAIL … DATA): the recipients before a DATA are the mailbox only.
      let rcpts: string[] = [];
      for (const line of stream.split('\r\n')) {
        if (/^MAIL FROM:/i.test(line)) rcpts = [];
        else if (/^RCPT TO:/i.test(line)) rcpts.push(line.slice(8));
        else if (/^(DATA|BDAT)\b/i.test(line)) {
          messages++;
          expect(rcpts).toEqual([`<${mailbox}>`]);
        }
      }
    }
    expect(messages).toBeGreaterThan(0);
  });
});

describe('probe --limits', () => {
  let config: Config;
  let target: Target;
  beforeAll(async () => {
    config = structuredClone((await loadConfig('examples/behind-edge-no-verify.yaml')).config);
    config.mta.advanced.messageRateLimit = 3;
    target = await startTarget(config);
  });
  afterAll(() => stopTarget(target));

  it("runs the rate limit scenario (limit + 1 sessions) and expects the refusal for this host's own address", async () => {
    const without = await probe(target, config, { as: 'untrusted', filter: ['tag:rate'] });
    expect(without.problems[0]).toMatch(/no scenario can be probed/);
    expect(without.notApplicable.find((n) => n.id === 'limits/message-rate-limit')?.reason).toMatch(/--limits/);
    // The proxy speaks to the relay from 127.0.0.2: say so, as behind NAT (placeholders use it).
    const o = await probe(target, config, { as: 'untrusted', filter: ['tag:rate'], limits: true, source: PROBE_ADDRESS });
    expect(differing(o), JSON.stringify(o.results.map((r) => r.failures))).toEqual([]);
    const run = o.results.find((r) => r.id === 'limits/message-rate-limit')!;
    expect(run.transcript.join('\n')).toMatch(/450 4\.7\.1 Error: too much mail from 127\.0\.0\.2/);
    expect(o.sent.length).toBe(4);
  });
});
