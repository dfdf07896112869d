// Receive-side behaviours the differential suite checks against a real Postfix, here over a real
// socket against the relay alone (so they are covered where Postfix is not installed): BDAT, the
// gateway's own names and where its postmaster mail goes, half-close after the final dot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw, type RawSmtp } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

async function open(f: RelayFixture, addr = '203.0.113.7'): Promise<RawSmtp> {
  const c = await connectRaw({ port: f.relay.port });
  await c.read();
  expect(await c.cmd(`XCLIENT ADDR=${addr}`)).toMatch(/^220 /);
  await c.cmd('EHLO mail.sender.example');
  return c;
}

describe('receive side (Postfix 3.7 behaviour)', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay();
  });
  afterAll(async () => {
    await f.stop();
  });

  it("BDAT: chunks are bytes, not commands; LAST queues with Postfix's byte count", async () => {
    const c = await open(f);
    await c.cmd('MAIL FROM:<a@sender.example>');
    await c.cmd('RCPT TO:<bob@corp.example>');
    c.write('BDAT 6\r\nQUIT\r\n');
    expect(await c.read()).toBe('250 2.0.0 Ok: 6 bytes');
    c.write('BDAT 9 LAST\r\nbare lf\n\n');
    const r = await c.read();
    expect(r).toMatch(/^250 2\.0\.0 Ok: 17 bytes queued as [0-9A-F]{11}$/);
    const { data } = await f.relay.spool.readFile(r.slice(-11));
    expect(data.toString()).toMatch(/\r\nQUIT\r\nbare lf\r\n\r\n$/);
    expect(await c.cmd('DATA')).toBe('503 5.5.1 Error: need RCPT command');
    expect(await c.quit()).toBe('221 2.0.0 Bye');
  });

  it('BDAT errors: no transaction, bad syntax (521 ends the session)', async () => {
    const c = await open(f);
    c.write('BDAT 5 LAST\r\nhello');
    expect(await c.read()).toBe('503 5.5.1 Error: need RCPT command');
    expect(await c.cmd('NOOP')).toBe('250 2.0.0 Ok');
    expect(await c.cmd('BDAT x')).toBe('521 5.5.4 Syntax: BDAT count [LAST]');
    await c.closed;
  });

  it("the gateway's own names are local: postmaster exists, other users do not", async () => {
    const c = await open(f);
    await c.cmd('MAIL FROM:<a@sender.example>');
    expect(await c.cmd('RCPT TO:<postmaster>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<PostMaster@localhost>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<bob@ksmg.corp.example>')).toBe(
      '550 5.1.1 <bob@ksmg.corp.example>: Recipient address rejected: User unknown in local recipient table',
    );
    expect(await c.cmd('RCPT TO:<postmaster@[127.0.0.1]>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<bob@corp.example..>')).toBe('501 5.1.3 Bad recipient address syntax');
    await c.cmd('DATA');
    const r = await c.cmd('Subject: to postmaster\r\n\r\nhi\r\n.');
    const { state } = await f.relay.spool.load(r.slice(-11));
    // Without mta.postmaster the mail stays on the gateway: done, never relayed.
    expect(state.recipients.map((x) => x.status)).toEqual(['dropped', 'dropped', 'dropped']);
    await c.quit();
  });

  it('a client that half-closes right after the final dot still gets its 250', async () => {
    const c = await open(f);
    await c.cmd('MAIL FROM:<a@sender.example>');
    await c.cmd('RCPT TO:<bob@corp.example>');
    await c.cmd('DATA');
    c.write('Subject: hc\r\n\r\nhi\r\n.\r\n');
    c.socket.end();
    expect(await c.read()).toMatch(/^250 2\.0\.0 Ok: queued as /);
    await c.closed;
  });
});

describe('mta.postmaster', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.postmaster = 'admin@corp.example';
      }),
    );
  });
  afterAll(async () => {
    await f.stop();
  });

  it("forwards the gateway's postmaster mail there, the original address as ORCPT", async () => {
    const c = await open(f);
    await c.cmd('MAIL FROM:<a@sender.example>');
    expect(await c.cmd('RCPT TO:<postmaster@ksmg.corp.example>')).toBe('250 2.1.5 Ok');
    await c.cmd('DATA');
    const r = await c.cmd('Subject: to postmaster\r\n\r\nhi\r\n.');
    const { meta, state } = await f.relay.spool.load(r.slice(-11));
    expect(meta.recipients).toEqual([{ address: 'admin@corp.example', orcpt: 'rfc822;postmaster@ksmg.corp.example' }]);
    expect(state.recipients[0]!.status).toBe('pending');
    await c.quit();
  });
});
