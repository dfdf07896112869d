// The queue manager (Postfix qmgr + smtp + bounce in one): takes messages from the spool, groups
// each message's due recipients by next hop, runs one transaction per hop, records per-recipient
// results, defers with backoff, bounces on 5xx or at the end of the queue lifetime, sends KSMG
// delayed-reject NDRs, adds the always_bcc copy. All waiting runs on the injected Clock.
//
// Durability: a message stays in the spool until every recipient is done. Results are recorded
// after the next hop's reply, so a crash between a next hop's 250 and the state update (or the
// removal of the finished message) delivers that recipient again on restart — the one duplicate
// window, as in Postfix. A bounce is spooled (fsynced) before the original records "bounced".
import { EventEmitter } from 'node:events';
import type { Config } from '../../config/schema.js';
import { outgoingTlsPlan } from '../../policy/outgoing-tls.js';
import { nextHopFor, nextHopKey, type NextHop } from '../../policy/routing.js';
import { formatReply, REPLIES } from '../../policy/replies.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { compareRecipients, Deliverer, type RecipientOutcome } from '../delivery/deliver.js';
import type { RouteMap } from '../delivery/route-map.js';
import type { Resolver } from '../resolver.js';
import { CorruptQueueFile, newQueueId, type MessageMeta, type QueueState, type RecipientState, type Spool } from '../spool.js';
import { buildBounce, type FailedRecipient, type NoticeKind } from './bounce.js';
import { deliveryLine, silentLogger, type QueueLogger } from './log.js';
import { watchFlush } from './flush.js';
import { isBounceLike, isDone, isDue, isExpired, nextBackoff, wantsFailureNotice, wantsSuccessNotice } from './schedule.js';

export interface QueueManagerOptions {
  spool: Spool;
  config: Config;
  clock?: Clock;
  resolver: Resolver;
  routeMap?: RouteMap;
  logger?: QueueLogger;
  /** RelayHandle.events; the manager emits delivered/deferred/bounced/queued/idle on it. */
  events?: EventEmitter;
  /** Messages processed at the same time. */
  concurrency?: number;
  /** Transactions in progress per next hop (Postfix default_destination_concurrency_limit). */
  destinationConcurrency?: number;
  /** Idle connection cache time, wall clock (0 = no cache). */
  connectionCacheMs?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Verify next hops' certificates on STARTTLS (default off, as Postfix's "may" level). */
  tlsVerify?: boolean;
}

interface Entry {
  meta: MessageMeta;
  state: QueueState;
  busy: boolean;
  again: boolean;
}

export class QueueManager {
  readonly events: EventEmitter;
  private readonly clock: Clock;
  private readonly log: QueueLogger;
  private readonly deliverer: Deliverer;
  private readonly entries = new Map<string, Entry>();
  private readonly ready: string[] = [];
  private readonly readySet = new Set<string>();
  private readonly dead = new Map<string, { until: number; reason: string }>();
  private readonly hopSlots = new Map<string, { used: number; waiters: Array<() => void> }>();
  private running = 0;
  private loading = 0;
  private readonly loadingIds = new Set<string>();
  private scanTimer: TimerHandle | null = null;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private started = false;
  private unwatch: () => void = () => undefined;

  constructor(private readonly opts: QueueManagerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.events = opts.events ?? new EventEmitter();
    this.deliverer = new Deliverer({
      resolver: opts.resolver,
      routeMap: opts.routeMap,
      heloName: opts.config.mta.hostname!,
      idleTimeoutMs: opts.connectionCacheMs,
      connectTimeoutMs: opts.connectTimeoutMs,
      commandTimeoutMs: opts.commandTimeoutMs,
      tlsVerify: opts.tlsVerify,
      // Outgoing TLS per next hop (mta.tls.outgoing, mta.domains[].tls), unless a test forces verify.
      tls: opts.tlsVerify ? undefined : { plan: outgoingTlsPlan(opts.config), caFile: opts.config.mta.tls.caFile },
      minimalBackoffSeconds: opts.config.mta.advanced.minimalBackoff,
    });
  }

  private get adv(): Config['mta']['advanced'] {
    return this.opts.config.mta.advanced;
  }

  /** Resumes whatever the spool holds, then scans the deferred queue every queueRunDelay. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Stray names in queue/ are moved aside too: whatever lies there must not stop the queue.
    for (const name of await this.opts.spool.strays()) await this.setAside(name, 'not a queue file name');
    for (const id of await this.opts.spool.ids()) {
      try {
        await this.load(id, true);
      } catch (e) {
        // One bad file must not keep the rest from running (Postfix: qmgr moves it to corrupt).
        if (e instanceof CorruptQueueFile) await this.setAside(id, e.why);
        else this.log.info(`${id}: warning: cannot read queue file: ${(e as Error).message}`);
      }
    }
    this.unwatch = watchFlush(this.opts.spool.dir, () => this.flush());
    this.scheduleScan();
    this.checkIdle();
  }

  /** A message was enqueued: deliver it now. */
  notify(id: string, announce = false): void {
    if (this.stopped) return;
    if (this.entries.has(id)) return this.makeReady(id);
    void this.load(id, announce).catch(async (e: unknown) => {
      if (e instanceof CorruptQueueFile) await this.setAside(id, e.why);
      else this.log.info(`${id}: warning: cannot read queue file: ${(e as Error).message}`);
    });
  }

  /** Moves a queue file that failed its checks to corrupt/ and says so, naming both paths. */
  private async setAside(name: string, why: string): Promise<void> {
    this.entries.delete(name);
    try {
      const target = await this.opts.spool.moveToCorrupt(name);
      this.log.info(`warning: corrupted queue file: queue/${name}: ${why}; moved to ${target}`, {
        event: 'corrupt',
        id: name,
        file: target,
      });
      this.events.emit('corrupt', { id: name, file: target, reason: why });
    } catch (e) {
      this.log.info(`warning: corrupted queue file: queue/${name}: ${why}; cannot move it aside: ${(e as Error).message}`, {
        event: 'corrupt',
        id: name,
      });
    }
  }

  /** postqueue -f: every deferred recipient is due now, failed destinations are forgiven. */
  flush(): void {
    this.dead.clear();
    const now = this.clock.now();
    for (const [id, e] of this.entries) {
      let due = false;
      for (const r of e.state.recipients)
        if (r.status === 'deferred') {
          r.nextAttemptAt = now;
          due = true;
        }
      if (due) this.makeReady(id);
    }
    this.checkIdle();
  }

  /** Resolves when nothing is being delivered and nothing is due before the next timer. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops scheduling, waits for deliveries in progress, closes cached connections. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    this.scanTimer?.cancel();
    this.unwatch();
    this.ready.length = 0;
    this.readySet.clear();
    // Bounded (wall clock): a next hop that hangs must not hold the shutdown for its timeouts.
    // Deliveries cut short stay in the spool and are retried by the next start.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenIdle(),
      new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
    await this.deliverer.close();
  }

  /** Messages known to the manager, for tooling and tests. */
  snapshot(): Array<{ meta: MessageMeta; state: QueueState }> {
    return [...this.entries.values()].map((e) => ({ meta: e.meta, state: e.state }));
  }

  private isIdle(): boolean {
    return this.running === 0 && this.loading === 0 && this.ready.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
    this.events.emit('idle');
  }

  /** Reads a message into memory; `announce` logs qmgr's line (resumed or self-generated mail). */
  private async load(id: string, announce = false): Promise<void> {
    if (this.loadingIds.has(id) || this.entries.has(id)) return;
    this.loadingIds.add(id);
    this.loading++;
    try {
      const meta = await this.opts.spool.readMeta(id);
      let state: QueueState;
      try {
        state = await this.opts.spool.readState(id, meta);
      } catch {
        // An unreadable state file (torn write at a crash): start over — duplicates, never loss.
        state = { recipients: meta.recipients.map((r) => ({ address: r.address, status: 'pending', attempts: 0 })) };
      }
      this.addBcc(meta, state);
      for (const r of state.recipients) {
        const spooled = meta.recipients.find((m) => m.address === r.address);
        if (spooled?.notify && !r.notify) r.notify = spooled.notify;
      }
      this.entries.set(id, { meta, state, busy: false, again: false });
      if (announce) this.log.info(`${id}: from=<${meta.sender}>, size=${meta.size}, nrcpt=${state.recipients.length} (queue active)`);
      const now = this.clock.now();
      if (state.recipients.some((r) => isDue(r, now) || r.status === 'rejected') || state.recipients.every(isDone)) this.makeReady(id);
    } finally {
      this.loadingIds.delete(id);
      this.loading--;
      this.checkIdle();
    }
  }

  /** always_bcc: a copy of every new message (not of bounces), NOTIFY=NEVER. */
  private addBcc(meta: MessageMeta, state: QueueState): void {
    const bcc = this.adv.alwaysBcc;
    if (!bcc || meta.isBounce) return;
    if (state.recipients.some((r) => r.address.toLowerCase() === bcc.toLowerCase())) return;
    if (meta.recipients.some((r) => r.address.toLowerCase() === bcc.toLowerCase())) return;
    state.recipients.push({ address: bcc, status: 'pending', attempts: 0, notify: ['never'] });
  }

  private makeReady(id: string): void {
    if (this.stopped) return;
    const e = this.entries.get(id);
    if (!e) return;
    if (e.busy) {
      e.again = true;
      return;
    }
    if (!this.readySet.has(id)) {
      this.readySet.add(id);
      this.ready.push(id);
    }
    this.pump();
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 100;
    while (this.running < limit && this.ready.length) {
      const id = this.ready.shift()!;
      this.readySet.delete(id);
      const e = this.entries.get(id);
      if (!e || e.busy) continue;
      e.busy = true;
      this.running++;
      void this.process(id, e)
        .catch((err: unknown) => this.log.info(`${id}: warning: delivery attempt failed: ${(err as Error).stack ?? err}`))
        .finally(() => {
          e.busy = false;
          this.running--;
          if (e.again && this.entries.has(id)) {
            e.again = false;
            const now = this.clock.now();
            if (e.state.recipients.some((r) => isDue(r, now))) this.makeReady(id);
          }
          this.pump();
          this.checkIdle();
        });
    }
  }

  private scheduleScan(): void {
    if (this.stopped) return;
    this.scanTimer = this.clock.setTimer(Math.max(1, this.adv.queueRunDelay) * 1000, () => {
      this.scanDeferred();
      this.scheduleScan();
    });
  }

  /** The deferred queue scan: messages with a recipient whose retry time has come. */
  private scanDeferred(): void {
    const now = this.clock.now();
    for (const [id, e] of this.entries) {
      if (e.state.recipients.some((r) => r.status === 'deferred' && isDue(r, now))) this.makeReady(id);
    }
    this.checkIdle();
  }

  private async process(id: string, e: Entry): Promise<void> {
    const { meta, state } = e;
    const started = this.clock.now();
    let data: Buffer;
    try {
      ({ data } = await this.opts.spool.readFile(id));
    } catch (err) {
      if (err instanceof CorruptQueueFile) return this.setAside(id, err.why);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.entries.delete(id); // deleted with `ksmg-setup queue delete` (postsuper -d)
      return;
    }
    const bounced: FailedRecipient[] = [];
    const rejected: FailedRecipient[] = [];

    // KSMG delayed reject: an NDR from the gateway itself, or nothing when the switch is off.
    for (const r of state.recipients.filter((x) => x.status === 'rejected')) {
      const notice = REPLIES.delayedReject(r.rule ?? 'Default', r.reason);
      const reason = notice.text;
      this.finish(id, r, 'bounced', { relay: 'none', dsn: '5.7.1', reason, started, meta });
      if (this.opts.config.messageProcessing.sendNdrForDelayedReject && !isBounceLike(meta) && wantsFailureNotice(r)) {
        rejected.push({ address: r.address, status: '5.7.1', reason, diagnostic: formatReply(notice) });
      }
    }

    const now = this.clock.now();
    const groups = new Map<string, { hop: NextHop | null; recipients: RecipientState[] }>();
    for (const r of state.recipients) {
      if (!isDue(r, now)) continue;
      const hop = nextHopFor(this.opts.config, r.address);
      const key = hop ? nextHopKey(hop) : 'none';
      const g = groups.get(key) ?? { hop, recipients: [] };
      g.recipients.push(r);
      groups.set(key, g);
    }
    const relayed: FailedRecipient[] = [];
    await Promise.all(
      [...groups].map(([key, g]) => this.deliverGroup(id, e, key, g.hop, g.recipients, data, started, { bounced, relayed })),
    );

    // Bounces before the original records its results, so a crash cannot lose them.
    if (bounced.length && !isBounceLike(meta)) await this.sendBounce(meta, data, bounced, 'postfix');
    if (relayed.length && !isBounceLike(meta)) await this.sendBounce(meta, data, relayed.sort(compareRecipients), 'success');
    if (rejected.length) await this.sendBounce(meta, data, rejected, 'ksmg');

    if (state.recipients.every(isDone)) {
      await this.opts.spool.remove(id);
      this.entries.delete(id);
      this.log.info(`${id}: removed`);
    } else {
      await this.opts.spool.writeState(id, state);
    }
  }

  private async deliverGroup(
    id: string,
    e: Entry,
    key: string,
    hop: NextHop | null,
    rcpts: RecipientState[],
    data: Buffer,
    started: number,
    notices: { bounced: FailedRecipient[]; relayed: FailedRecipient[] },
  ): Promise<void> {
    const { bounced, relayed } = notices;
    const { meta } = e;
    let outcomes: RecipientOutcome[];
    const dead = this.dead.get(key);
    if (!hop) {
      outcomes = rcpts.map((r) => ({
        address: r.address,
        status: 'bounced',
        reason: 'mail transport unavailable',
        enhanced: '5.3.0',
        relay: 'none',
      }));
    } else if (dead && dead.until > this.clock.now()) {
      outcomes = rcpts.map((r) => ({
        address: r.address,
        status: 'deferred',
        reason: `delivery temporarily suspended: ${dead.reason}`,
        enhanced: '4.4.1',
        relay: 'none',
      }));
    } else {
      await this.acquire(key);
      try {
        const report = await this.deliverer.deliver({
          hop,
          sender: meta.sender,
          recipients: rcpts.map((r) => ({
            address: r.address,
            notify: r.notify,
            orcpt: meta.recipients.find((m) => m.address === r.address)?.orcpt,
          })),
          data,
          envid: meta.envid,
          ret: meta.ret,
          body: meta.body,
          smtputf8: meta.smtputf8,
          preactiveDelaySeconds: Math.max(0, started - meta.arrivalTime) / 1000,
        });
        outcomes = report.outcomes;
        if (report.destinationDown)
          this.dead.set(key, { until: this.clock.now() + this.adv.transportRetryTime * 1000, reason: report.destinationDown });
        else this.dead.delete(key);
      } finally {
        this.release(key);
      }
    }
    const now = this.clock.now();
    for (const o of outcomes) {
      const r = rcpts.find((x) => x.address === o.address)!;
      r.attempts++;
      r.lastReply = o.reason;
      r.lastRelay = o.relay;
      const base = { relay: o.relay, dsn: o.enhanced, reason: o.reason, started, meta };
      if (o.status === 'sent') {
        this.finish(id, r, 'sent', base);
        if (!o.dsnPassedOn && wantsSuccessNotice(r)) {
          relayed.push({
            address: r.address,
            orcpt: meta.recipients.find((m) => m.address === r.address)?.orcpt,
            action: 'relayed',
            status: o.enhanced,
            remoteMta: o.remoteMta,
            diagnostic: o.diagnostic,
            reason: `delivery via ${o.relay}: ${o.reason}`,
          });
        }
        this.events.emit('delivered', { id, recipient: r.address, relay: o.relay, reply: o.reason });
        continue;
      }
      if (o.status === 'deferred' && !isExpired(meta, now, this.adv)) {
        r.backoff = nextBackoff(r.backoff, this.adv);
        r.status = 'deferred';
        r.nextAttemptAt = now + r.backoff * 1000;
        this.log.info(this.line(id, r.address, base, 'deferred'));
        this.events.emit('deferred', { id, recipient: r.address, relay: o.relay, reply: o.reason, nextAttemptAt: r.nextAttemptAt });
        continue;
      }
      // 5xx, or a temporary failure at the end of the queue lifetime: the recipient bounces.
      const expired = o.status === 'deferred';
      const dsn = o.enhanced; // Postfix keeps the 4.x.x status of an expired recipient (Action: failed)
      this.finish(id, r, isBounceLike(meta) ? 'dropped' : 'bounced', { ...base, dsn });
      if (expired) this.log.info(`${id}: from=<${meta.sender}>, status=expired, ${isBounceLike(meta) ? 'dropped' : 'returned to sender'}`);
      this.events.emit('bounced', {
        id,
        recipient: r.address,
        relay: o.relay,
        reply: o.reason,
        expired,
        notified: !isBounceLike(meta) && wantsFailureNotice(r),
      });
      if (wantsFailureNotice(r)) {
        bounced.push({
          address: r.address,
          orcpt: meta.recipients.find((m) => m.address === r.address)?.orcpt,
          status: dsn,
          remoteMta: o.remoteMta,
          diagnostic: o.diagnostic,
          reason: o.reason,
        });
      }
    }
  }

  private finish(
    id: string,
    r: RecipientState,
    status: 'sent' | 'bounced' | 'dropped',
    f: { relay: string; dsn: string; reason: string; started: number; meta: MessageMeta },
  ): void {
    r.status = status;
    r.doneAt = this.clock.now();
    r.nextAttemptAt = undefined;
    this.log.info(this.line(id, r.address, f, status === 'sent' ? 'sent' : 'bounced'));
  }

  private line(
    id: string,
    to: string,
    f: { relay: string; dsn: string; reason: string; started: number; meta: MessageMeta },
    status: 'sent' | 'deferred' | 'bounced',
  ): string {
    const now = this.clock.now();
    const before = Math.max(0, f.started - f.meta.arrivalTime) / 1000;
    const transmission = Math.max(0, now - f.started) / 1000;
    const origTo = f.meta.recipients.find((m) => m.address === to)?.original;
    return deliveryLine({ id, to, origTo, relay: f.relay, delays: [before, 0, 0, transmission], dsn: f.dsn, status, reason: f.reason });
  }

  private async sendBounce(meta: MessageMeta, original: Buffer, recipients: FailedRecipient[], kind: NoticeKind): Promise<void> {
    const hostname = this.opts.config.mta.hostname!;
    const now = this.clock.now();
    const id = newQueueId(now);
    const data = buildBounce({
      hostname,
      queueId: meta.id,
      bounceId: id,
      sender: meta.sender,
      arrivalTime: meta.arrivalTime,
      now,
      recipients,
      original,
      kind,
      envid: meta.envid,
      ret: meta.ret,
      smtputf8: meta.smtputf8,
    });
    await this.opts.spool.enqueue(
      {
        id,
        arrivalTime: now,
        sender: '',
        recipients: [{ address: meta.sender }],
        isBounce: true,
        client: { address: '127.0.0.1', name: 'localhost', helo: hostname, protocol: 'local' },
      },
      data,
    );
    this.log.info(`${meta.id}: sender ${kind === 'success' ? 'delivery status' : 'non-delivery'} notification: ${id}`);
    this.events.emit('queued', { id, bounceOf: meta.id });
    this.notify(id, true);
  }

  private acquire(key: string): Promise<void> {
    const limit = this.opts.destinationConcurrency ?? 20;
    const s = this.hopSlots.get(key) ?? { used: 0, waiters: [] };
    this.hopSlots.set(key, s);
    if (s.used < limit) {
      s.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      s.waiters.push(() => {
        s.used++;
        resolve();
      }),
    );
  }

  private release(key: string): void {
    const s = this.hopSlots.get(key)!;
    s.used--;
    s.waiters.shift()?.();
  }
}
