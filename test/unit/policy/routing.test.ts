import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { describeNextHop, nextHopFor, nextHopKey } from '../../../src/policy/routing.js';

const config = (mta: object) => configSchema.parse({ version: 1, integration: 'behind-edge-no-verify', mta });

describe('nextHopFor (Postfix precedence: transport map → relayhost → MX)', () => {
  const c = config({
    destination: { mode: 'edge-gateway', host: 'edge.corp.example', port: 2525, mxLookup: true },
    domains: [
      { name: 'corp.example', route: { host: '10.0.0.25', port: 25 } },
      { name: 'branch.example', route: { host: 'mx.branch.example', port: 25, mxLookup: true } },
      { name: 'noroute.example' },
    ],
  });

  it('uses the per-domain route first', () => {
    expect(nextHopFor(c, 'alice@corp.example')).toEqual({
      kind: 'route',
      domain: 'corp.example',
      host: '10.0.0.25',
      port: 25,
      mxLookup: false,
    });
    expect(describeNextHop(nextHopFor(c, 'a@corp.example')!)).toBe('[10.0.0.25]:25');
    expect(describeNextHop(nextHopFor(c, 'a@branch.example')!)).toBe('mx.branch.example:25');
  });
  it('domains match exactly: a subdomain has no route of its own', () => {
    expect(nextHopFor(c, 'a@sub.corp.example')!.kind).toBe('relayhost');
  });
  it('sends local domains without a route and everything else to the relayhost', () => {
    expect(nextHopFor(c, 'a@noroute.example')).toEqual({ kind: 'relayhost', host: 'edge.corp.example', port: 2525, mxLookup: true });
    expect(describeNextHop(nextHopFor(c, 'a@elsewhere.example')!)).toBe('edge.corp.example:2525');
  });
  it('uses the recipient domain MX in dns mode', () => {
    const d = config({ destination: { mode: 'dns' }, domains: [{ name: 'corp.example' }] });
    expect(nextHopFor(d, 'bob@Elsewhere.Example')).toEqual({ kind: 'mx', domain: 'elsewhere.example', port: 25 });
  });
  it('groups recipients per next hop', () => {
    expect(nextHopKey(nextHopFor(c, 'a@noroute.example')!)).toBe(nextHopKey(nextHopFor(c, 'b@elsewhere.example')!));
    expect(nextHopKey(nextHopFor(c, 'a@corp.example')!)).not.toBe(nextHopKey(nextHopFor(c, 'b@elsewhere.example')!));
  });
  it('a route and the relayhost naming the same [host]:port share one transaction (qmgr: transport + next hop)', () => {
    const same = config({
      destination: { mode: 'edge-gateway', host: '10.0.0.1', port: 25 },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.1', port: 25 } }],
    });
    expect(nextHopKey(nextHopFor(same, 'a@corp.example')!)).toBe(nextHopKey(nextHopFor(same, 'b@elsewhere.example')!));
    const otherPort = config({
      destination: { mode: 'edge-gateway', host: '10.0.0.1', port: 2525 },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.1', port: 25 } }],
    });
    expect(nextHopKey(nextHopFor(otherPort, 'a@corp.example')!)).not.toBe(nextHopKey(nextHopFor(otherPort, 'b@elsewhere.example')!));
  });
});
