// Where a recipient's mail goes, with Postfix's precedence for the relay class:
// transport_maps (per-domain route) → relayhost (destination.mode edge-gateway) → the recipient
// domain's MX (destination.mode dns). Pure: resolving names to addresses is the delivery's job.
import { domainToASCII } from 'node:url';
import type { Config } from '../config/schema.js';
import { hostKind } from '../config/net.js';

export type NextHop =
  | { kind: 'route'; domain: string; host: string; port: number; mxLookup: boolean }
  | { kind: 'relayhost'; host: string; port: number; mxLookup: boolean }
  | { kind: 'mx'; domain: string; port: 25 };

export function recipientDomain(address: string): string {
  const d = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  // An SMTPUTF8 recipient's UTF-8 domain routes like its A-label, the form ksmg.yaml stores.
  return /^[\x00-\x7f]*$/.test(d) ? d : domainToASCII(d) || d;
}

/** The next hop for one recipient address, or null when the config has no way to send it. */
export function nextHopFor(config: Config, address: string): NextHop | null {
  const domain = recipientDomain(address);
  const entry = config.mta.domains.find((d) => d.name === domain);
  if (entry?.route) {
    const { host, port, mxLookup } = entry.route;
    return { kind: 'route', domain, host, port, mxLookup: mxLookup && hostKind(host) === 'name' };
  }
  const dest = config.mta.destination;
  if (dest.mode === 'edge-gateway' && dest.host) {
    return { kind: 'relayhost', host: dest.host, port: dest.port, mxLookup: dest.mxLookup && hostKind(dest.host) === 'name' };
  }
  return { kind: 'mx', domain, port: 25 };
}

/** Postfix's notation for a next hop: `[host]:port` without MX lookup, `host:port` with it. */
export function describeNextHop(hop: NextHop): string {
  if (hop.kind === 'mx') return `${hop.domain} (MX)`;
  return hop.mxLookup ? `${hop.host}:${hop.port}` : `[${hop.host}]:${hop.port}`;
}

/**
 * A stable key grouping recipients that share one SMTP transaction. Postfix's qmgr queues by
 * transport and next hop only, so a route and the relayhost naming the same `[host]:port` share
 * one transaction (checked against Postfix 3.7 in the differential delivery suite).
 */
export function nextHopKey(hop: NextHop): string {
  return hop.kind === 'mx' ? `mx:${hop.domain}` : `smtp:${describeNextHop(hop)}`;
}
