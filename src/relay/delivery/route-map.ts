// The virtual network: `--route-map 10.0.0.25:25=127.0.0.1:40001` makes every connection the
// relay would open to 10.0.0.25:25 go to 127.0.0.1:40001 instead. The lab maps each simulated
// host this way; users can point a route at a local test server. Keys are canonical
// ("10.0.0.25:25", "[2001:db8::25]:25", "mx.example:25" for names) so lookups never miss on
// spelling (upper-case hex, uncompressed IPv6, IPv4-mapped IPv6).
import { bigIntToIp, hostKind, ipToBigInt, normaliseIp } from '../../config/net.js';

export interface HostPort {
  host: string;
  port: number;
}

export type RouteMap = Map<string, HostPort>;

export class RouteMapError extends Error {}

/** Canonical spelling of a host: compressed lower-case IPv6, plain IPv4, lower-case name. */
export function canonicalHost(host: string): string {
  const h = normaliseIp(host.replace(/^\[|\]$/g, '').trim());
  if (hostKind(h) === 'ipv6') {
    const v = ipToBigInt(h);
    return v ? bigIntToIp(v.value, 128) : h.toLowerCase();
  }
  return h.toLowerCase().replace(/\.$/, '');
}

/** The map key for a host and port: `10.0.0.25:25`, `[2001:db8::25]:25`. */
export function routeKey(host: string, port: number): string {
  const h = canonicalHost(host);
  return hostKind(h) === 'ipv6' ? `[${h}]:${port}` : `${h}:${port}`;
}

/** `HOST:PORT` / `[IPV6]:PORT` → {host, port}; null when malformed. */
export function parseHostPort(text: string): HostPort | null {
  const m = text.trim().match(/^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/);
  if (!m) return null;
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  const kind = hostKind(host);
  if (!kind || (m[1] && kind !== 'ipv6') || (!m[1] && kind === 'ipv6')) return null;
  return { host: canonicalHost(host), port };
}

/**
 * `["10.0.0.25:25=127.0.0.1:40001", "[2001:db8::25]:25=127.0.0.1:40002"]` → RouteMap.
 * Throws RouteMapError naming the bad entry.
 */
export function parseRouteMap(entries: readonly string[]): RouteMap {
  const map: RouteMap = new Map();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const from = eq > 0 ? parseHostPort(entry.slice(0, eq)) : null;
    const to = eq > 0 ? parseHostPort(entry.slice(eq + 1)) : null;
    if (!from || !to) {
      throw new RouteMapError(
        `bad --route-map entry "${entry}": expected HOST:PORT=HOST:PORT, e.g. 10.0.0.25:25=127.0.0.1:40001 or [2001:db8::25]:25=127.0.0.1:40002`,
      );
    }
    map.set(routeKey(from.host, from.port), to);
  }
  return map;
}

/** Where a connection meant for host:port really goes (itself when the map has no entry). */
export function mapConnection(map: RouteMap | undefined, host: string, port: number): HostPort {
  return map?.get(routeKey(host, port)) ?? { host, port };
}
