// Step 9: review — a summary table of what will be written; write it, go back to any step, or cancel.
import { advancedSchema, type Config } from '../../config/schema.js';
import type { WizardContext } from '../context.js';
import { WizardCancelled } from '../prompts.js';
import { actionable, patchesOf, renderFindings, runAudit, WizardFindingsError, type PatchOp } from '../findings.js';
import { stepForPath } from '../step-paths.js';
import { ADVANCED_KEYS, ADVANCED_LABELS, formatAdvanced } from './advanced.js';
import { describeDestination } from './destination.js';
import { describeDomain } from './domains.js';
import { VERIFICATION_CHOICES } from './recipient-verification.js';
import { findRejects } from './scan-actions.js';
import { schemeName } from './scheme.js';
import type { Step, StepId } from './types.js';

const KSMG_ADVANCED = advancedSchema.parse({});

/** Rows of the review table: [step, label, value]. */
export function summaryRows(config: Config, notes: { rejectChanges?: number } = {}): Array<[StepId, string, string]> {
  const adv = config.mta.advanced;
  const rows: Array<[StepId, string, string]> = [
    ['scheme', 'Integration scheme', schemeName(config.integration)],
    ['domains', 'Local domains', config.mta.domains.map(describeDomain).join('; ') || 'none'],
    ['destination', 'Destination', describeDestination(config.mta.destination)],
    ['trusted-networks', 'Trusted networks', config.mta.trustedNetworks.join(', ') || 'none'],
    ['sender-auth', 'SPF / DMARC', `${config.protection.spf ? 'on' : 'off'} / ${config.protection.dmarc ? 'on' : 'off'}`],
    [
      'scan-actions',
      'Reject actions in rules',
      String(findRejects(config.rules).length || 'none') +
        (notes.rejectChanges ? ` (${notes.rejectChanges} changed to Delete message)` : ''),
    ],
  ];
  const mode = VERIFICATION_CHOICES.find((c) => c.value === adv.recipientVerification)!.name;
  const detail =
    adv.recipientVerification === 'reject-unverified'
      ? ` (${adv.unverifiedRecipientRejectCode})`
      : adv.recipientVerification === 'reject-unlisted'
        ? ` (${adv.validRecipients.join(', ') || 'empty list'})`
        : '';
  rows.push(['recipient-verification', 'Recipient verification', mode + detail]);
  rows.push(['advanced', 'Host name', config.mta.hostname]);
  if (config.mta.messageSizeLimit !== 20971520) rows.push(['advanced', 'Message size limit', String(config.mta.messageSizeLimit)]);
  for (const k of ADVANCED_KEYS) {
    if (JSON.stringify(adv[k]) === JSON.stringify(KSMG_ADVANCED[k])) continue;
    rows.push(['advanced', ADVANCED_LABELS[k] ?? k, formatAdvanced(k, adv[k]) || 'none']);
  }
  return rows;
}

export function renderSummary(ctx: Pick<WizardContext, 'style'> & { draft?: WizardContext['draft'] }, config: Config): string {
  const rows = summaryRows(config, { rejectChanges: ctx.draft?.rejectChanges });
  const width = Math.max(...rows.map(([, l]) => l.length));
  return rows.map(([, label, value]) => `  ${ctx.style.bold(label.padEnd(width))}  ${value}`).join('\n') + '\n';
}

export type ReviewOutcome =
  | { action: 'write' }
  | { action: 'edit'; step: StepId }
  /** Apply the findings' mechanical fixes and review again. */
  | { action: 'fix'; patch: PatchOp[] }
  /** Nothing chosen yet (a declined "write anyway"): review again. */
  | { action: 'again' };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Shows the summary and the audit of exactly this configuration. Errors block writing: a terminal
 * must confirm "write anyway", a run without one needs --accept-findings (else WizardFindingsError,
 * exit 1). Findings with a mechanical fix can be fixed from here.
 */
export async function review(ctx: WizardContext, config: Config, steps: readonly Step[], target: string): Promise<ReviewOutcome> {
  ctx.stdout.write(`\n${ctx.style.bold('Review')}\n${renderSummary(ctx, config)}`);
  const findings = runAudit(config);
  ctx.stdout.write(`\n${renderFindings(ctx, findings)}`);
  const errors = findings.filter((f) => f.severity === 'error');
  if (!ctx.interactive) {
    if (errors.length && !ctx.acceptFindings) throw new WizardFindingsError(errors, target);
    if (errors.length) ctx.stderr.write(`Writing ${target} with ${plural(errors.length, 'audit error')}, as --accept-findings asks.\n`);
    return { action: 'write' };
  }
  const patch = patchesOf(actionable(findings));
  const fixable = actionable(findings).filter((f) => f.patch?.length).length;
  const firstBad = errors.map((f) => stepForPath(f.path)).find((x): x is StepId => x !== undefined);
  const choice = await ctx.prompt.select<string>({
    message: errors.length ? `The audit finds ${plural(errors.length, 'error')}. What now?` : 'Is this right?',
    choices: [
      ...(patch.length
        ? [{ value: 'fix', name: `Fix these (${plural(fixable, 'finding')} with an automatic fix; shows the changes)` }]
        : []),
      { value: 'write', name: errors.length ? `Write ${target} anyway, with ${plural(errors.length, 'error')}` : `Yes, write ${target}` },
      ...steps.map((s) => ({ value: s.id, name: `Go back to: ${s.title}` })),
      { value: 'cancel', name: 'Cancel (write nothing)' },
    ],
    default: errors.length ? (patch.length ? 'fix' : (firstBad ?? 'cancel')) : 'write',
  });
  if (choice === 'cancel') throw new WizardCancelled('cancelled at review');
  if (choice === 'fix') return { action: 'fix', patch };
  if (choice === 'write') {
    if (!errors.length) return { action: 'write' };
    const sure = await ctx.prompt.confirm({
      message: `Write ${target} although the audit finds ${plural(errors.length, 'error')} (${errors.map((f) => f.id).join(', ')})?`,
      default: false,
    });
    return sure ? { action: 'write' } : { action: 'again' };
  }
  return { action: 'edit', step: choice as StepId };
}
