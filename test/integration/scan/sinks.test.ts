// Each scan action observed where it matters — at the next hops: the internal server behind
// KSMG (10.0.0.25) and the edge gateway (10.0.0.1, where NDRs to external senders go). The relay
// runs with its default scanner and the real QueueManager, on a ManualClock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { replaceRejectWithDelete } from '../../../src/policy/rules.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { parseRouteMap } from '../../../src/relay/delivery/route-map.js';
import { MemoryLogger } from '../../../src/relay/log.js';
import { QueueManager } from '../../../src/relay/queue/manager.js';
import { startRelay, type RelayHandle } from '../../../src/relay/relay.js';
import { EICAR, PHISHING_TEST_URL } from '../../../src/scan/samples.js';
import { connectRaw } from '../../helpers/raw-smtp.js';
import { startSink, zoneResolver, type Sink } from '../relay/delivery/sink.js';
import { buildMessage } from '../../unit/scan/fixtures.js';

interface Lab {
  relay: RelayHandle;
  queue: QueueManager;
  internal: Sink;
  edge: Sink;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The behind-edge scheme: mail arrives from the edge (10.0.0.1), leaves through it. */
async function lab(rules: ConfigInput['rules'], opts: { deleteInsteadOfReject?: boolean } = {}): Promise<Lab> {
  let config = configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/8'],
      destination: { mode: 'edge-gateway', host: '10.0.0.1', port: 25 },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }],
    },
    protection: { spf: false, dmarc: false },
    rules,
  });
  if (opts.deleteInsteadOfReject) config = { ...config, rules: config.rules.map(replaceRejectWithDelete) };
  const internal = await startSink();
  const edge = await startSink();
  cleanups.push(
    () => internal.close(),
    () => edge.close(),
  );
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-scan-sinks-'));
  let queue!: QueueManager;
  const relay = await startRelay({
    config,
    listen: { host: '127.0.0.1', port: 0 },
    spoolDir,
    xclientFrom: ['127.0.0.1'],
    clock: new ManualClock(),
    logger: new MemoryLogger(),
    resolver: zoneResolver({}),
    routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${internal.port}`, `10.0.0.1:25=127.0.0.1:${edge.port}`]),
    queue: (deps) => (queue = new QueueManager({ ...deps, connectTimeoutMs: 2000, commandTimeoutMs: 5000 })),
    shutdownGraceMs: 200,
  });
  cleanups.push(async () => {
    await relay.close();
    await rm(spoolDir, { recursive: true, force: true });
  });
  return { relay, queue, internal, edge };
}

/** The edge hands over a message from the internet, then the queue runs until idle. */
async function viaEdge(l: Lab, msg: Buffer, to: string[] = ['bob@corp.example']): Promise<string> {
  const c = await connectRaw({ port: l.relay.port });
  await c.read();
  await c.cmd('XCLIENT ADDR=10.0.0.1 NAME=edge.corp.example');
  await c.cmd('EHLO edge.corp.example');
  await c.cmd('MAIL FROM:<alice@sender.example>');
  for (const r of to) expect(await c.cmd(`RCPT TO:<${r}>`)).toBe('250 2.1.5 Ok');
  await c.cmd('DATA');
  const reply = await c.cmd(`${msg.toString('latin1')}\r\n.`);
  await c.quit();
  await l.queue.whenIdle();
  return reply;
}

const phishing = () => buildMessage({ subject: 'Account', body: `Confirm: ${PHISHING_TEST_URL}\r\n` });

describe('scan actions at the next hops (behind an edge gateway)', () => {
  it('Reject: 550 to the edge (which would then bounce: backscatter), nothing delivered', async () => {
    const l = await lab([]);
    expect(await viaEdge(l, phishing())).toBe('550 5.7.1 Message rejected by Kaspersky Secure Mail Gateway: phishing link detected');
    expect(l.internal.received).toHaveLength(0);
    expect(l.edge.received).toHaveLength(0);
  });

  it('Delete message (Reject replaced, the seed step 5): 250, nothing delivered, no NDR', async () => {
    const l = await lab([], { deleteInsteadOfReject: true });
    expect(await viaEdge(l, phishing())).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(l.internal.received).toHaveLength(0);
    expect(l.edge.received).toHaveLength(0);
  });

  it('Delete attachment: delivered without the part, a note in its place, X-headers added', async () => {
    const l = await lab([{ name: 'Default', antiVirus: { ifDisinfectionFails: 'delete-attachment' } }]);
    const msg = buildMessage({
      subject: 'Invoice',
      attachments: [
        { name: 'eicar.com', data: EICAR },
        { name: 'invoice.txt', data: 'total 10', type: 'text/plain' },
      ],
    });
    expect(await viaEdge(l, msg)).toMatch(/^250 /);
    expect(l.internal.received).toHaveLength(1);
    const text = l.internal.received[0]!.data.toString();
    expect(text).not.toContain(Buffer.from(EICAR).toString('base64').slice(0, 40));
    expect(text).toContain('The attachment "eicar.com" was removed by Kaspersky Secure Mail Gateway');
    expect(text).toContain('filename="invoice.txt"');
    expect(text).toMatch(/\r\nX-KSMG-Message-Action: attachment deleted \(AntiVirus\)\r\n/);
  });

  it('Skip: delivered with the subject tag', async () => {
    const l = await lab([{ name: 'Default', antiPhishing: { phishing: 'skip' } }]);
    await viaEdge(l, phishing());
    expect(l.internal.received[0]!.data.toString()).toMatch(/\r\nSubject: \[Phishing\] Account\r\n/);
  });

  it("Delayed reject: one recipient rejected after the session gets KSMG's NDR, the other the message", async () => {
    const l = await lab([{ name: 'Board', recipients: ['ceo@corp.example'], antiPhishing: { phishing: 'skip' } }]);
    expect(await viaEdge(l, phishing(), ['bob@corp.example', 'ceo@corp.example'])).toMatch(/^250 /);
    expect(l.internal.received.map((t) => t.to)).toEqual([['ceo@corp.example']]);
    expect(l.edge.received).toHaveLength(1);
    expect(l.edge.received[0]!.from).toBe('');
    expect(l.edge.received[0]!.to).toEqual(['alice@sender.example']);
    expect(l.edge.received[0]!.data.toString()).toContain('bob@corp.example');
  });
});
