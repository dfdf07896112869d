// The content scan's worker side (a piscina worker thread): takes the message apart (MIME, zip,
// detectors) and runs SPF/DKIM/DMARC. DNS queries and the DNS-timeout timer are asked of the
// main thread over the task's MessagePort, so the relay's injected resolver and clock (the lab
// DNS, a ManualClock) decide exactly as they do in-process. The main thread may terminate this
// thread at any moment (time budget); nothing here holds state between tasks.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { Clock, TimerHandle } from '../relay/clock.js';
import { DnsError, type MxRecord, type Resolver } from '../relay/resolver.js';
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
  /** Set to 1 when this thread starts on the task (the pool's time budget counts from then). */
  started: Int32Array;
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

export default async function scanContent(task: ContentTask): Promise<ContentResult> {
  const { port } = task;
  try {
    // Loading code is not the message's running time (as when threads loaded it at start-up).
    const auth = task.auth ? await loadMailAuth() : null;
    // The main thread starts the time budget now, not while the task waited in the pool's queue.
    Atomics.store(task.started, 0, 1);
    const data = Buffer.from(task.data.buffer, task.data.byteOffset, task.data.byteLength);
    const facts = analyzeMessage(data, task.limits);
    if (!task.auth || !auth || !port) return { facts };
    const { resolver, clock } = remote(port);
    return { facts, auth: await auth.checkMailAuth({ ...task.auth, data }, task.protection, resolver, clock) };
  } finally {
    port?.close();
  }
}
