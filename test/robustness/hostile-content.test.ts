// Hostile content over a real relay socket, each message next to a clean session: the hostile one
// gets the right Anti-Virus status and action (never Clean for what was not scanned, nothing
// unscanned left in what would be delivered), the clean one its 250 and a normal delivery.
// The corpus is generated (corpus.ts); figures (time, peak RSS) are in bench/robustness-bench.js.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/relay/clock.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay.js';
import { createScanner } from '../../src/scan/index.js';
import { EICAR } from '../../src/scan/samples.js';
import { connectRaw } from '../helpers/raw-smtp.js';
import { DEFAULT_DNS, fakeResolver, makeConfig } from '../helpers/relay-fixture.js';
import { hostileCorpus } from './corpus.js';

interface Fixture {
  relay: RelayHandle;
  logger: MemoryLogger;
  stop(): Promise<void>;
}

async function start(opts: { rules: unknown[]; scanner?: 'stall-worker'; timeMs?: number }): Promise<Fixture> {
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-hostile-'));
  const logger = new MemoryLogger();
  const clock = new ManualClock();
  const resolver = fakeResolver(DEFAULT_DNS);
  const config = makeConfig((c) => {
    c.protection = { dns: false };
    c.rules = opts.rules;
  });
  const scanner = opts.scanner
    ? createScanner({
        resolver,
        clock,
        threads: 2,
        budget: { timeMs: opts.timeMs ?? 1000, memoryMb: 64 },
        workerFile: new URL('./fixtures/stall-worker.mjs', import.meta.url).href,
      })
    : undefined;
  const relay = await startRelay({
    config,
    listen: { host: '127.0.0.1', port: 0 },
    spoolDir,
    xclientFrom: ['127.0.0.1'],
    clock,
    logger,
    resolver,
    queue: false,
    shutdownGraceMs: 200,
    scanner,
  });
  return {
    relay,
    logger,
    async stop() {
      await relay.close();
      await scanner?.close?.();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

/** One transaction; `onData` is called once the message is sent (before the reply). */
async function send(port: number, msg: Buffer, opts: { from?: string; to?: string[]; onData?: () => void } = {}): Promise<string> {
  const c = await connectRaw({ port, timeoutMs: 30_000 });
  await c.read();
  await c.cmd('XCLIENT ADDR=203.0.113.7 NAME=mail.sender.example');
  await c.cmd('EHLO mail.sender.example');
  expect(await c.cmd(`MAIL FROM:<${opts.from ?? 'mallory@sender.example'}>`)).toBe('250 2.1.0 Ok');
  for (const r of opts.to ?? ['bob@corp.example']) expect(await c.cmd(`RCPT TO:<${r}>`)).toBe('250 2.1.5 Ok');
  expect(await c.cmd('DATA')).toMatch(/^354/);
  // Dot-stuffing: a line starting with "." in generated content must not end DATA.
  c.write(`${msg.toString('latin1').replace(/\r\n\./g, '\r\n..')}\r\n.\r\n`);
  opts.onData?.();
  const reply = await c.read();
  await c.quit();
  return reply;
}

const CLEAN = Buffer.from('From: alice@sender.example\r\nTo: bob@corp.example\r\nSubject: hello\r\n\r\nJust text.\r\n');
const queuedId = (reply: string) => reply.match(/^250 2\.0\.0 Ok: queued as ([0-9A-F]+)$/)?.[1];
const EICAR_B64 = Buffer.from(EICAR).toString('base64').slice(0, 40);

async function expectCleanDelivery(f: Fixture, reply: string) {
  const id = queuedId(reply);
  expect(id, reply).toBeDefined();
  expect((await f.relay.spool.readState(id!)).recipients.map((r) => r.status)).toEqual(['pending']);
  expect((await f.relay.spool.readFile(id!)).data.toString('latin1')).toMatch(/\r\nX-KSMG-AntiVirus-Status: Clean, skipped\r\n/);
}

// Not a single text part, so not analysed in the relay's main thread (analyzeInline): the worker gets it.
const TO_WORKER = 'Content-Type: application/octet-stream\r\n';

describe('hostile content', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await start({ rules: [{ name: 'Regex', senders: ['/^(a+)+@sender\\.example$/'], mode: 'skip' }] });
  });
  afterAll(async () => f?.stop());

  for (const item of hostileCorpus()) {
    it(`${item.name}: ${item.expect.fate === 'dropped' ? 'deleted' : 'delivered as the rule says'}, and a clean session is served meanwhile`, async () => {
      const [hostile, clean] = await Promise.all([
        send(f.relay.port, item.message),
        send(f.relay.port, CLEAN, { from: 'alice@sender.example' }),
      ]);
      await expectCleanDelivery(f, clean);
      const id = queuedId(hostile);
      expect(id, hostile).toBeDefined();
      const state = await f.relay.spool.readState(id!);
      expect(state.recipients.map((r) => r.status)).toEqual([item.expect.fate]);
      expect(f.logger.find(new RegExp(`^${id}: not clean: |^${id}: clean: `)) ?? '').toMatch(item.expect.logStatus);
      if (item.expect.fate === 'pending') {
        const data = (await f.relay.spool.readFile(id!)).data.toString('latin1');
        expect(data).toMatch(new RegExp(`\\r\\nX-KSMG-AntiVirus-Status: ${item.expect.avStatus!.source.replace(/^\^|\$$/g, '')}\\r\\n`));
        // Nothing that was not scanned goes out: the archive (or the deep part) was replaced.
        expect(data).not.toContain(EICAR);
        expect(data).not.toContain(EICAR_B64);
        if (item.expect.avStatus!.source.startsWith('^Error') || item.expect.avStatus!.source.startsWith('^Encrypted'))
          expect(data).toMatch(/was removed/);
        const header = data.split('\r\n\r\n')[0]!;
        for (const h of header.split(/\r\n(?![ \t])/)) expect(h.length).toBeLessThanOrEqual(102400 + 2 * 1000);
      }
    });
  }

  it('a catastrophic regular expression in a rule costs nothing: RE2 matches in linear time', async () => {
    const attack = `${'a'.repeat(40)}!@sender.example`; // exponential for a backtracking engine
    const [miss, hit] = await Promise.all([
      send(f.relay.port, CLEAN, { from: attack }),
      send(f.relay.port, CLEAN, { from: 'aaaa@sender.example' }),
    ]);
    await expectCleanDelivery(f, miss); // not matched: the Default rule scanned it
    const data = (await f.relay.spool.readFile(queuedId(hit)!)).data.toString('latin1');
    expect(data).toMatch(/\r\nX-KSMG-Message-Action: skipped\r\n/); // matched: "Skip without scanning"
  });
});

describe('scan budgets (a worker that never finishes)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await start({
      scanner: 'stall-worker',
      rules: [{ name: 'Tolerant', recipients: ['carol@corp.example'], antiVirus: { scanError: 'skip' } }],
    });
  });
  afterAll(async () => f?.stop());

  it('past the time budget the worker is ended, the message gets status Error and the rule action; others are answered meanwhile', async () => {
    const order: string[] = [];
    let dataSent!: () => void;
    const sent = new Promise<void>((r) => (dataSent = r));
    const hostile = send(f.relay.port, Buffer.from(`Subject: spin\r\n${TO_WORKER}\r\nSTALL-FOREVER\r\n`), {
      to: ['bob@corp.example', 'carol@corp.example'],
      onData: dataSent,
    }).then((r) => {
      order.push('hostile');
      return r;
    });
    await sent;
    const clean = await send(f.relay.port, CLEAN, { from: 'alice@sender.example' });
    order.push('clean');
    const reply = await hostile;
    // The clean session was answered while the hostile message was still being scanned.
    expect(order).toEqual(['clean', 'hostile']);
    await expectCleanDelivery(f, clean);
    const id = queuedId(reply)!;
    const state = await f.relay.spool.readState(id);
    // Default rule: scan error → no attachment to remove in a message never taken apart → Delete message.
    expect(state.recipients.map((r) => [r.address, r.status])).toEqual([
      ['bob@corp.example', 'dropped'],
      ['carol@corp.example', 'pending'],
    ]);
    const data = (await f.relay.spool.readFile(id)).data.toString('latin1');
    expect(data).toMatch(/\r\nX-KSMG-AntiVirus-Status: Error, skipped\r\n/);
    expect(data).toMatch(/\r\nX-KSMG-AntiSpam-Status: not scanned, scan error\r\n/);
    expect(f.logger.find(new RegExp(`^${id}: not clean: `))).toMatch(
      /av-status="Error|Error".*not-scanned="message not scanned: scan time budget of 1000 ms exceeded"/,
    );
    // The pool replaced the ended worker: the next message is scanned normally.
    await expectCleanDelivery(f, await send(f.relay.port, CLEAN, { from: 'alice@sender.example' }));
  });

  it('past the memory budget V8 ends the worker: status Error, never Clean', async () => {
    // A time budget the allocation cannot reach first (V8 collects hard before it gives up).
    const g = await start({
      scanner: 'stall-worker',
      timeMs: 60_000,
      rules: [{ name: 'Tolerant', recipients: ['carol@corp.example'], antiVirus: { scanError: 'skip' } }],
    });
    try {
      const reply = await send(g.relay.port, Buffer.from(`Subject: eat\r\n${TO_WORKER}\r\nEAT-MEMORY\r\n`), { to: ['carol@corp.example'] });
      const id = queuedId(reply)!;
      const data = (await g.relay.spool.readFile(id)).data.toString('latin1');
      expect(data).toMatch(/\r\nX-KSMG-AntiVirus-Status: Error, skipped\r\n/);
      expect(g.logger.find(new RegExp(`^${id}: not clean: `))).toMatch(
        /not-scanned="message not scanned: scan memory budget of 64 MB exceeded"/,
      );
    } finally {
      await g.stop();
    }
  }, 90_000);
});
