// Step 9: review — a summary table of what will be written; write it, go back to any step, or cancel.
import { advancedSchema, type Config } from '../../config/schema.js';
import type { WizardContext } from '../context.js';
import { WizardCancelled } from '../prompts.js';
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
    ['scan-actions', 'Reject actions in rules', (String(findRejects(config.rules).length || 'none')) +
      (notes.rejectChanges ? ` (${notes.rejectChanges} changed to Delete message)` : '')],
  ];
  const mode = VERIFICATION_CHOICES.find((c) => c.value === adv.recipientVerification)!.name;
  const detail = adv.recipientVerification === 'reject-unverified'
    ? ` (${adv.unverifiedRecipientRejectCode})`
    : adv.recipientVerification === 'reject-unlisted' ? ` (${adv.validRecipients.join(', ') || 'empty list'})` : '';
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

export type ReviewOutcome = { action: 'write' } | { action: 'edit'; step: StepId };

/** Shows the summary; interactive runs choose write / go back / cancel. */
export async function review(ctx: WizardContext, config: Config, steps: readonly Step[], target: string): Promise<ReviewOutcome> {
  ctx.stdout.write(`\n${ctx.style.bold('Review')}\n${renderSummary(ctx, config)}`);
  if (!ctx.interactive) return { action: 'write' };
  const choice = await ctx.prompt.select<string>({
    message: 'Is this right?',
    choices: [
      { value: 'write', name: `Yes, write ${target}` },
      ...steps.map((s) => ({ value: s.id, name: `Go back to: ${s.title}` })),
      { value: 'cancel', name: 'Cancel (write nothing)' },
    ],
    default: 'write',
  });
  if (choice === 'cancel') throw new WizardCancelled('cancelled at review');
  if (choice === 'write') return { action: 'write' };
  return { action: 'edit', step: choice as StepId };
}
