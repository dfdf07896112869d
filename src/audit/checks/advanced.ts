// Advanced MTA settings that are valid on their own but wrong for SMTP.
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';

export const advancedChecks: AuditCheck[] = [
  {
    id: 'advanced.greeting-hostname',
    severity: 'warning',
    title: 'The SMTP greeting starts with the host name',
    run(c) {
      const g = c.mta.advanced.greeting.trim();
      const first = g.split(/\s+/)[0] ?? '';
      if (first === '$myhostname' || first.toLowerCase() === c.mta.hostname.toLowerCase()) return [];
      return [{
        message: `The SMTP greeting text "${g}" does not start with $myhostname. The 220 greeting must begin with ` +
          'the server\'s own name (RFC 5321; Postfix: "You MUST specify $myhostname at the start"), and some ' +
          'senders treat a greeting without it as a protocol error.',
        path: 'mta.advanced.greeting',
        fix: `Start the greeting with $myhostname, e.g. "$myhostname ESMTP MTA" (the KSMG default).`,
        uiPath: `${UI.advanced} > SMTP greeting text`,
        patch: [{ op: 'set', path: 'mta.advanced.greeting', value: '$myhostname ESMTP MTA' }],
      }];
    },
  },
];
