// From a next hop (src/policy/routing.ts) to the addresses to dial, like Postfix's smtp(8):
//   [host]:port (route or relayhost without MX lookup) → the host's A/AAAA (or the IP itself);
//   host:port with MX lookup → the host's MX records by preference, each to A/AAAA; no MX → A/AAAA;
//   dns mode → the recipient domain's MX, then A/AAAA.
// A `--route-map` entry keyed by a name (e.g. "edge.corp.example:25") short-cuts DNS for it.
import { hostKind } from '../../config/net.js';
import type { NextHop } from '../../policy/routing.js';
import { DnsError, type Resolver } from '../resolver.js';
import { mapConnection, routeKey, type HostPort, type RouteMap } from './route-map.js';

export interface Target {
  /** The name the next hop is known by (MX exchange or host), or the IP. */
  name: string;
  ip: string;
  port: number;
  /** Where the socket really connects (after the route map). */
  connect: HostPort;
  /** Postfix's relay= notation: "mx1.example[10.0.0.25]:25". */
  label: string;
}

export type Resolution = { ok: true; targets: Target[] } | { ok: false; permanent: boolean; enhanced: string; reason: string };

type Lookup = { ok: true; ips: string[] } | { ok: false; permanent: boolean; reason: string };

function target(name: string, ip: string, port: number, routeMap?: RouteMap): Target {
  return { name, ip, port, connect: mapConnection(routeMap, ip, port), label: `${name}[${ip}]:${port}` };
}

function dnsFailure(e: unknown, name: string, type: string): { permanent: boolean; reason: string } {
  const kind = e instanceof DnsError ? e.kind : 'servfail';
  const permanent = kind === 'nxdomain' || kind === 'nodata';
  const what = kind === 'nodata' ? 'No address associated with hostname' : permanent ? 'Host not found' : 'Host not found, try again';
  return { permanent, reason: `Host or domain name not found. Name service error for name=${name} type=${type}: ${what}` };
}

/** A and AAAA of a name (IPv4 first, as Postfix with inet_protocols=all prefers by default). */
async function addresses(resolver: Resolver, name: string): Promise<Lookup> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const ips = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (ips.length) return { ok: true, ips };
  const failures = [v4, v6].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  const temp = failures.find((f) => !dnsFailure(f.reason, name, 'A').permanent);
  if (temp) return { ok: false, ...dnsFailure(temp.reason, name, 'A') };
  return { ok: false, ...dnsFailure(failures[0]?.reason ?? new DnsError('nodata', name, 'A'), name, 'A') };
}

/** Targets for one host name or IP, without MX. */
async function hostTargets(resolver: Resolver, host: string, port: number, routeMap?: RouteMap): Promise<Resolution> {
  if (hostKind(host) !== 'name') return { ok: true, targets: [target(host, host, port, routeMap)] };
  const direct = routeMap?.get(routeKey(host, port));
  if (direct) return { ok: true, targets: [{ name: host, ip: host, port, connect: direct, label: `${host}[${host}]:${port}` }] };
  const a = await addresses(resolver, host);
  if (!a.ok) return { ok: false, permanent: a.permanent, enhanced: a.permanent ? '5.4.4' : '4.4.3', reason: a.reason };
  return { ok: true, targets: a.ips.map((ip) => target(host, ip, port, routeMap)) };
}

async function mxTargets(resolver: Resolver, name: string, port: number, routeMap?: RouteMap): Promise<Resolution> {
  let mx;
  try {
    mx = await resolver.resolveMx(name);
  } catch (e) {
    const f = dnsFailure(e, name, 'MX');
    // A name without MX records is its own mail exchanger (RFC 5321 §5.1).
    if (e instanceof DnsError && e.kind === 'nodata') return hostTargets(resolver, name, port, routeMap);
    return { ok: false, permanent: f.permanent, enhanced: f.permanent ? '5.4.4' : '4.4.3', reason: f.reason };
  }
  if (!mx.length) return hostTargets(resolver, name, port, routeMap);
  if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) {
    return { ok: false, permanent: true, enhanced: '5.1.10', reason: `Domain ${name} does not accept mail (nullMX)` };
  }
  const sorted = [...mx].sort((a, b) => a.priority - b.priority);
  const targets: Target[] = [];
  let lastFailure: Resolution | null = null;
  for (const rec of sorted) {
    const r = await hostTargets(resolver, rec.exchange.replace(/\.$/, ''), port, routeMap);
    if (r.ok) targets.push(...r.targets);
    else if (!lastFailure || (lastFailure.ok === false && lastFailure.permanent && !r.permanent)) lastFailure = r;
  }
  if (targets.length) return { ok: true, targets };
  return lastFailure!;
}

/** The ordered list of addresses to try for a next hop (first answering one wins). */
export async function resolveTargets(hop: NextHop, resolver: Resolver, routeMap?: RouteMap): Promise<Resolution> {
  if (hop.kind === 'mx') return mxTargets(resolver, hop.domain, hop.port, routeMap);
  if (hop.mxLookup && hostKind(hop.host) === 'name') return mxTargets(resolver, hop.host, hop.port, routeMap);
  return hostTargets(resolver, hop.host, hop.port, routeMap);
}
