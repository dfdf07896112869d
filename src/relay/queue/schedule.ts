// Pure retry decisions (Postfix qmgr): backoff doubling from minimal_backoff_time up to
// maximal_backoff_time, queue lifetimes (bounce_queue_lifetime for null-sender mail, capped at
// maximal_queue_lifetime as qmgr does), and which recipients are due now.
import type { Config } from '../../config/schema.js';
import type { MessageMeta, RecipientState } from '../spool.js';

type Advanced = Config['mta']['advanced'];

/** Seconds to wait after this deferral, given the wait used after the previous one. */
export function nextBackoff(previous: number | undefined, adv: Pick<Advanced, 'minimalBackoff' | 'maximalBackoff'>): number {
  const min = adv.minimalBackoff;
  const max = Math.max(adv.maximalBackoff, min);
  if (!previous) return min;
  return Math.min(previous * 2, max);
}

/** A message the relay generated itself, or one with the null sender, is never bounced again. */
export function isBounceLike(meta: Pick<MessageMeta, 'sender' | 'isBounce'>): boolean {
  return meta.sender === '' || !!meta.isBounce;
}

/** Queue lifetime in seconds for this message. */
export function lifetimeFor(
  meta: Pick<MessageMeta, 'sender' | 'isBounce'>,
  adv: Pick<Advanced, 'maximalQueueLifetime' | 'bounceQueueLifetime'>,
): number {
  return isBounceLike(meta) ? Math.min(adv.bounceQueueLifetime, adv.maximalQueueLifetime) : adv.maximalQueueLifetime;
}

/** Has the message been in the queue for its whole lifetime? (0 = try once.) */
export function isExpired(meta: Pick<MessageMeta, 'sender' | 'isBounce' | 'arrivalTime'>, now: number, adv: Advanced): boolean {
  return now - meta.arrivalTime >= lifetimeFor(meta, adv) * 1000;
}

export function isDone(r: Pick<RecipientState, 'status'>): boolean {
  return r.status === 'sent' || r.status === 'bounced' || r.status === 'dropped';
}

/** Recipients to attempt now: new ones, and deferred ones whose time has come. */
export function isDue(r: RecipientState, now: number): boolean {
  return r.status === 'pending' || (r.status === 'deferred' && (r.nextAttemptAt ?? 0) <= now);
}

/** Whether a failure notice goes to the sender for this recipient (NOTIFY=NEVER: none). */
export function wantsFailureNotice(r: Pick<RecipientState, 'notify'>): boolean {
  if (!r.notify?.length) return true;
  return r.notify.some((n) => n.toLowerCase() === 'failure');
}

/**
 * NOTIFY=SUCCESS: a success notice ("Action: relayed") is due when the next hop could not take
 * the request on (it offered no DSN); smtp(8) passes NOTIFY on to one that does.
 */
export function wantsSuccessNotice(r: Pick<RecipientState, 'notify'>): boolean {
  return !!r.notify?.some((n) => n.toLowerCase() === 'success');
}
