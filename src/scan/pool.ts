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
import type { ContentResult } from './worker.js';

export interface ScanBudget {
  /** Running time per message, ms (DNS waits excluded). */
  timeMs: number;
  /** Old-generation heap per worker thread, MB. */
  memoryMb: number;
}

export const DEFAULT_SCAN_BUDGET: ScanBudget = { timeMs: 10_000, memoryMb: 256 };

export interface ScanPoolOptions {
  resolver: Resolver;
  clock: Clock;
  budget?: Partial<ScanBudget>;
  limits?: Partial<ScanLimits>;
  /** Worker threads (default: the CPU count, 1–4). */
  threads?: number;
  /** Another worker module (a URL) with the same task contract — tests that need a worker that hangs. */
  workerFile?: string;
}

const TICK_MS = 25;

function workerFile(): string {
  // From the TypeScript sources the worker needs the tsx loader (worker-boot.mjs); built, it is worker.js.
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './worker-boot.mjs' : './worker.js', import.meta.url).href;
}

export class ScanPool {
  readonly budget: ScanBudget;
  readonly limits: ScanLimits;
  private pool: Piscina | null = null;

  constructor(private readonly opts: ScanPoolOptions) {
    this.budget = { ...DEFAULT_SCAN_BUDGET, ...opts.budget };
    this.limits = { ...DEFAULT_SCAN_LIMITS, ...opts.limits };
  }

  private get workers(): Piscina {
    // Created on first use: a relay that never scans (tests, --no-scan paths) starts no thread.
    const threads = this.opts.threads ?? Math.max(1, Math.min(4, availableParallelism()));
    // Every thread started at once: a message arriving while another is scanned must not wait
    // for a thread to start (loading the scanner takes a while on a busy machine).
    this.pool ??= new Piscina({
      filename: this.opts.workerFile ?? workerFile(),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    return this.pool;
  }

  /** Takes the message apart in a worker; never throws — a failure comes back as unscanned facts. */
  async analyze(data: Buffer, auth: Omit<AuthInput, 'data'> | null, protection: Config['protection']): Promise<ContentResult> {
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    const timers = new Map<number, TimerHandle>();
    let started = false;
    let dnsWaits = 0;
    let used = 0;
    let last = Date.now();
    const tick = setInterval(() => {
      const now = Date.now();
      if (started && dnsWaits === 0) used += now - last;
      last = now;
      if (used > this.budget.timeMs) abort.abort();
    }, TICK_MS);
    port1.on('message', (m: { t: string; id: number; method?: keyof Resolver; name?: string; type?: string; ms?: number }) => {
      if (m.t === 'start') {
        started = true;
        last = Date.now();
      } else if (m.t === 'dns') {
        dnsWaits++;
        this.opts.resolver[m.method!](m.name!).then(
          (value) => port1.postMessage({ t: 'dns', id: m.id, ok: true, value }),
          (e: unknown) => port1.postMessage({ t: 'dns', id: m.id, ok: false, kind: e instanceof DnsError ? e.kind : 'servfail', name: m.name, type: m.type }),
        ).finally(() => {
          dnsWaits--;
          last = Date.now();
        });
      } else if (m.t === 'timer') {
        timers.set(m.id, this.opts.clock.setTimer(m.ms!, () => port1.postMessage({ t: 'timer', id: m.id })));
      } else if (m.t === 'cancel') {
        timers.get(m.id)?.cancel();
        timers.delete(m.id);
      }
    });
    try {
      return (await this.workers.run(
        { data, limits: this.limits, auth, protection, port: port2 },
        { transferList: [port2], signal: abort.signal },
      )) as ContentResult;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = abort.signal.aborted ? `scan time budget of ${this.budget.timeMs} ms exceeded`
        : code === 'ERR_WORKER_OUT_OF_MEMORY' ? `scan memory budget of ${this.budget.memoryMb} MB exceeded`
        : `scanner failed: ${(e as Error).message}`;
      return { facts: unscannedFacts(data, why) };
    } finally {
      clearInterval(tick);
      for (const t of timers.values()) t.cancel();
      port1.close();
    }
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    await p?.destroy();
  }
}
