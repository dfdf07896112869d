// The content scan runs off the SMTP event loop: a pool of worker threads (piscina), one message
// per thread at a time, each under a budget —
//   time: the thread's running time, not counting the time it waits for DNS answers; past the
//         budget the thread is terminated (piscina aborts a running task by ending its worker);
//   memory: V8 heap limits of the thread (resourceLimits); past them V8 ends the thread.
// Either way, or when the scanner throws, the message gets facts that say "not scanned" and the
// rule's action for Anti-Virus status Error applies. Other sessions are answered meanwhile: the
// main thread only relays DNS queries and timers.
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Config } from '../config/schema.js';
import type { Clock, TimerHandle } from '../relay/clock.js';
import { DnsError, type Resolver } from '../relay/resolver.js';
import { DEFAULT_SCAN_LIMITS, unscannedFacts, type ScanLimits } from './detect.js';
import type { AuthInput } from './mail-auth.js';
import { SharedSlots } from './shared-slots.js';
import type { ContentResult, ContentTask, ScanWorkerData } from './worker.js';

export interface ScanBudget {
  /** Running time per message, ms (DNS waits excluded). */
  timeMs: number;
  /** Old-generation heap per worker thread, MB. */
  memoryMb: number;
}

export const DEFAULT_SCAN_BUDGET: ScanBudget = { timeMs: 10_000, memoryMb: 256 };

export interface ScanPoolOptions {
  budget?: Partial<ScanBudget>;
  limits?: Partial<ScanLimits>;
  /**
   * Worker threads of a pool of its own, all started at once. Without it the scanner joins the
   * process's default pool (one thread per CPU, 2–4, all started at once, unless an embedding
   * created it first with `defaultPool`).
   */
  threads?: number;
  /**
   * How the process's default pool is made when this call creates it (threads not given): the
   * lab, which creates it before its relay does, wants fewer threads, each started only when the
   * scans waiting need it — a verify run pays for the threads it uses, not for four at start-up.
   */
  defaultPool?: { threads: number; start: 'all' | 'on-demand' };
  /** Another worker module (a URL) with the same task contract — tests that need a worker that hangs. */
  workerFile?: string;
}

/** What one analysis needs from the relay: its DNS and its clock (the DNS timeout). */
export interface ScanServices {
  resolver: Resolver;
  clock: Clock;
}

const TICK_MS = 25;
/** A pool nobody uses any more is ended after this long (a relay restarted in the same process reuses it). */
const LINGER_MS = 1000;

function workerFile(): string {
  // From the TypeScript sources the worker needs the tsx loader (worker-boot.mjs); built, it is worker.js.
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './worker-boot.mjs' : './worker.js', import.meta.url).href;
}

/**
 * Worker threads are shared by every relay of the process with the same settings: starting the
 * scanner's threads (loading MIME, zip and mailauth code) takes a while, so they start when the
 * first relay creates its scanner and stay while any relay uses them. Idle threads do not keep
 * the process alive (piscina unrefs them).
 */
const shared = new Map<string, { pool: Piscina; users: number; linger?: NodeJS.Timeout }>();

function acquire(key: string, make: () => Piscina): Piscina {
  let entry = shared.get(key);
  if (!entry) {
    entry = { pool: make(), users: 0 };
    shared.set(key, entry);
  }
  clearTimeout(entry.linger);
  entry.users++;
  return entry.pool;
}

function release(key: string): void {
  const entry = shared.get(key);
  if (!entry || --entry.users > 0) return;
  entry.linger = setTimeout(() => {
    shared.delete(key);
    void entry.pool.destroy();
  }, LINGER_MS);
  entry.linger.unref();
}

/** Below this a message is cloned into the task (a copy too small to matter). */
const SHARE_FROM = 64 * 1024;

export class ScanPool {
  readonly budget: ScanBudget;
  readonly limits: ScanLimits;
  private readonly key: string;
  private workers: Piscina | null;
  private readonly slots = new SharedSlots();

  constructor(opts: ScanPoolOptions = {}) {
    this.budget = { ...DEFAULT_SCAN_BUDGET, ...opts.budget };
    this.limits = { ...DEFAULT_SCAN_LIMITS, ...opts.limits };
    // One per CPU (2–4): a thread waits for DNS only for a signed message (unsigned mail is
    // authenticated in the main thread, see scan/index.ts), so more threads than CPUs would
    // mostly hold memory: each is ≈ 25 MB (measured: 4 threads 192 MB warm RSS, 2 threads 141 MB).
    const made = opts.threads
      ? { threads: opts.threads, start: 'all' as const }
      : (opts.defaultPool ?? { threads: Math.max(2, Math.min(4, availableParallelism())), start: 'all' as const });
    const filename = opts.workerFile ?? workerFile();
    this.key = JSON.stringify([filename, opts.threads ?? 'default', this.budget.memoryMb]);
    // 'all' (the relay): every thread is started at once, so a message arriving while another is
    // scanned does not wait for a thread to start. 'on-demand': one thread at once, another each
    // time a scan finds every thread busy (piscina), up to the count; idle extra threads end.
    this.workers = acquire(
      this.key,
      () =>
        new Piscina({
          filename,
          minThreads: made.start === 'all' ? made.threads : 1,
          maxThreads: made.threads,
          idleTimeout: 30_000,
          // No run- and wait-time histograms: nothing reads them, and each task would pay for two.
          recordTiming: false,
          // mailauth is loaded by a thread with its first signed message (DKIM is checked in the
          // worker; unsigned mail never needs it there): ≈ 15 MB less per thread that never sees one.
          workerData: { lazyMailauth: true } satisfies ScanWorkerData,
          resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
        }),
    );
  }

  /** Takes the message apart in a worker; never throws — a failure comes back as unscanned facts. */
  async analyze(
    data: Buffer,
    auth: Omit<AuthInput, 'data'> | null,
    protection: Config['protection'],
    services: ScanServices,
  ): Promise<ContentResult> {
    const workers = this.workers;
    if (!workers) return { facts: unscannedFacts(data, 'scanner stopped') };
    // The worker sets this flag when it starts on the task: the time budget counts from then, not
    // while the task waited in the pool's queue. Shared memory, not a message: an unsigned
    // message's analysis (most mail) needs no channel at all — no MessageChannel to make,
    // transfer and close, no 'start' message to wake this thread for.
    const started = new Int32Array(new SharedArrayBuffer(4));
    const channel = auth ? new MessageChannel() : null;
    const abort = new AbortController();
    const timers = new Map<number, TimerHandle>();
    let dnsWaits = 0;
    let used = 0;
    let last = Date.now();
    const tick = setInterval(() => {
      const now = Date.now();
      if (Atomics.load(started, 0) === 1 && dnsWaits === 0) used += now - last;
      last = now;
      if (used > this.budget.timeMs) abort.abort();
    }, TICK_MS);
    channel?.port1.on('message', (m: { t: string; id: number; method?: keyof Resolver; name?: string; type?: string; ms?: number }) => {
      if (m.t === 'dns') {
        dnsWaits++;
        services.resolver[m.method!](m.name!)
          .then(
            (value) => channel.port1.postMessage({ t: 'dns', id: m.id, ok: true, value }),
            (e: unknown) =>
              channel.port1.postMessage({
                t: 'dns',
                id: m.id,
                ok: false,
                kind: e instanceof DnsError ? e.kind : 'servfail',
                name: m.name,
                type: m.type,
              }),
          )
          .finally(() => {
            dnsWaits--;
            last = Date.now();
          });
      } else if (m.t === 'timer') {
        timers.set(
          m.id,
          services.clock.setTimer(m.ms!, () => channel.port1.postMessage({ t: 'timer', id: m.id })),
        );
      } else if (m.t === 'cancel') {
        timers.get(m.id)?.cancel();
        timers.delete(m.id);
      }
    });
    // A large message goes in shared memory (shared-slots.ts): one copy, into pages already
    // there, instead of structured clone's two (serialised here, deserialised there).
    const slot = data.length >= SHARE_FROM ? this.slots.copy(data) : null;
    try {
      const task: ContentTask = {
        data: slot?.view ?? data,
        limits: this.limits,
        auth,
        protection,
        started,
        port: channel?.port2 ?? null,
      };
      const result = (await workers.run(task, { transferList: channel ? [channel.port2] : [], signal: abort.signal })) as ContentResult;
      slot?.giveBack();
      return result;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = abort.signal.aborted
        ? `scan time budget of ${this.budget.timeMs} ms exceeded`
        : code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `scan memory budget of ${this.budget.memoryMb} MB exceeded`
          : `scanner failed: ${(e as Error).message}`;
      return { facts: unscannedFacts(data, why) };
    } finally {
      clearInterval(tick);
      for (const t of timers.values()) t.cancel();
      channel?.port1.close();
    }
  }

  /** Shared memory kept for the next large messages (tests: a slot comes back only from a finished task). */
  get idleSlotBytes(): number {
    return this.slots.idleBytes;
  }

  /** Threads the pool has started so far (tests: on-demand pools start them as scans need them). */
  get threadCount(): number {
    return this.workers?.threads.length ?? 0;
  }

  private warm: Promise<void> | null = null;

  /** Resolves once a worker thread has loaded the scanner (one small task has run). */
  ready(): Promise<void> {
    const off = { dns: false, spf: false, dkim: false, dmarc: false, dnsTimeout: 10 };
    const none = async (): Promise<never> => {
      throw new DnsError('nodata', '', '');
    };
    this.warm ??= this.analyze(Buffer.from('\r\n'), null, off, {
      resolver: { resolveMx: none, resolve4: none, resolve6: none, resolveTxt: none },
      clock: {
        now: () => Date.now(),
        setTimer: (ms, fn) => {
          const t = setTimeout(fn, ms);
          t.unref();
          return { cancel: () => clearTimeout(t) };
        },
      },
    }).then(() => undefined);
    return this.warm;
  }

  async close(): Promise<void> {
    if (!this.workers) return;
    this.workers = null;
    release(this.key);
  }
}
