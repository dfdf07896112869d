// The relay as `ksmg-setup relay` runs it, in one function: the CLI calls it with its parsed
// flags, and the lab calls it with the same options, so a green lab run tests the wiring users
// get (resolver, content scan, recipient callouts, queue and delivery). Only what an embedding
// must own is injectable: the clock (the lab's lab time), the log sink, and the connection cache
// (the lab turns it off so every scenario starts with fresh next-hop connections, as after a
// relay restart: a scenario's canned connect reply must be seen).
import type { Config } from '../config/schema.js';
import type { Clock } from './clock.js';
import { createLogger, type LogFormat, type RelayLogger } from './log.js';
import { QueueManager } from './queue/manager.js';
import { startRelay, type RelayHandle } from './relay.js';
import { createDnsResolver } from './resolver.js';
import type { RouteMap } from './delivery/route-map.js';

export interface RelayServiceOptions {
  config: Config;
  /** --listen */
  listen: { host: string; port: number };
  /** --spool (absolute) */
  spoolDir: string;
  /** --xclient-from */
  xclientFrom?: string[];
  /** --dns, as parseDnsServer() returns it; null = the system's resolvers. */
  dnsServer?: string | null;
  /** --route-map */
  routeMap?: RouteMap;
  /** false = --no-scan. */
  scan?: boolean;
  /** --log-format (ignored when `logger` is given). */
  logFormat?: LogFormat;
  /** --shutdown-grace, in ms. */
  shutdownGraceMs?: number;
  // Embedding only:
  clock?: Clock;
  logger?: RelayLogger;
  /** DNS query timeout and tries (default c-ares' 5 s × 2). */
  dnsTimeoutMs?: number;
  dnsTries?: number;
  /** Idle next-hop connection cache, wall clock (default the delivery's own 2 s; 0 = none). */
  connectionCacheMs?: number;
}

export interface RelayService extends RelayHandle {
  queue: QueueManager;
  logger: RelayLogger;
}

export async function startRelayService(opts: RelayServiceOptions): Promise<RelayService> {
  const logger = opts.logger ?? createLogger({ format: opts.logFormat ?? 'text', clock: opts.clock });
  const resolver = createDnsResolver({
    servers: opts.dnsServer ? [opts.dnsServer] : undefined,
    timeoutMs: opts.dnsTimeoutMs,
    tries: opts.dnsTries,
  });
  let queue: QueueManager | undefined;
  const relay = await startRelay({
    config: opts.config,
    listen: opts.listen,
    spoolDir: opts.spoolDir,
    xclientFrom: opts.xclientFrom ?? [],
    clock: opts.clock,
    logger,
    resolver,
    // startRelay creates the content scan (rules, Anti-Virus/Spam/Phishing, content filtering,
    // mail authentication) with this resolver and clock; --no-scan switches it off.
    scanner: opts.scan === false ? false : undefined,
    routeMap: opts.routeMap,
    shutdownGraceMs: opts.shutdownGraceMs,
    queue: (deps) => (queue = new QueueManager({ ...deps, connectionCacheMs: opts.connectionCacheMs })),
  });
  return { ...relay, queue: queue!, logger };
}
