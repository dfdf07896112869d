// The relay, queue, recipient verifier and scanner the lab starts, loaded at run time.
// Temporary bridge while relay-receive, relay-delivery and scan land on main: the types below
// are the TEAM.md contracts, structurally. Once they are merged this file becomes plain
// re-exports of src/relay/relay.ts, src/relay/queue/manager.ts, src/relay/verify.ts and
// src/scan/index.ts.
import type { EventEmitter } from 'node:events';
import type { Config } from '../config/schema.js';
import type { Clock } from '../relay/clock.js';
import type { Resolver } from '../relay/resolver.js';
import type { Spool } from '../relay/spool.js';
import { bigIntToIp, hostKind, ipToBigInt, normaliseIp } from '../config/net.js';

export type RouteMap = Map<string, { host: string; port: number }>;

export interface QueueManager {
  whenIdle(): Promise<void>;
  notify(id: string): void;
  start?(): unknown;
  stop?(): unknown;
}

export interface RelayHandle {
  port: number;
  address: string;
  spool: Spool;
  close(): Promise<void>;
  events: EventEmitter;
}

interface RelayParts {
  startRelay(opts: Record<string, unknown>): Promise<RelayHandle>;
  QueueManager: new (opts: Record<string, unknown>) => QueueManager;
  CalloutVerifier: new (opts: { config: Config; resolver: Resolver; routeMap?: RouteMap; clock?: Clock }) => { verify(a: string): Promise<unknown> };
  createScanner(opts: { resolver?: Resolver; clock?: Clock }): unknown;
}

const modules = ['../relay/relay.js', '../relay/queue/manager.js', '../relay/verify.js', '../scan/index.js'];

export async function loadRelayParts(): Promise<RelayParts> {
  const loaded = (await Promise.all(modules.map((m) => import(m)))) as Array<Record<string, unknown>>;
  return Object.assign({}, ...loaded) as RelayParts;
}

/** relay-delivery's canonical route-map key ("10.0.0.25:25", "[2001:db8::25]:25", "name:25"). */
export function routeKey(host: string, port: number): string {
  let h = normaliseIp(host.replace(/^\[|\]$/g, '').trim());
  if (hostKind(h) === 'ipv6') {
    const v = ipToBigInt(h);
    return `[${v ? bigIntToIp(v.value, 128) : h.toLowerCase()}]:${port}`;
  }
  h = h.toLowerCase().replace(/\.$/, '');
  return `${h}:${port}`;
}
