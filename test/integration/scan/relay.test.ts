// Each scan action's effect over a real relay socket: the reply the client sees and what the
// spool holds for delivery (the relay creates the scanner itself, as `ksmg-setup relay` does).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { replaceRejectWithDelete } from '../../../src/policy/rules.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { MemoryLogger } from '../../../src/relay/log.js';
import { startRelay, type RelayHandle } from '../../../src/relay/relay.js';
import { EICAR, PHISHING_TEST_URL } from '../../../src/scan/samples.js';
import { connectRaw } from '../../helpers/raw-smtp.js';
import { DEFAULT_DNS, fakeResolver, makeConfig } from '../../helpers/relay-fixture.js';
import { buildMessage } from '../../unit/scan/fixtures.js';

interface Fixture {
  relay: RelayHandle;
  logger: MemoryLogger;
  stop(): Promise<void>;
}

/** A relay without a scanner option, so the default scan runs as in the CLI and the lab. */
async function start(config: Config): Promise<Fixture> {
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-scan-'));
  const logger = new MemoryLogger();
  const relay = await startRelay({
    config,
    listen: { host: '127.0.0.1', port: 0 },
    spoolDir,
    xclientFrom: ['127.0.0.1'],
    clock: new ManualClock(),
    logger,
    resolver: fakeResolver(DEFAULT_DNS),
    queue: false, // observe the spool as the scan left it (scan-sinks.test.ts runs the queue)
    shutdownGraceMs: 200,
  });
  return {
    relay,
    logger,
    async stop() {
      await relay.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

/** Sends one message from an external client (the edge would be 10.x; this is the internet). */
async function send(port: number, msg: Buffer, to: string[] = ['bob@corp.example'], from = 'alice@sender.example') {
  const c = await connectRaw({ port });
  await c.read();
  await c.cmd('XCLIENT ADDR=203.0.113.7 NAME=mail.sender.example');
  await c.cmd('EHLO mail.sender.example');
  expect(await c.cmd(`MAIL FROM:<${from}>`)).toBe('250 2.1.0 Ok');
  for (const r of to) expect(await c.cmd(`RCPT TO:<${r}>`)).toBe('250 2.1.5 Ok');
  expect(await c.cmd('DATA')).toMatch(/^354/);
  const reply = await c.cmd(`${msg.toString('latin1')}\r\n.`);
  await c.quit();
  return reply;
}

const queuedId = (reply: string) => reply.match(/queued as ([0-9A-F]+)$/)?.[1];
const noDns = (c: any) => {
  c.protection = { dns: false };
};

describe('scan actions over a real relay socket', () => {
  it('Reject: 550 5.7.1 at the end of DATA, nothing spooled', async () => {
    f = await start(makeConfig(noDns));
    const reply = await send(f.relay.port, buildMessage({ body: `Log in: ${PHISHING_TEST_URL}` }));
    expect(reply).toBe('550 5.7.1 Message rejected by Kaspersky Secure Mail Gateway: phishing link detected');
    expect(await f.relay.spool.ids()).toEqual([]);
    expect(f.logger.find(/not clean: .*action="Rejected".*ap-status="Phishing"/)).toBeDefined();
  });

  it('Delete message (Reject replaced, as behind an edge): 250, nothing left to deliver, no NDR', async () => {
    // The seed's step 5: every Reject becomes Delete message.
    const config = makeConfig(noDns);
    f = await start({ ...config, rules: config.rules.map(replaceRejectWithDelete) });
    const reply = await send(f.relay.port, buildMessage({ body: `Log in: ${PHISHING_TEST_URL}` }));
    const id = queuedId(reply);
    expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as/);
    const state = await f.relay.spool.readState(id!);
    expect(state.recipients.map((r) => [r.address, r.status])).toEqual([['bob@corp.example', 'dropped']]);
  });

  it('Delete attachment: 250 and the spooled message lacks the infected part', async () => {
    f = await start(
      makeConfig((c) => {
        noDns(c);
        c.rules = [{ name: 'Default', antiVirus: { ifDisinfectionFails: 'delete-attachment' } }];
      }),
    );
    const reply = await send(
      f.relay.port,
      buildMessage({ subject: 'Invoice', attachments: [{ name: 'eicar.com', data: EICAR, encoding: '7bit' }] }),
    );
    const id = queuedId(reply)!;
    const { data } = await f.relay.spool.readFile(id);
    const text = data.toString();
    expect(text).not.toContain(EICAR);
    expect(text).toContain('The attachment "eicar.com" was removed');
    expect(text).toMatch(/^Received: from mail\.sender\.example/);
    expect(text).toMatch(/\r\nX-KSMG-AntiVirus-Status: Infected, disinfection failed, attachment deleted\r\n/);
    const state = await f.relay.spool.readState(id);
    expect(state.recipients[0]!.status).toBe('pending');
  });

  it('Recipients under different rules: accepted, delayed reject for one, delivery for the other', async () => {
    f = await start(
      makeConfig((c) => {
        noDns(c);
        c.rules = [{ name: 'Board', recipients: ['ceo@corp.example'], antiPhishing: { phishing: 'skip' } }];
      }),
    );
    const reply = await send(f.relay.port, buildMessage({ subject: 'Login', body: PHISHING_TEST_URL }), [
      'bob@corp.example',
      'ceo@corp.example',
    ]);
    const id = queuedId(reply)!;
    expect(id).toBeDefined();
    const state = await f.relay.spool.readState(id);
    expect(state.recipients.map((r) => [r.address, r.status])).toEqual([
      ['bob@corp.example', 'rejected'],
      ['ceo@corp.example', 'pending'],
    ]);
    const { data } = await f.relay.spool.readFile(id);
    expect(data.toString()).toMatch(/\r\nSubject: \[Phishing\] Login\r\n/);
  });
});
