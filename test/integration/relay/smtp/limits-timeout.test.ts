// Connection count/rate, message rate and the session timeout, all on a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import { connectRaw, type RawSmtp } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

let f: RelayFixture | null = null;
afterEach(async () => {
  await f?.stop();
  f = null;
});

const H = 'ksmg.corp.example';

async function fromPeer(port: number, peer: string): Promise<[RawSmtp, string]> {
  const c = await connectRaw({ port, localAddress: peer });
  return [c, await c.read()];
}

describe('connection limits (per real peer address, Postfix anvil)', () => {
  it('connectionCountLimit: the (limit+1)th concurrent connection gets 421 and is closed', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { connectionCountLimit: 2 };
      }),
    );
    const [a, ra] = await fromPeer(f.relay.port, '127.0.0.20');
    const [b, rb] = await fromPeer(f.relay.port, '127.0.0.20');
    const [c, rc] = await fromPeer(f.relay.port, '127.0.0.20');
    expect([ra, rb]).toEqual([`220 ${H} ESMTP MTA`, `220 ${H} ESMTP MTA`]);
    expect(rc).toBe(`421 4.7.0 ${H} Error: too many connections from 127.0.0.20`);
    await c.closed;
    // Another peer is not affected; a slot frees when a session ends.
    const [d, rd] = await fromPeer(f.relay.port, '127.0.0.21');
    expect(rd).toBe(`220 ${H} ESMTP MTA`);
    const mark = f.logger.lines.length;
    await a.quit();
    await f.logger.waitFor(/^disconnect from unknown\[127\.0\.0\.20\]/, { since: mark }); // its slot is free again
    const [e, re] = await fromPeer(f.relay.port, '127.0.0.20');
    expect(re).toBe(`220 ${H} ESMTP MTA`);
    for (const x of [b, d, e]) await x.quit();
    expect(f.logger.find(/Connection concurrency limit exceeded: 3 from unknown\[127\.0\.0\.20\]/)).toBeDefined();
  });

  it('connectionRateLimit per minute on the injected clock; trusted networks exempt', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { connectionRateLimit: 2 };
        c.mta.trustedNetworks = ['127.0.0.30'];
      }),
    );
    for (let i = 0; i < 2; i++) {
      const [c, r] = await fromPeer(f.relay.port, '127.0.0.31');
      expect(r).toBe(`220 ${H} ESMTP MTA`);
      await c.quit();
    }
    const [c3, r3] = await fromPeer(f.relay.port, '127.0.0.31');
    expect(r3).toBe(`421 4.7.0 ${H} Error: too many connections from 127.0.0.31`);
    await c3.closed;
    for (let i = 0; i < 4; i++) {
      const [t, rt] = await fromPeer(f.relay.port, '127.0.0.30');
      expect(rt).toBe(`220 ${H} ESMTP MTA`);
      await t.quit();
    }
    await f.clock.advance(60_000);
    const [c4, r4] = await fromPeer(f.relay.port, '127.0.0.31');
    expect(r4).toBe(`220 ${H} ESMTP MTA`);
    await c4.quit();
  });

  it('after XCLIENT the impersonated client is counted (Postfix re-simulates the connect); the harness itself is exempt', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { connectionRateLimit: 1 };
      }),
    );
    const replies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = await connectRaw({ port: f.relay.port });
      expect(await c.read()).toBe(`220 ${H} ESMTP MTA`); // 127.0.0.1 is --xclient-from: exempt
      replies.push(await c.cmd('XCLIENT ADDR=203.0.113.50'));
      c.destroy();
    }
    expect(replies).toEqual([`220 ${H} ESMTP MTA`, `421 4.7.0 ${H} Error: too many connections from 203.0.113.50`]);
  });
});

describe('message rate limit (per XCLIENT address)', () => {
  it('messageRateLimit counts every MAIL; 450 4.7.1 over the limit; trusted and the harness exempt; window on the clock', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { messageRateLimit: 2, sessionTimeout: '5m' };
      }),
    );
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    for (let i = 0; i < 5; i++) {
      expect(await c.cmd('MAIL FROM:<h@harness.example>')).toBe('250 2.1.0 Ok');
      await c.cmd('RSET');
    }
    await c.cmd('XCLIENT ADDR=203.0.113.60');
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    await c.cmd('RSET');
    expect(await c.cmd('MAIL FROM:<>')).toBe('250 2.1.0 Ok');
    await c.cmd('RSET');
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('450 4.7.1 Error: too much mail from 203.0.113.60');
    await f.clock.advance(60_000);
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    await c.quit();
    const t = await connectRaw({ port: f.relay.port });
    await t.read();
    await t.cmd('XCLIENT ADDR=10.9.9.9');
    for (let i = 0; i < 4; i++) {
      expect(await t.cmd('MAIL FROM:<a@corp.example>')).toBe('250 2.1.0 Ok');
      await t.cmd('RSET');
    }
    await t.quit();
  });
});

describe('session timeout (smtpd_timeout) on the injected clock', () => {
  it('an idle client gets 421 4.4.2 after sessionTimeout, not before', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { sessionTimeout: '30s' };
      }),
    );
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('EHLO x.example');
    await f.clock.advance(29_000);
    expect(await c.cmd('NOOP')).toBe('250 2.0.0 Ok'); // activity re-arms the timer
    await f.clock.advance(29_000);
    expect(c.isClosed()).toBe(false);
    await f.clock.advance(1_500);
    expect(await c.read()).toBe(`421 4.4.2 ${H} Error: timeout exceeded`);
    await c.closed;
    expect(f.logger.find(/^timeout after NOOP from unknown\[127\.0\.0\.1\]$/)).toBeDefined();
  });

  it('a client that stalls in the middle of DATA times out and nothing is spooled', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { sessionTimeout: 30 };
      }),
    );
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('MAIL FROM:<a@corp.example>');
    await c.cmd('RCPT TO:<b@corp.example>');
    await c.cmd('DATA');
    // Whether these bytes reach the relay before or after the clock moves, the client has
    // stalled in DATA for longer than the timeout: no need to wait for them.
    c.write('Subject: half\r\n\r\nhalf a mess');
    await f.clock.advance(31_000);
    expect(await c.read()).toBe(`421 4.4.2 ${H} Error: timeout exceeded`);
    await c.closed;
    expect(await f.relay.spool.ids()).toEqual([]);
  });
});
