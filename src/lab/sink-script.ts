// The scripted behaviour of a recording sink (sink.ts): canned replies a scenario gives a simulated
// host ("451 at RCPT for the first 2 attempts", "drop the connection after 1 MB of DATA"), and the
// seeded generator that makes a `chance:` repeat from run to run.
import { parseDuration } from '../config/schema.js';
import { evalSize } from './expand.js';

export type SinkStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** A scripted answer: "reply 451 at RCPT for the first 2 attempts" or "until lab time T". */
export interface CannedReply {
  stage: SinkStage;
  /** The reply; without one (and without drop) the host answers normally, after `delayMs`. */
  code?: number;
  text?: string;
  /** Only for the first N attempts at that stage (then normal behaviour). */
  times?: number;
  /** Only while the lab clock is before this time (ms). */
  until?: number;
  /** Close the connection instead of answering (at data: after the whole message, before the reply). */
  drop?: boolean;
  /** Stage data only: close the connection once this many bytes of the message have arrived. */
  dropAfterBytes?: number;
  /** Answer this much later (real time: the relay's SMTP timeouts are real time too). */
  delayMs?: number;
  /** Stage rcpt only: only for this recipient (case-insensitive). */
  recipient?: string;
  /** Applies to an attempt with this probability (0–1), drawn from a generator seeded with `seed`. */
  chance?: number;
  seed?: number;
}

/** mulberry32: a small, fast, seeded generator; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed used when a scenario gives `chance:` without `seed:` (logged with the scenario). */
export const DEFAULT_SINK_SEED = 1;

/** A scenario's `hosts.<sel>.reply` entry (placeholders filled) → the sink's scripted answer. */
export function cannedFromSpec(
  spec: {
    stage: SinkStage;
    code?: number;
    text?: string;
    times?: number;
    drop?: boolean;
    dropAfter?: string | number;
    delay?: string | number;
    recipient?: string;
    chance?: number;
    seed?: number;
  },
  until: number | undefined,
): CannedReply {
  const size = spec.dropAfter === undefined ? undefined : (evalSize(spec.dropAfter) ?? undefined);
  const delay = spec.delay === undefined ? null : parseDuration(spec.delay);
  return {
    stage: spec.stage,
    code: spec.code,
    text: spec.text,
    times: spec.times,
    until,
    drop: spec.drop,
    dropAfterBytes: size,
    delayMs: delay === null ? undefined : delay * 1000,
    recipient: spec.recipient,
    chance: spec.chance,
    seed: spec.seed,
  };
}
