// Queue timing as Postfix advises (postconf(5)): minimal_backoff_time ≥ queue_run_delay,
// minimal ≤ maximal backoff, bounce_queue_lifetime ≤ maximal_queue_lifetime.
import { advancedSchema, formatDuration } from '../../config/schema.js';
import type { AuditCheck } from '../types.js';
import { advancedFieldPath } from '../ui.js';

const DEFAULTS = advancedSchema.parse({});
const fmt = (s: number) => {
  const f = formatDuration(s);
  return f.endsWith('s') ? `${s} s` : `${f} = ${s} s`;
};

export const queueChecks: AuditCheck[] = [
  {
    id: 'queue.run-delay-above-minimal-backoff',
    severity: 'warning',
    title: 'The deferred queue is scanned at least as often as the minimal backoff',
    run(c) {
      const a = c.mta.advanced;
      if (a.queueRunDelay <= a.minimalBackoff) return [];
      const ksmgDefaults = a.queueRunDelay === DEFAULTS.queueRunDelay && a.minimalBackoff === DEFAULTS.minimalBackoff;
      return [{
        severity: ksmgDefaults ? 'info' : 'warning',
        message: `The deferred queue processing interval (queueRunDelay, ${fmt(a.queueRunDelay)}) is longer than the ` +
          `minimum delivery interval for the deferred queue (minimalBackoff, ${fmt(a.minimalBackoff)}). Postfix ` +
          'advises minimal_backoff_time ≥ queue_run_delay: the queue is only scanned every ' +
          `${formatDuration(a.queueRunDelay)}, so a deferred message waits that long, not ${formatDuration(a.minimalBackoff)}, ` +
          'before its next attempt.' + (ksmgDefaults ? ' These are the KSMG 1.1 defaults.' : ''),
        path: 'mta.advanced.queueRunDelay',
        fix: `Set queueRunDelay to at most ${formatDuration(a.minimalBackoff)}, or raise minimalBackoff to at least ${formatDuration(a.queueRunDelay)}.`,
        uiPath: advancedFieldPath('queueRunDelay'),
        patch: [{ op: 'set', path: 'mta.advanced.queueRunDelay', value: a.minimalBackoff }],
      }];
    },
  },
  {
    id: 'queue.backoff-order',
    severity: 'warning',
    title: 'Minimal backoff is not above maximal backoff',
    run(c) {
      const a = c.mta.advanced;
      if (a.minimalBackoff <= a.maximalBackoff) return [];
      return [{
        message: `The minimum delivery interval (minimalBackoff, ${fmt(a.minimalBackoff)}) is longer than the maximum ` +
          `(maximalBackoff, ${fmt(a.maximalBackoff)}); Postfix then retries every ${formatDuration(a.maximalBackoff)} and the minimum has no effect.`,
        path: 'mta.advanced.minimalBackoff',
        fix: 'Make minimalBackoff smaller than maximalBackoff (KSMG defaults: 300s and 4000s).',
        uiPath: advancedFieldPath('minimalBackoff'),
      }];
    },
  },
  {
    id: 'queue.bounce-lifetime',
    severity: 'warning',
    title: 'Bounce lifetime is not above message lifetime',
    run(c) {
      const a = c.mta.advanced;
      if (a.bounceQueueLifetime <= a.maximalQueueLifetime) return [];
      return [{
        message: `The queue lifetime for bounce messages (bounceQueueLifetime, ${fmt(a.bounceQueueLifetime)}) is longer ` +
          `than for messages (maximalQueueLifetime, ${fmt(a.maximalQueueLifetime)}); Postfix caps it at the message ` +
          'lifetime and logs a warning, so the longer value never applies.',
        path: 'mta.advanced.bounceQueueLifetime',
        fix: `Set bounceQueueLifetime to at most ${formatDuration(a.maximalQueueLifetime)}.`,
        uiPath: advancedFieldPath('bounceQueueLifetime'),
        patch: [{ op: 'set', path: 'mta.advanced.bounceQueueLifetime', value: a.maximalQueueLifetime }],
      }];
    },
  },
];
