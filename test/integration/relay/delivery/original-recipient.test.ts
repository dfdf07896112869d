// A recipient with a trailing dot (bob@corp.example.) goes to its domain's route, not to the
// edge gateway, and the delivery log names the address as given (orig_to=), as Postfix's
// trivial-rewrite and log_adhoc() do. (The differential suite compares the log line with Postfix;
// its Postfix instance sends every next hop to one sink, so the routing is checked here.)
import { afterEach, describe, expect, it } from 'vitest';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { connectRaw } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';
import { startSink, type Sink } from './sink.js';

const open: Array<RelayFixture | Sink> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('stop' in x ? x.stop() : x.close());
});

describe('a recipient with a trailing dot', () => {
  it("is routed by its domain's route and logged with orig_to=", async () => {
    const [route, edge] = await Promise.all([startSink(), startSink()]);
    open.push(route, edge);
    const f = await startTestRelay(
      makeConfig((c) => {
        c.mta.domains = [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }];
        c.mta.destination = { mode: 'edge-gateway', host: '192.0.2.10', port: 25 };
      }),
      {
        queue: undefined,
        routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${route.port}`, `192.0.2.10:25=127.0.0.1:${edge.port}`]),
      },
    );
    open.push(f);
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('XCLIENT ADDR=10.0.0.7'); // a trusted client: the edge gateway would take other domains
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@corp.example>');
    expect(await c.cmd('RCPT TO:<bob@corp.example.>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<carol@Corp.Example>')).toMatch(/^250/);
    await c.cmd('DATA');
    expect(await c.cmd('Subject: dot\r\n\r\nbody\r\n.')).toMatch(/^250/);
    await c.quit();
    await f.relay.queue!.whenIdle!();
    expect(route.received.map((t) => t.to)).toEqual([['bob@corp.example', 'carol@Corp.Example']]);
    expect(edge.received).toEqual([]);
    const log = f.logger.lines.join('\n');
    expect(log).toMatch(/to=<bob@corp\.example>, orig_to=<bob@corp\.example\.>, relay=10\.0\.0\.25\[10\.0\.0\.25\]:25, .*status=sent/);
    expect(log).toMatch(/to=<carol@Corp\.Example>, relay=10\.0\.0\.25/); // only a case difference: no orig_to
  });
});
