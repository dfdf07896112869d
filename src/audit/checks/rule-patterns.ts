// Rule sender/recipient /regular expressions/ the linear-time engine (RE2) refuses. The loader
// already refuses such a file with its line; this check covers a Config built any other way
// (the wizard, a program) so a refused pattern is reported, never silently "never matches".
import { regexEntryProblem } from '../../config/rule-pattern.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';

export const rulePatternChecks: AuditCheck[] = [
  {
    id: 'rules.regex-refused',
    severity: 'error',
    title: 'Rule regular expressions run in linear time (RE2 syntax)',
    run(c) {
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        for (const list of ['senders', 'recipients'] as const) {
          rule[list].forEach((p, j) => {
            const problem = regexEntryProblem(p);
            if (!problem) return;
            out.push({
              message: `Rule "${rule.name}": ${problem}. The rule would never match this entry.`,
              path: `rules[${i}].${list}[${j}]`,
              fix: 'Rewrite the expression without backreferences or lookaround (RE2 syntax), or use an address mask with * and ?.',
              uiPath: UI.rules,
            });
          });
        }
      });
      return out;
    },
  },
];
