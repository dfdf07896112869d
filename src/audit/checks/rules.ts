// Rule actions: behind an edge gateway every Reject becomes a non-delivery report from the edge
// gateway (backscatter), so seed step 5 replaces Reject with Delete message in every rule and module.
import { RULE_MODE_LABELS, ruleActions, ruleUiPath, type RuleAction } from '../../config/rule-actions.js';
import type { AuditCheck, Draft } from '../types.js';
import { RULE_LABELS_CS } from '../ui.js';
import { tEn, type Translate } from '../../i18n/index.js';

const joinAnd = (t: Translate, xs: string[]) =>
  xs.length <= 1 ? xs.join('') : t('list.and', { items: xs.slice(0, -1).join(', '), last: xs[xs.length - 1]! });

/** Rule labels in the audit's language (English ones: src/config/rule-actions.ts; Czech: ../ui.ts). */
function labels(t: Translate) {
  const cs = t.lang === 'cs';
  return {
    mode: (m: 'reject' | 'delete') => (cs ? RULE_LABELS_CS.modes[m]! : RULE_MODE_LABELS[m]),
    module: (a: RuleAction) => (cs ? RULE_LABELS_CS.modules[a.module] : a.moduleLabel),
    what: (a: RuleAction) => (cs ? (RULE_LABELS_CS.what[`${a.module}.${a.key}`] ?? a.label) : a.label),
    reject: cs ? RULE_LABELS_CS.actions.reject! : 'Reject',
    deleteMessage: cs ? RULE_LABELS_CS.actions['delete-message']! : 'Delete message',
  };
}

export const ruleChecks: AuditCheck[] = [
  {
    id: 'rules.reject-behind-edge',
    severity: 'error',
    title: 'Behind an edge gateway, no rule or scan module rejects',
    run(c, t = tEn) {
      if (c.integration === 'edge') return [];
      const out: Draft[] = [];
      const L = labels(t);
      const backscatter = t('finding.rules.backscatter');
      c.rules.forEach((rule, i) => {
        if (!rule.enabled) return;
        if (rule.mode === 'reject') {
          out.push({
            message: t('finding.rules.reject-behind-edge.mode.message', { name: rule.name, rejectMode: L.mode('reject'), backscatter }),
            path: `rules[${i}].mode`,
            fix: t('finding.rules.reject-behind-edge.mode.fix', { name: rule.name, deleteMode: L.mode('delete') }),
            uiPath: ruleUiPath(rule),
            patch: [{ op: 'set', path: `rules[${i}].mode`, value: 'delete' }],
          });
        }
        for (const a of ruleActions(rule, i)) {
          if (!a.active || a.action !== 'reject') continue;
          out.push({
            message: t('finding.rules.reject-behind-edge.action.message', {
              name: rule.name,
              module: L.module(a),
              what: L.what(a),
              reject: L.reject,
              backscatter,
            }),
            path: a.path,
            fix: t('finding.rules.reject-behind-edge.action.fix', { deleteMessage: L.deleteMessage, key: `${a.module}.${a.key}` }),
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
    run(c, t = tEn) {
      if (c.integration === 'edge') return [];
      const out: Draft[] = [];
      const L = labels(t);
      c.rules.forEach((rule, i) => {
        if (!rule.enabled || rule.mode !== 'scan') return;
        const byModule = new Map<string, RuleAction[]>();
        for (const a of ruleActions(rule, i)) {
          if (a.active || a.action !== 'reject') continue;
          byModule.set(a.module, [...(byModule.get(a.module) ?? []), a]);
        }
        for (const actions of byModule.values()) {
          const a = actions[0]!;
          const quoted = actions.map((x) => t('list.quoted', { item: L.what(x) }));
          out.push({
            message: t('finding.rules.inactive-reject-behind-edge.message', {
              count: actions.length,
              name: rule.name,
              module: L.module(a),
              labels: joinAnd(t, quoted),
              reject: L.reject,
            }),
            path: a.path,
            fix: t('finding.rules.inactive-reject-behind-edge.fix', {
              keys: joinAnd(
                t,
                actions.map((x) => `${x.module}.${x.key}`),
              ),
            }),
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
    run(c, t = tEn) {
      const seen = new Map<string, number>();
      const out: Draft[] = [];
      c.rules.forEach((rule, i) => {
        const j = seen.get(rule.name);
        if (j === undefined) {
          seen.set(rule.name, i);
          return;
        }
        out.push({
          message: t('finding.rules.duplicate-name.message', { name: rule.name, first: j, second: i }),
          path: `rules[${i}].name`,
          fix: t('finding.rules.duplicate-name.fix'),
          uiPath: ruleUiPath(rule),
        });
      });
      return out;
    },
  },
];
