// Rule sender/recipient /regular expressions/ the linear-time engine (RE2) refuses. The loader
// already refuses such a file with its line; this check covers a Config built any other way
// (the wizard, a program) so a refused pattern is reported, never silently "never matches".
import { regexEntryProblem } from '../../config/rule-pattern.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

export const rulePatternChecks: AuditCheck[] = [
  {
    id: 'rules.regex-refused',
    severity: 'error',
    title: 'Rule regular expressions run in linear time (RE2 syntax)',
    run(c, t = tEn) {
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        for (const list of ['senders', 'recipients'] as const) {
          rule[list].forEach((p, j) => {
            const problem = regexEntryProblem(p);
            if (!problem) return;
            out.push({
              message: t('finding.rules.regex-refused.message', { name: rule.name, problem }),
              path: `rules[${i}].${list}[${j}]`,
              fix: t('finding.rules.regex-refused.fix'),
              uiPath: UI.rules,
            });
          });
        }
      });
      return out;
    },
  },
];
