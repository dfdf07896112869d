// startRelay(): the gateway emulator's receiving side, in-process. `ksmg-setup relay` is a thin
// wrapper around it, and the lab starts it the same way (with a ManualClock, its resolver and
// route map). Listens on loopback only in the lab; binds exactly the host it is given.
import { EventEmitter } from 'node:events';
import type { Config } from '../config/schema.js';
import { systemClock, type Clock } from './clock.js';
import { Spool } from './spool.js';
import { QueueManager } from './queue/manager.js';
import { CalloutVerifier } from './verify.js';
import { createDnsResolver, type Resolver } from './resolver.js';
import type { RouteMap } from './delivery/route-map.js';
import { createLogger, type RelayLogger } from './log.js';
import type { MessageScanner, RecipientVerifier } from './smtp/ports.js';
import { createScanner } from '../scan/index.js';
import type { ScanBudget } from '../scan/pool.js';
import type { ScanLimits } from '../scan/detect.js';
import { compileNetworks } from '../policy/client.js';
import { ClientLimits, RECIPIENT_LIMIT } from '../policy/limits.js';
import { REPLIES } from '../policy/replies.js';
import type { PostfixConnection } from './smtp/connection.js';
import { PostfixSmtpServer } from './smtp/server.js';
import type { QueueNotifier, RelayContext } from './smtp/context.js';
import { tlsCredentials, type TlsCredentials } from './smtp/tls-credentials.js';

/** The virtual network (src/relay/delivery/route-map.ts); the old name is kept for callers. */
export type RouteMapLike = RouteMap;

/** What the relay needs from the queue manager (src/relay/queue/manager.ts). */
export interface QueueLike extends QueueNotifier {
  start?(): unknown;
  stop?(): unknown;
  /** QueueManager: resolves when nothing is being delivered and nothing is due (the lab waits on it). */
  whenIdle?(): Promise<void>;
  /** QueueManager: retry every deferred recipient now. */
  flush?(): void;
}

export interface QueueDeps {
  spool: Spool;
  config: Config;
  clock: Clock;
  resolver: Resolver;
  routeMap?: RouteMapLike;
  logger: RelayLogger;
  events: EventEmitter;
}

export interface RelayOptions {
  config: Config;
  listen: { host: string; port: number };
  spoolDir: string;
  /** Peers allowed to use XCLIENT (addresses or CIDRs); default nobody. */
  xclientFrom?: string[];
  clock?: Clock;
  resolver?: Resolver;
  routeMap?: RouteMapLike;
  logger?: RelayLogger;
  verifier?: RecipientVerifier;
  /** The content scan after DATA. Default: createScanner() with this relay's resolver and clock; `false` = no scan. */
  scanner?: MessageScanner | false;
  /** Budgets of the default scanner's worker (time/memory per message) and archive limits. */
  scanBudget?: Partial<ScanBudget>;
  scanLimits?: Partial<ScanLimits>;
  /**
   * A queue to notify after each enqueue, or a factory the relay calls with its spool etc.
   * Default: the QueueManager (delivery, retries, bounces); `false` = accept and
   * spool only, nothing is delivered.
   */
  queue?: QueueLike | ((deps: QueueDeps) => QueueLike) | false;
  /** smtpd_recipient_limit (default 1000). */
  recipientLimit?: number;
  /** STARTTLS key and certificate; default: mta.tls's files, or a self-signed pair for mta.hostname. */
  tls?: TlsCredentials;
  /** How long close() lets sessions finish before it ends them with 421 (real time, default 10 s). */
  shutdownGraceMs?: number;
}

export interface RelayHandle {
  port: number;
  address: string;
  spool: Spool;
  queue?: QueueLike;
  /** Stops accepting, lets sessions in progress finish (bounded), stops the queue. */
  close(): Promise<void>;
  /** 'queued' {id}; the queue adds 'delivered', 'deferred', 'bounced', 'idle'. */
  events: EventEmitter;
}

export class RelayListenError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function startRelay(opts: RelayOptions): Promise<RelayHandle> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ clock });
  const events = new EventEmitter();
  const spool = new Spool(opts.spoolDir);
  // A crash after a message's fsync but before its link into queue/ leaves it complete in
  // incoming/: it may have been acknowledged, so it is queued (and said so), never dropped.
  for (const id of await spool.open()) logger.info(`${id}: recovered from incoming/ after a crash`, { event: 'recovered', id });
  const resolver = opts.resolver ?? createDnsResolver();
  const deps: QueueDeps = { spool, config: opts.config, clock, resolver, routeMap: opts.routeMap, logger, events };
  const queue =
    opts.queue === false ? undefined : typeof opts.queue === 'function' ? opts.queue(deps) : (opts.queue ?? new QueueManager(deps));
  // reject_unverified_recipient: the real callout unless a verifier is injected (tests, lab).
  const verifier =
    opts.verifier ??
    (opts.config.mta.advanced.recipientVerification === 'reject-unverified'
      ? new CalloutVerifier({ config: opts.config, clock, resolver, routeMap: opts.routeMap })
      : undefined);

  // The scanner this relay creates is this relay's to stop (its worker threads).
  const ownScanner =
    opts.scanner === undefined ? createScanner({ resolver, clock, budget: opts.scanBudget, limits: opts.scanLimits }) : undefined;
  const ctx: RelayContext = {
    config: opts.config,
    clock,
    spool,
    logger,
    events,
    trusted: compileNetworks(opts.config.mta.trustedNetworks),
    xclientFrom: compileNetworks(opts.xclientFrom ?? []),
    limits: new ClientLimits(clock),
    resolver,
    verifier,
    // KSMG scans every message: the scanner is on unless a caller switches it off with false.
    scanner: opts.scanner === false ? undefined : (opts.scanner ?? ownScanner),
    queue,
    recipientLimit: opts.recipientLimit ?? RECIPIENT_LIMIT,
    stopping: false,
    // smtpd_tls_security_level none: no certificate is loaded at all (smtpd_use_tls = no).
    tls: opts.config.mta.tls.securityLevel === 'none' ? undefined : (opts.tls ?? (await tlsCredentials(opts.config))),
  };
  const server = new PostfixSmtpServer(ctx);
  // smtp-server re-emits socket-level errors on itself; unhandled they would crash the process.
  let listening = false;
  server.on('error', (e: Error) => {
    if (listening) logger.info(`warning: ${e.message}`, { event: 'error' });
  });
  // The queue runs before the listener opens: a 250 is only ever given by a relay whose queue
  // is delivering (a queue that cannot start means the relay does not start at all).
  await queue?.start?.();
  // Likewise the content scan: its worker threads have started before the first client can send.
  await ctx.scanner?.ready?.();
  const net = server.server;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      net.off('listening', onListening);
      const where = `${opts.listen.host}:${opts.listen.port}`;
      const why =
        e.code === 'EADDRINUSE'
          ? `${where} is already in use (another relay or mail server is listening there)`
          : e.code === 'EACCES'
            ? `no permission to listen on ${where} (ports below 1024 need privileges)`
            : e.code === 'EADDRNOTAVAIL'
              ? `${opts.listen.host} is not an address of this machine`
              : `cannot listen on ${where}: ${e.message}`;
      reject(new RelayListenError(why, e.code));
    };
    const onListening = () => {
      net.off('error', onError);
      resolve();
    };
    net.once('error', onError);
    net.once('listening', onListening);
    net.listen(opts.listen.port, opts.listen.host);
  }).catch(async (e: unknown) => {
    await queue?.stop?.();
    await ownScanner?.close?.();
    throw e;
  });
  listening = true;
  const addr = net.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.listen.port;
  const address = typeof addr === 'object' && addr ? addr.address : opts.listen.host;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      ctx.stopping = true;
      const closed = new Promise<void>((r) => net.close(() => r()));
      const grace = opts.shutdownGraceMs ?? 10_000;
      const deadline = Date.now() + grace;
      while (server.connections.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const c of [...server.connections] as PostfixConnection[]) {
        c.reply(REPLIES.shuttingDown(opts.config.mta.hostname));
        c.close();
      }
      await closed;
      await queue?.stop?.();
      await ownScanner?.close?.();
      events.emit('closed');
    })();
    return closing;
  };

  return { port, address, spool, queue, close, events };
}
