// The content scan's worker side (a piscina worker thread): takes the message apart (MIME, zip,
// detectors) and runs SPF/DKIM/DMARC. DNS queries and the DNS-timeout timer are asked of the
// main thread over the task's MessagePort, so the relay's injected resolver and clock (the lab
// DNS, a ManualClock) decide exactly as they do in-process. The main thread may terminate this
// thread at any moment (time budget); nothing here holds state between tasks.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { Clock, TimerHandle } from '../relay/clock.js';
import { systemClock } from '../relay/clock.js';
import { DnsError, resolverFromSpec, type DnsSpec, type MxRecord, type Resolver } from '../relay/resolver.js';
import { analyzeMessage, type MessageFacts, type ScanLimits } from './detect.js';
import type { AuthInput, AuthOutcome } from './mail-auth.js';

/** What the pool tells its threads (pool.ts). */
export interface ScanWorkerData {
  /** Load mailauth with the first message that needs it instead of at thread start. */
  lazyMailauth?: boolean;
}

// mailauth is most of what a thread loads (≈ 0.2 s of CPU, ≈ 15 MB). The pool asks its threads to
// load it with their first message that needs it (a signed one: unsigned mail is authenticated in
// the main thread), so threads that never see one do not hold it; the time budget starts after it.
let mailAuth: Promise<typeof import('./mail-auth.js')> | undefined;
const loadMailAuth = () => (mailAuth ??= import('./mail-auth.js').then(async (m) => (await m.loadMailauth(), m)));
if (!(workerData as ScanWorkerData | undefined)?.lazyMailauth) await loadMailAuth();

export interface ContentTask {
  data: Uint8Array;
  limits: ScanLimits;
  /** Present when a scanning rule needs sender authentication. */
  auth: Omit<AuthInput, 'data'> | null;
  protection: Config['protection'];
  /**
   * [0] is set to 1 when this thread starts on the task (the pool's time budget counts from
   * then); [1] counts the DNS queries this thread has under way (waiting for them is not
   * counted); [2] is 1 while the content analysis runs beside those queries (counted).
   */
  progress: Int32Array;
  /** The relay's DNS servers, to ask directly (real time); null: ask the main thread over `port`. */
  dns: DnsSpec | null;
  /** DNS and timers of the main thread, for sender authentication (auth given); else null. */
  port: MessagePort | null;
}

export interface ContentResult {
  facts: MessageFacts;
  auth?: AuthOutcome;
}

type Reply =
  | { t: 'dns'; id: number; ok: true; value: unknown }
  | { t: 'dns'; id: number; ok: false; kind: DnsError['kind']; name: string; type: string }
  | { t: 'timer'; id: number };

function remote(port: MessagePort): { resolver: Resolver; clock: Clock } {
  let seq = 0;
  const waiting = new Map<number, (r: Reply) => void>();
  port.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    if (!w) return;
    if (r.t === 'dns') waiting.delete(r.id);
    w(r);
  });
  const ask =
    <T>(method: keyof Resolver, type: string) =>
    (name: string): Promise<T> =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        waiting.set(id, (r) => {
          if (r.t !== 'dns') return;
          if (r.ok) resolve(r.value as T);
          else reject(new DnsError(r.kind, r.name, r.type));
        });
        port.postMessage({ t: 'dns', id, method, name, type });
      });
  const resolver: Resolver = {
    resolveMx: ask<MxRecord[]>('resolveMx', 'MX'),
    resolve4: ask<string[]>('resolve4', 'A'),
    resolve6: ask<string[]>('resolve6', 'AAAA'),
    resolveTxt: ask<string[][]>('resolveTxt', 'TXT'),
  };
  const clock: Clock = {
    now: () => Date.now(),
    setTimer(ms: number, fn: () => void): TimerHandle {
      const id = ++seq;
      waiting.set(id, () => {
        waiting.delete(id);
        fn();
      });
      port.postMessage({ t: 'timer', id, ms });
      return {
        cancel: () => {
          waiting.delete(id);
          port.postMessage({ t: 'cancel', id });
        },
      };
    },
  };
  return { resolver, clock };
}

/** One resolver per server list in this thread: its sockets are reused from message to message. */
const ownResolvers = new Map<string, Resolver>();
function ownResolver(spec: DnsSpec): Resolver {
  const key = JSON.stringify(spec);
  let r = ownResolvers.get(key);
  if (!r) ownResolvers.set(key, (r = resolverFromSpec(spec)));
  return r;
}

/** Keeps progress[1] at the number of queries under way, for the pool's time budget. */
function counting(r: Resolver, progress: Int32Array, onQuery: () => void): Resolver {
  const wrap =
    <T>(f: (name: string) => Promise<T>) =>
    async (name: string): Promise<T> => {
      onQuery();
      Atomics.add(progress, 1, 1);
      try {
        return await f(name);
      } finally {
        Atomics.sub(progress, 1, 1);
      }
    };
  return { resolveMx: wrap(r.resolveMx), resolve4: wrap(r.resolve4), resolve6: wrap(r.resolve6), resolveTxt: wrap(r.resolveTxt) };
}

export default async function scanContent(task: ContentTask): Promise<ContentResult> {
  const { port } = task;
  try {
    // Loading code is not the message's running time (as when threads loaded it at start-up).
    const auth = task.auth ? await loadMailAuth() : null;
    // The main thread starts the time budget now, not while the task waited in the pool's queue.
    Atomics.store(task.progress, 0, 1);
    const data = Buffer.from(task.data.buffer, task.data.byteOffset, task.data.byteLength);
    if (task.auth && auth && task.dns) {
      // Sender authentication first, as far as its first DNS queries (SPF's and, a moment later,
      // DMARC's): the content analysis, all CPU, then runs while the answers are on their way.
      let asked!: () => void;
      const queried = new Promise<void>((resolve) => (asked = resolve));
      const resolver = counting(ownResolver(task.dns), task.progress, () => asked());
      const authentication = auth.checkMailAuth({ ...task.auth, data }, task.protection, resolver, systemClock);
      await Promise.race([queried, authentication]);
      await new Promise((resolve) => setImmediate(resolve));
      // Running time, DNS queries or not (progress[2]): the budget counts it.
      Atomics.store(task.progress, 2, 1);
      const facts = analyzeMessage(data, task.limits);
      Atomics.store(task.progress, 2, 0);
      return { facts, auth: await authentication };
    }
    const facts = analyzeMessage(data, task.limits);
    if (!task.auth || !auth || !port) return { facts };
    const { resolver, clock } = remote(port);
    return { facts, auth: await auth.checkMailAuth({ ...task.auth, data }, task.protection, resolver, clock) };
  } finally {
    port?.close();
  }
}
