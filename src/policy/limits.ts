// Client event limits the way Postfix's anvil(8) counts them: concurrent connections and
// connection / message rates per client address in a fixed window (anvil_rate_time_unit = 60 s).
// Time comes from an injected clock so tests and the lab can move it.
import type { Config } from '../config/schema.js';

export const RATE_WINDOW_MS = 60_000;

interface Window {
  start: number;
  count: number;
}

export interface LimitsClock {
  now(): number;
}

export type ConnectVerdict = { ok: true } | { ok: false; reason: 'count' | 'rate'; count: number; rate: number };

export class ClientLimits {
  private readonly concurrent = new Map<string, number>();
  private readonly connectRates = new Map<string, Window>();
  private readonly mailRates = new Map<string, Window>();

  constructor(private readonly clock: LimitsClock) {}

  private bump(map: Map<string, Window>, key: string): number {
    const now = this.clock.now();
    let w = map.get(key);
    if (!w || now - w.start >= RATE_WINDOW_MS) {
      w = { start: now, count: 0 };
      map.set(key, w);
    }
    w.count += 1;
    return w.count;
  }

  /**
   * A connection from `ip` (already counted here; call disconnect() when it ends, whatever the
   * verdict). Postfix refuses when count > limit or rate > limit, 0 meaning no limit.
   */
  connect(config: Config, ip: string): ConnectVerdict {
    const count = (this.concurrent.get(ip) ?? 0) + 1;
    this.concurrent.set(ip, count);
    const rate = this.bump(this.connectRates, ip);
    const { connectionCountLimit, connectionRateLimit } = config.mta.advanced;
    if (connectionCountLimit > 0 && count > connectionCountLimit) return { ok: false, reason: 'count', count, rate };
    if (connectionRateLimit > 0 && rate > connectionRateLimit) return { ok: false, reason: 'rate', count, rate };
    return { ok: true };
  }

  disconnect(ip: string): void {
    const n = (this.concurrent.get(ip) ?? 0) - 1;
    if (n > 0) this.concurrent.set(ip, n);
    else this.concurrent.delete(ip);
  }

  /** A MAIL command from `ip`: counted whether or not it is accepted. true = within the limit. */
  mail(config: Config, ip: string): boolean {
    const limit = config.mta.advanced.messageRateLimit;
    const rate = this.bump(this.mailRates, ip);
    return !(limit > 0 && rate > limit);
  }

  /** Concurrent connections now counted for `ip` (for tests and logs). */
  connections(ip: string): number {
    return this.concurrent.get(ip) ?? 0;
  }
}

/** Postfix's smtpd_hard_error_limit (20), smtpd_soft_error_limit (10), smtpd_error_sleep_time (1 s), smtpd_recipient_limit (1000). */
export const HARD_ERROR_LIMIT = 20;
export const SOFT_ERROR_LIMIT = 10;
export const ERROR_SLEEP_MS = 1000;
/** smtpd_recipient_overshoot_limit: RCPTs past the recipient limit that are not yet errors. */
export const RECIPIENT_OVERSHOOT_LIMIT = 1000;
export const RECIPIENT_LIMIT = 1000;
export const JUNK_COMMAND_LIMIT = 100;

/** Counts errors per session like smtpd's state->error_count; a delivered message forgives them. */
export class ErrorCounter {
  private errors = 0;
  constructor(readonly limit = HARD_ERROR_LIMIT) {}
  /** Call with the code of every reply to a command. */
  record(code: number): void {
    if (code >= 400) this.errors += 1;
  }
  /** smtpd_junk_command_limit: NOOP/RSET/VRFY/ETRN/HELO/EHLO past 100 per session count as errors. */
  private junk = 0;
  recordJunk(limit = JUNK_COMMAND_LIMIT): void {
    if (this.junk++ > limit) this.errors += 1;
  }
  reset(): void {
    this.errors = 0;
    this.junk = 0;
  }
  get count(): number {
    return this.errors;
  }
  /** Delay before the next reply (ms): smtpd_error_sleep_time once the soft limit is reached. */
  tarpit(): number {
    return this.errors >= SOFT_ERROR_LIMIT ? ERROR_SLEEP_MS : 0;
  }
  /** Checked before reading the next command: true → `421 4.7.0 <h> Error: too many errors`. */
  exceeded(): boolean {
    return this.errors >= this.limit;
  }
}
