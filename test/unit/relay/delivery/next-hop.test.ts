import { describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../../../src/config/schema.js';
import { resolveTargets } from '../../../../src/relay/delivery/next-hop.js';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { nextHopFor } from '../../../../src/policy/routing.js';
import { zoneResolver } from '../../../integration/relay/delivery/sink.js';

const cfg = (mta: ConfigInput['mta']) => configSchema.parse({ version: 1, integration: 'edge', mta });

const zone = zoneResolver({
  'corp.example': {
    MX: [
      { exchange: 'mx2.corp.example', priority: 20 },
      { exchange: 'mx1.corp.example', priority: 10 },
    ],
  },
  'mx1.corp.example': { A: ['10.0.0.1'], AAAA: ['2001:db8::1'] },
  'mx2.corp.example': { A: ['10.0.0.2'] },
  'edge.corp.example': { MX: [{ exchange: 'mx2.corp.example', priority: 5 }], A: ['10.0.0.9'] },
  'noMx.example': { A: ['192.0.2.7'] },
  'nomx.example': { A: ['192.0.2.7'] },
  'v6only.example': { AAAA: ['2001:db8::25'] },
  'null.example': { MX: [{ exchange: '', priority: 0 }] },
  'broken.example': { servfail: true },
  'ghost-mx.example': { MX: [{ exchange: 'nowhere.example', priority: 10 }] },
});

describe('next hop precedence (routing.ts)', () => {
  const config = cfg({
    destination: { mode: 'edge-gateway', host: 'edge.corp.example', port: 2525, mxLookup: true },
    domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }, { name: 'plain.example' }],
  });
  it('a per-domain route wins over the relayhost', () => {
    expect(nextHopFor(config, 'bob@corp.example')).toEqual({
      kind: 'route',
      domain: 'corp.example',
      host: '10.0.0.25',
      port: 25,
      mxLookup: false,
    });
  });
  it('without a route, the relayhost (edge-gateway mode)', () => {
    expect(nextHopFor(config, 'bob@plain.example')).toMatchObject({
      kind: 'relayhost',
      host: 'edge.corp.example',
      port: 2525,
      mxLookup: true,
    });
    expect(nextHopFor(config, 'x@internet.example')).toMatchObject({ kind: 'relayhost' });
  });
  it('dns mode: the recipient domain MX', () => {
    const dns = cfg({ destination: { mode: 'dns' }, domains: [{ name: 'corp.example' }] });
    expect(nextHopFor(dns, 'x@Internet.Example')).toEqual({ kind: 'mx', domain: 'internet.example', port: 25 });
  });
});

describe('resolveTargets', () => {
  it('route without MX lookup: the IP as is, on the route port', async () => {
    const r = await resolveTargets({ kind: 'route', domain: 'corp.example', host: '10.0.0.25', port: 2525, mxLookup: false }, zone);
    expect(r).toMatchObject({ ok: true, targets: [{ ip: '10.0.0.25', port: 2525, label: '10.0.0.25[10.0.0.25]:2525' }] });
  });

  it('route to a name without MX lookup: its A record, never its MX', async () => {
    const r = await resolveTargets({ kind: 'route', domain: 'x', host: 'edge.corp.example', port: 25, mxLookup: false }, zone);
    expect(r.ok && r.targets.map((t) => t.ip)).toEqual(['10.0.0.9']);
  });

  it('route with MX lookup: the host MX records', async () => {
    const r = await resolveTargets({ kind: 'route', domain: 'x', host: 'edge.corp.example', port: 25, mxLookup: true }, zone);
    expect(r.ok && r.targets.map((t) => t.label)).toEqual(['mx2.corp.example[10.0.0.2]:25']);
  });

  it('relayhost [host]:port: no MX lookup', async () => {
    const r = await resolveTargets({ kind: 'relayhost', host: 'edge.corp.example', port: 587, mxLookup: false }, zone);
    expect(r.ok && r.targets.map((t) => t.label)).toEqual(['edge.corp.example[10.0.0.9]:587']);
  });

  it('MX by preference, then each A/AAAA, keeping the hop port', async () => {
    const r = await resolveTargets({ kind: 'relayhost', host: 'corp.example', port: 2525, mxLookup: true }, zone);
    expect(r.ok && r.targets.map((t) => t.label)).toEqual([
      'mx1.corp.example[10.0.0.1]:2525',
      'mx1.corp.example[2001:db8::1]:2525',
      'mx2.corp.example[10.0.0.2]:2525',
    ]);
  });

  it('dns mode: recipient domain MX; no MX falls back to A; IPv6-only hosts', async () => {
    const mx = await resolveTargets({ kind: 'mx', domain: 'corp.example', port: 25 }, zone);
    expect(mx.ok && mx.targets[0]!.label).toBe('mx1.corp.example[10.0.0.1]:25');
    const a = await resolveTargets({ kind: 'mx', domain: 'nomx.example', port: 25 }, zone);
    expect(a.ok && a.targets.map((t) => t.label)).toEqual(['nomx.example[192.0.2.7]:25']);
    const v6 = await resolveTargets({ kind: 'mx', domain: 'v6only.example', port: 25 }, zone);
    expect(v6.ok && v6.targets.map((t) => t.ip)).toEqual(['2001:db8::25']);
  });

  it('failures: NXDOMAIN and null MX are permanent, SERVFAIL temporary, MX without address permanent', async () => {
    expect(await resolveTargets({ kind: 'mx', domain: 'unknown.example', port: 25 }, zone)).toMatchObject({
      ok: false,
      permanent: true,
      enhanced: '5.4.4',
      reason: 'Host or domain name not found. Name service error for name=unknown.example type=MX: Host not found',
    });
    expect(await resolveTargets({ kind: 'mx', domain: 'null.example', port: 25 }, zone)).toMatchObject({
      ok: false,
      permanent: true,
      enhanced: '5.1.10',
    });
    expect(await resolveTargets({ kind: 'mx', domain: 'broken.example', port: 25 }, zone)).toMatchObject({
      ok: false,
      permanent: false,
      enhanced: '4.4.3',
      reason: expect.stringContaining('Host not found, try again'),
    });
    expect(await resolveTargets({ kind: 'mx', domain: 'ghost-mx.example', port: 25 }, zone)).toMatchObject({ ok: false, permanent: true });
  });

  it('the route map redirects IPs (v4 and v6) and can stand in for DNS by name', async () => {
    const map = parseRouteMap(['10.0.0.1:25=127.0.0.1:40001', '[2001:db8::1]:25=127.0.0.1:40002', 'edge.lab:25=127.0.0.1:40003']);
    const r = await resolveTargets({ kind: 'mx', domain: 'corp.example', port: 25 }, zone, map);
    expect(r.ok && r.targets.slice(0, 2).map((t) => t.connect)).toEqual([
      { host: '127.0.0.1', port: 40001 },
      { host: '127.0.0.1', port: 40002 },
    ]);
    const byName = await resolveTargets({ kind: 'relayhost', host: 'edge.lab', port: 25, mxLookup: false }, zone, map);
    expect(byName.ok && byName.targets[0]!.connect).toEqual({ host: '127.0.0.1', port: 40003 });
  });
});
