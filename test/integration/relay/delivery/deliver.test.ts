// startRelay wires the QueueManager and CalloutVerifier by default: an accepted
// message reaches the route's sink through the route map; reject-unverified does a real callout.
import { afterEach, describe, expect, it } from 'vitest';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { connectRaw } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';
import { startSink, type Sink } from './sink.js';

const open: Array<RelayFixture | Sink> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('stop' in x ? x.stop() : x.close());
});

async function relayWithSink(advanced: Record<string, unknown> = {}) {
  const sink = await startSink({
    rcpt: (a) => (a.startsWith('ghost@') ? { code: 550, text: '<ghost@corp.example>: User unknown' } : null),
  });
  open.push(sink);
  const f = await startTestRelay(
    makeConfig((c) => {
      c.mta.domains = [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }];
      c.mta.advanced = advanced;
    }),
    { queue: undefined, routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${sink.port}`]) },
  );
  open.push(f);
  return { f, sink };
}

describe('startRelay with delivery', () => {
  it('accepts, spools and delivers through the default QueueManager; lab-style whenIdle', async () => {
    const { f, sink } = await relayWithSink();
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('EHLO client.example');
    expect(await c.cmd('MAIL FROM:<alice@x.example>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    const queued = await c.cmd('Subject: hi\r\n\r\nhello\r\n.');
    expect(queued).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]{11}$/);
    await c.quit();
    await f.relay.queue!.whenIdle!();
    expect(sink.received.map((t) => t.to)).toEqual([['bob@corp.example']]);
    // A client on the gateway's own (loopback) address gets cleanup's missing headers
    // (local_header_rewrite_clients); the default content scan adds its X-KSMG-* fields after them.
    expect(sink.received[0]!.data.toString()).toMatch(
      /\r\nSubject: hi\r\nMessage-Id: <\d{14}\.[0-9A-F]{11}@ksmg\.corp\.example>\r\nDate: \w{3}, [ \d]\d [^\r\n]+ \(UTC\)\r\nFrom: alice@x\.example\r\n(X-KSMG-[^\r\n]*\r\n)+\r\nhello\r\n$/,
    );
    expect(f.logger.lines.join('\n')).toMatch(/to=<bob@corp\.example>, relay=10\.0\.0\.25\[10\.0\.0\.25\]:25, .*status=sent/);
    expect(await f.relay.spool.ids()).toEqual([]);
  });

  it('reject-unverified probes the route for real and answers with the downstream reply', async () => {
    const { f, sink } = await relayWithSink({ recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: 550 });
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@x.example>');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<ghost@corp.example>')).toBe(
      '550 5.1.1 <ghost@corp.example>: Recipient address rejected: undeliverable address: host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <ghost@corp.example>: User unknown (in reply to RCPT TO command)',
    );
    await c.quit();
    expect(sink.received).toHaveLength(0);
  });
});
