// The spool file of a scanned message is created while the scan runs (Spool.reserve, from
// handlers/data.ts): it becomes the queued message after the 250, and it is removed when nothing
// is spooled — the client left mid-message, the message was too big. incoming/ never keeps a
// file for a message nobody acknowledged. (Creating it already when DATA is answered was tried
// and measured: the 354 then waited as long as the 250 gained.)
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRaw, dataBlock } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

let f: RelayFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const files = (fx: RelayFixture, dir: string) => readdir(path.join(fx.spoolDir, dir));

/** incoming/ as it is once the relay has finished with the session (release() is asynchronous). */
async function incomingSettles(fx: RelayFixture): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const now = await files(fx, 'incoming');
    if (now.length === 0 || Date.now() > deadline) return now;
    await new Promise((r) => setImmediate(r));
  }
}

async function openTransaction(fx: RelayFixture) {
  const c = await connectRaw({ port: fx.relay.port });
  await c.read();
  await c.cmd('EHLO client.example');
  expect(await c.cmd('MAIL FROM:<alice@sender.example>')).toMatch(/^250/);
  expect(await c.cmd('RCPT TO:<bob@corp.example>')).toMatch(/^250/);
  expect(await c.cmd('DATA')).toMatch(/^354/);
  return c;
}

describe('the spool file of a message', () => {
  it('is the queued message after the 250, and nothing stays in incoming/', async () => {
    f = await startTestRelay();
    const c = await openTransaction(f);
    c.write(dataBlock('Subject: x\r\n\r\nhello'));
    const reply = await c.read();
    expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as ([0-9A-F]{11})$/);
    const id = reply.split(' ').pop()!;
    expect(await files(f, 'queue')).toContain(id);
    expect(await incomingSettles(f)).toEqual([]);
    const stored = (await f.relay.spool.readFile(id)).data.toString('latin1');
    expect(stored).toMatch(/\r\nSubject: x\r\n/);
    expect(stored).toMatch(/\r\n\r\nhello\r\n$/);
    await c.quit();
  });

  it('is removed when the client leaves in the middle of the message', async () => {
    f = await startTestRelay();
    const c = await openTransaction(f);
    c.write('Subject: half\r\n\r\nnot the end');
    c.destroy();
    await f.logger.waitFor(/^lost connection after DATA/);
    expect(await incomingSettles(f)).toEqual([]);
    expect(await files(f, 'queue')).toEqual([]);
  });

  it('is removed when the message is too big, and the next message in the session is queued', async () => {
    f = await startTestRelay(makeConfig((c) => (c.mta.messageSizeLimit = 2000)));
    const c = await openTransaction(f);
    c.write(dataBlock(`Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(40)));
    expect(await c.read()).toMatch(/^552 5\.3\.4 /);
    expect(await incomingSettles(f)).toEqual([]);
    expect(await c.cmd('MAIL FROM:<alice@sender.example>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    c.write(dataBlock('Subject: small\r\n\r\nok\r\n'));
    expect(await c.read()).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(await incomingSettles(f)).toEqual([]);
    expect(await files(f, 'queue')).toHaveLength(1);
    await c.quit();
  });
});
