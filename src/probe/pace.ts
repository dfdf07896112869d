// Bounds for probing a production gateway: connections are spaced to a rate (and kept under the
// gateway's own anvil limits, so a probe does not lock this host out), and the whole probe has a
// deadline. Time is injected so the pacing is testable without sleeping.
import type { Config } from '../config/schema.js';

export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PaceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Default connections per second when --rate is not given. */
export const DEFAULT_RATE = 2;

/** At most this share of the gateway's per-minute limits. */
const LIMIT_SHARE = 0.8;

/**
 * Connections per second a probe may open: the asked rate, capped below the config's connection
 * rate limit and message rate limit (each probe session sends up to two MAIL commands) unless
 * the limits themselves are under test.
 */
export function effectiveRate(config: Config, asked: number | undefined, testingLimits: boolean): { rate: number; capped: string | null } {
  let rate = asked ?? DEFAULT_RATE;
  let capped: string | null = null;
  if (testingLimits) return { rate, capped };
  const adv = config.mta.advanced;
  const caps: Array<[number, string]> = [];
  if (adv.connectionRateLimit > 0)
    caps.push([(adv.connectionRateLimit * LIMIT_SHARE) / 60, `mta.advanced.connectionRateLimit ${adv.connectionRateLimit}/min`]);
  if (adv.messageRateLimit > 0)
    caps.push([(adv.messageRateLimit * LIMIT_SHARE) / 60 / 2, `mta.advanced.messageRateLimit ${adv.messageRateLimit}/min`]);
  for (const [cap, why] of caps) {
    if (cap < rate) {
      rate = cap;
      capped = why;
    }
  }
  return { rate, capped };
}

/** Spaces calls of next() at least 1/rate seconds apart, across concurrent callers. */
export class Pacer {
  private nextAt = 0;
  constructor(
    private readonly perSecond: number,
    private readonly clock: PaceClock = realClock,
  ) {}

  async next(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + (this.perSecond > 0 && Number.isFinite(this.perSecond) ? 1000 / this.perSecond : 0);
    if (at > now) await this.clock.sleep(at - now);
  }
}

/** "5/s", "5", "30/min", "0.5/s" → connections per second; null when unreadable. */
export function parseRate(text: string): number | null {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?$/i);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  return m[2] && /^m/i.test(m[2]) ? n / 60 : n;
}
