// Queue timing as Postfix advises (postconf(5)): minimal_backoff_time ≥ queue_run_delay,
// minimal ≤ maximal backoff, bounce_queue_lifetime ≤ maximal_queue_lifetime.
import { advancedSchema, formatDuration } from '../../config/schema.js';
import type { AuditCheck } from '../types.js';
import { advancedFieldPath } from '../ui.js';
import { tEn } from '../../i18n/index.js';

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
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.queueRunDelay <= a.minimalBackoff) return [];
      const ksmgDefaults = a.queueRunDelay === DEFAULTS.queueRunDelay && a.minimalBackoff === DEFAULTS.minimalBackoff;
      return [
        {
          severity: ksmgDefaults ? 'info' : 'warning',
          message:
            t('finding.queue.run-delay-above-minimal-backoff.message', {
              runDelay: fmt(a.queueRunDelay),
              minimal: fmt(a.minimalBackoff),
              runDelayShort: formatDuration(a.queueRunDelay),
              minimalShort: formatDuration(a.minimalBackoff),
            }) + (ksmgDefaults ? t('finding.queue.run-delay-above-minimal-backoff.ksmgDefaults') : ''),
          path: 'mta.advanced.queueRunDelay',
          fix: t('finding.queue.run-delay-above-minimal-backoff.fix', {
            minimalShort: formatDuration(a.minimalBackoff),
            runDelayShort: formatDuration(a.queueRunDelay),
          }),
          uiPath: advancedFieldPath('queueRunDelay'),
          patch: [{ op: 'set', path: 'mta.advanced.queueRunDelay', value: a.minimalBackoff }],
        },
      ];
    },
  },
  {
    id: 'queue.backoff-order',
    severity: 'warning',
    title: 'Minimal backoff is not above maximal backoff',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.minimalBackoff <= a.maximalBackoff) return [];
      return [
        {
          message: t('finding.queue.backoff-order.message', {
            minimal: fmt(a.minimalBackoff),
            maximal: fmt(a.maximalBackoff),
            maximalShort: formatDuration(a.maximalBackoff),
          }),
          path: 'mta.advanced.minimalBackoff',
          fix: t('finding.queue.backoff-order.fix'),
          uiPath: advancedFieldPath('minimalBackoff'),
        },
      ];
    },
  },
  {
    id: 'queue.bounce-lifetime',
    severity: 'warning',
    title: 'Bounce lifetime is not above message lifetime',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.bounceQueueLifetime <= a.maximalQueueLifetime) return [];
      return [
        {
          message: t('finding.queue.bounce-lifetime.message', { bounce: fmt(a.bounceQueueLifetime), maximal: fmt(a.maximalQueueLifetime) }),
          path: 'mta.advanced.bounceQueueLifetime',
          fix: t('finding.queue.bounce-lifetime.fix', { maximalShort: formatDuration(a.maximalQueueLifetime) }),
          uiPath: advancedFieldPath('bounceQueueLifetime'),
          patch: [{ op: 'set', path: 'mta.advanced.bounceQueueLifetime', value: a.maximalQueueLifetime }],
        },
      ];
    },
  },
];
