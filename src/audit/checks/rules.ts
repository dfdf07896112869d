// Rule actions: behind an edge gateway every Reject becomes a non-delivery report from the edge
// gateway (backscatter), so seed step 5 replaces Reject with Delete message in every rule and module.
import { RULE_MODE_LABELS, ruleActions, ruleUiPath, type RuleAction } from '../../config/rule-actions.js';
import type { AuditCheck, Draft } from '../types.js';

const joinAnd = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

const BACKSCATTER =
  'Behind an edge gateway a reject reaches the edge gateway after it has already accepted the message, so the ' +
  'edge gateway sends a non-delivery report to the sender, who is often forged: backscatter (seed step 5).';

export const ruleChecks: AuditCheck[] = [
  {
    id: 'rules.reject-behind-edge',
    severity: 'error',
    title: 'Behind an edge gateway, no rule or scan module rejects',
    run(c) {
      if (c.integration === 'edge') return [];
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        if (!rule.enabled) return;
        if (rule.mode === 'reject') {
          out.push({
            message: `Rule "${rule.name}" is set to "${RULE_MODE_LABELS.reject}". ${BACKSCATTER}`,
            path: `rules[${i}].mode`,
            fix: `Set the mode of rule "${rule.name}" to "${RULE_MODE_LABELS.delete}" (mode: delete).`,
            uiPath: ruleUiPath(rule),
            patch: [{ op: 'set', path: `rules[${i}].mode`, value: 'delete' }],
          });
        }
        for (const a of ruleActions(rule, i)) {
          if (!a.active || a.action !== 'reject') continue;
          out.push({
            message: `Rule "${rule.name}": the ${a.moduleLabel} action for ${a.label} is Reject. ${BACKSCATTER}`,
            path: a.path,
            fix: `Set it to Delete message (${a.module}.${a.key}: delete-message).`,
            uiPath: ruleUiPath(rule, a.module),
            patch: [{ op: 'set', path: a.path, value: 'delete-message' }],
          });
        }
      });
      return out;
    },
  },
  {
    id: 'rules.inactive-reject-behind-edge',
    severity: 'info',
    title: 'Behind an edge gateway, switched-off modules have no Reject waiting',
    run(c) {
      if (c.integration === 'edge') return [];
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        if (!rule.enabled || rule.mode !== 'scan') return;
        const byModule = new Map<string, RuleAction[]>();
        for (const a of ruleActions(rule, i)) {
          if (a.active || a.action !== 'reject') continue;
          byModule.set(a.module, [...(byModule.get(a.module) ?? []), a]);
        }
        for (const actions of byModule.values()) {
          const a = actions[0]!;
          const labels = actions.map((x) => `"${x.label}"`);
          const what = labels.length === 1 ? `action for ${labels[0]} is` : `actions for ${joinAnd(labels)} are`;
          out.push({
            message: `Rule "${rule.name}": ${a.moduleLabel} is off, but its ${what} Reject. ` +
              'If the module is turned on later, these rejects cause backscatter from the edge gateway.',
            path: a.path,
            fix: `Set ${joinAnd(actions.map((x) => `${x.module}.${x.key}`))} to delete-message now, so turning the module on is safe.`,
            uiPath: ruleUiPath(rule, a.module),
            patch: actions.map((x) => ({ op: 'set' as const, path: x.path, value: 'delete-message' })),
          });
        }
      });
      return out;
    },
  },
  {
    id: 'rules.duplicate-name',
    severity: 'warning',
    title: 'Rule names are unique',
    run(c) {
      const seen = new Map<string, number>();
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        const j = seen.get(rule.name);
        if (j === undefined) { seen.set(rule.name, i); return; }
        out.push({
          message: `Two rules are named "${rule.name}" (rules[${j}] and rules[${i}]); in the web UI, the runbook and ` +
            'the X-KSMG-Rule-ID headers they cannot be told apart.',
          path: `rules[${i}].name`,
          fix: `Rename one of them, or merge them into one rule.`,
          uiPath: ruleUiPath(rule),
        });
      });
      return out;
    },
  },
];
