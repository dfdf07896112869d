// Step 6: behind an edge gateway every Reject in the rules becomes Delete message (seed step 5),
// and the admin sees each change before it is made.
import { RULE_LABELS_CS } from '../../audit/ui.js';
import { ACTION_LABELS, MODULE_ACTIONS, RULE_MODE_LABELS } from '../../config/rule-actions.js';
import { ruleSchema, type Config } from '../../config/schema.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { rejectSettings, replaceRejectWithDelete } from '../../policy/rules.js';
import {
  explain,
  given,
  isBehindEdge,
  prefer,
  schemeOf,
  type Preference,
  type RuleInput,
  type StepAnswers,
  type StepIo,
} from '../context.js';
import type { Step } from './types.js';

/** Reads the scheme; reads and writes the rules and the Reject → Delete message decision. */
export type ScanActionsStepContext = StepIo &
  Preference &
  StepAnswers<'integration' | 'rules' | 'rejectToDelete' | 'rejectChanges'> & { current?: Pick<Config, 'integration' | 'rules'> };

export interface RejectChange {
  ruleIndex: number;
  ruleName: string;
  path: string[];
  text: string;
  replacement: string;
}

function getIn(obj: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** How the web UI words a reject setting (`mode` or `module.key`) and its Delete equivalent. */
function describe(path: string, t: Translate): string {
  // The rule labels of the web UI in the admin's language (Czech: src/audit/ui.ts, "Odmítnout" →
  // "Odstranit zprávu" as seed 000 step 5 writes them).
  const cs = t.lang === 'cs';
  const modes = cs ? RULE_LABELS_CS.modes : RULE_MODE_LABELS;
  const actions = cs ? RULE_LABELS_CS.actions : ACTION_LABELS;
  if (path === 'mode') return `${t('wizard.scan.ruleMode')}: ${modes.reject} → ${modes.delete}`;
  const [module, key] = path.split('.');
  const spec = MODULE_ACTIONS.find((a) => a.module === module && a.key === key);
  const moduleLabel = spec && cs ? RULE_LABELS_CS.modules[spec.module] : spec?.moduleLabel;
  const label = spec && cs ? (RULE_LABELS_CS.what[`${spec.module}.${spec.key}`] ?? spec.label) : spec?.label;
  const what = spec ? `${moduleLabel} › ${label}` : path;
  return `${what}: ${actions.reject} → ${actions['delete-message']}`;
}

/**
 * Every Reject in the rules (read with the schema's defaults filled in), found and replaced by the
 * scan engine's own functions, so the wizard, the audit and the lab agree on what "every Reject" is.
 */
export function findRejects(rules: readonly RuleInput[], t: Translate = tEn): RejectChange[] {
  const out: RejectChange[] = [];
  rules.forEach((input, ruleIndex) => {
    const rule = ruleSchema.parse(input);
    const replaced = replaceRejectWithDelete(rule);
    for (const p of rejectSettings(rule)) {
      const path = p.split('.');
      out.push({
        ruleIndex,
        ruleName: rule.name,
        path,
        text: `${rule.name} › ${describe(p, t)}`,
        replacement: String(getIn(replaced, path)),
      });
    }
  });
  return out;
}

/** The rules with the changes made; only the changed keys are added to a rule written sparsely (a fresh file stays short). */
export function applyRejectChanges(rules: readonly RuleInput[], changes: readonly RejectChange[]): RuleInput[] {
  const out = structuredClone(rules as RuleInput[]) as Array<Record<string, unknown>>;
  for (const c of changes) {
    let node = out[c.ruleIndex]!;
    for (const k of c.path.slice(0, -1)) {
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[c.path[c.path.length - 1]!] = c.replacement;
  }
  return out as RuleInput[];
}

export const scanActionsStep: Step<ScanActionsStepContext> = {
  id: 'scan-actions',
  title: 'wizard.scan.title',
  async run(ctx) {
    const { t } = ctx;
    const behind = isBehindEdge(schemeOf(ctx));
    const rules: RuleInput[] = ctx.draft.rules ?? ctx.current?.rules ?? [{ name: 'Default' }];
    const rejects = findRejects(rules, t);
    explain(ctx, t(behind ? 'wizard.scan.explainBehind' : 'wizard.scan.explainEdge'));
    if (rejects.length === 0) {
      ctx.stdout.write(`${t('wizard.scan.noReject')}\n`);
      ctx.draft.rejectToDelete = false;
      return;
    }
    for (const r of rejects) ctx.stdout.write(`  ${r.text}\n`);
    let accept: boolean;
    const fixed = ctx.given.rejectToDelete;
    if (fixed !== undefined) {
      accept = fixed;
      given(ctx, t('wizard.scan.given'), t(fixed ? 'wizard.yes' : 'wizard.no'));
    } else if (!ctx.interactive) {
      accept = prefer(ctx, undefined, behind);
    } else {
      accept = await ctx.prompt.confirm({
        message: behind ? t('wizard.scan.confirm', { count: rejects.length }) : t('wizard.scan.anyway'),
        default: behind,
      });
    }
    if (accept) ctx.draft.rules = applyRejectChanges(rules, rejects);
    ctx.draft.rejectToDelete = accept;
    ctx.draft.rejectChanges = (ctx.draft.rejectChanges ?? 0) + (accept ? rejects.length : 0);
  },
};
