import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { parseRouteMap } from '../../../src/relay/delivery/route-map.js';
import { CalloutVerifier } from '../../../src/relay/verify.js';
import { startSink, zoneResolver, type Sink } from './delivery/sink.js';

const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

async function setup(rcpt: (a: string) => { code: number; text: string } | null) {
  const seen: string[] = [];
  const sink = await startSink({ rcpt: (a) => (seen.push(a), rcpt(a)) });
  sinks.push(sink);
  const config = configSchema.parse({
    version: 1,
    integration: 'behind-edge-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
      advanced: { recipientVerification: 'reject-unverified' },
    },
  });
  const clock = new ManualClock();
  const v = new CalloutVerifier({
    config,
    clock,
    resolver: zoneResolver({}),
    routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${sink.port}`]),
  });
  return { v, clock, seen, sink };
}

describe('recipient verification callout', () => {
  it('probes the route with MAIL FROM:<> and RCPT, never DATA; 250 deliverable, 550 undeliverable with the downstream reply', async () => {
    const { v, seen, sink } = await setup((a) =>
      a.startsWith('ghost@') ? { code: 550, text: '<ghost@corp.example>: User unknown' } : null,
    );
    expect(await v.verify('bob@corp.example')).toMatchObject({ status: 'deliverable', code: 250 });
    expect(await v.verify('ghost@corp.example')).toEqual({
      status: 'undeliverable',
      code: 550,
      reply: 'host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <ghost@corp.example>: User unknown (in reply to RCPT TO command)',
    });
    expect(seen).toEqual(['bob@corp.example', 'ghost@corp.example']);
    expect(sink.received).toHaveLength(0);
  });

  it('4xx and unreachable next hops are deferred', async () => {
    const { v } = await setup(() => ({ code: 451, text: 'try later' }));
    expect(await v.verify('bob@corp.example')).toMatchObject({ status: 'deferred', code: 451 });
  });

  it('caches like verify(8): positive 31 d, negative 3 d, deferred 3 h, on the injected clock', async () => {
    let answer: { code: number; text: string } | null = null;
    const { v, clock } = await setup(() => answer);
    await v.verify('bob@corp.example');
    answer = { code: 550, text: 'gone' };
    expect((await v.verify('bob@corp.example')).status).toBe('deliverable');
    expect(v.probes).toBe(1);
    // verify(8) keys its cache by the address as given: BOB@ is a new probe.
    expect((await v.verify('BOB@corp.example')).status).toBe('undeliverable');
    expect(v.probes).toBe(2);
    await clock.advance(31 * 86400 * 1000);
    expect((await v.verify('bob@corp.example')).status).toBe('undeliverable');
    answer = null;
    await clock.advance(3 * 86400 * 1000 - 1000);
    expect((await v.verify('bob@corp.example')).status).toBe('undeliverable');
    await clock.advance(1000);
    expect((await v.verify('bob@corp.example')).status).toBe('deliverable');
    expect(v.probes).toBe(4);
  });

  it('answers pending when the probe takes longer than the wait, and the result is there for the retry', async () => {
    const { v } = await setup(() => null);
    (v as unknown as { opts: { waitMs: number } }).opts.waitMs = 0;
    expect(await v.verify('slow@corp.example')).toEqual({ status: 'pending' });
    (v as unknown as { opts: { waitMs: number } }).opts.waitMs = 5000;
    expect((await v.verify('slow@corp.example')).status).toBe('deliverable');
    expect(v.probes).toBe(1);
  });
});
