// Advanced MTA settings that are valid on their own but wrong for SMTP.
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

export const advancedChecks: AuditCheck[] = [
  {
    id: 'advanced.greeting-hostname',
    severity: 'warning',
    title: 'The SMTP greeting starts with the host name',
    run(c, t = tEn) {
      const g = c.mta.advanced.greeting.trim();
      const first = g.split(/\s+/)[0] ?? '';
      if (first === '$myhostname' || first.toLowerCase() === c.mta.hostname.toLowerCase()) return [];
      return [
        {
          message: t('finding.advanced.greeting-hostname.message', { greeting: g }),
          path: 'mta.advanced.greeting',
          fix: t('finding.advanced.greeting-hostname.fix'),
          uiPath: `${UI.advanced} > SMTP greeting text`,
          patch: [{ op: 'set', path: 'mta.advanced.greeting', value: '$myhostname ESMTP MTA' }],
        },
      ];
    },
  },
];
