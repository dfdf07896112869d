// Step 6: behind an edge gateway every Reject in the rules becomes Delete message (seed step 5),
// and the admin sees each change before it is made.
import { ACTION_LABELS, MODULE_ACTIONS, RULE_MODE_LABELS } from '../../config/rule-actions.js';
import { ruleSchema } from '../../config/schema.js';
import { rejectSettings, replaceRejectWithDelete } from '../../policy/rules.js';
import { explain, given, isBehindEdge, prefer, schemeOf, type RuleInput, type WizardContext } from '../context.js';
import type { Step } from './types.js';

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
function describe(path: string): string {
  if (path === 'mode') return `Rule mode: ${RULE_MODE_LABELS.reject} → ${RULE_MODE_LABELS.delete}`;
  const [module, key] = path.split('.');
  const spec = MODULE_ACTIONS.find((a) => a.module === module && a.key === key);
  const what = spec ? `${spec.moduleLabel} › ${spec.label}` : path;
  return `${what}: ${ACTION_LABELS.reject} → ${ACTION_LABELS['delete-message']}`;
}

/**
 * Every Reject in the rules (read with the schema's defaults filled in), found and replaced by the
 * scan engine's own functions, so the wizard, the audit and the lab agree on what "every Reject" is.
 */
export function findRejects(rules: readonly RuleInput[]): RejectChange[] {
  const out: RejectChange[] = [];
  rules.forEach((input, ruleIndex) => {
    const rule = ruleSchema.parse(input);
    const replaced = replaceRejectWithDelete(rule);
    for (const p of rejectSettings(rule)) {
      const path = p.split('.');
      out.push({ ruleIndex, ruleName: rule.name, path, text: `${rule.name} › ${describe(p)}`, replacement: String(getIn(replaced, path)) });
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

export const scanActionsStep: Step = {
  id: 'scan-actions',
  title: 'Scan actions',
  async run(ctx: WizardContext) {
    const behind = isBehindEdge(schemeOf(ctx));
    const rules: RuleInput[] = ctx.draft.rules ?? ctx.current?.rules ?? [{ name: 'Default' }];
    const rejects = findRejects(rules);
    if (behind) {
      explain(
        ctx,
        'Behind an edge gateway a Reject from KSMG reaches the edge, not the sender, and the edge then mails a ' +
          'non-delivery report to the (often forged) sender — backscatter. So every Reject becomes Delete message.',
      );
    } else {
      explain(
        ctx,
        'As the edge gateway KSMG can refuse mail during the SMTP session, so Reject is the right action here; these Rejects only need changing behind an edge gateway.',
      );
    }
    if (rejects.length === 0) {
      ctx.stdout.write('No rule uses Reject.\n');
      ctx.draft.rejectToDelete = false;
      return;
    }
    for (const r of rejects) ctx.stdout.write(`  ${r.text}\n`);
    let accept: boolean;
    const fixed = ctx.given.rejectToDelete;
    if (fixed !== undefined) {
      accept = fixed;
      given(ctx, 'Replace Reject with Delete message', fixed ? 'yes' : 'no');
    } else if (!ctx.interactive) {
      accept = prefer(ctx, undefined, behind);
    } else {
      accept = await ctx.prompt.confirm({
        message: behind ? `Make these ${rejects.length} changes?` : 'Replace Reject with Delete message anyway?',
        default: behind,
      });
    }
    if (accept) ctx.draft.rules = applyRejectChanges(rules, rejects);
    ctx.draft.rejectToDelete = accept;
    ctx.draft.rejectChanges = (ctx.draft.rejectChanges ?? 0) + (accept ? rejects.length : 0);
  },
};
