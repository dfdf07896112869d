// Step 9: review — a summary table of what will be written; write it, go back to any step, or cancel.
import { advancedSchema, type Config } from '../../config/schema.js';
import { tEn, type Translate } from '../../i18n/index.js';
import type { WizardContext } from '../context.js';
import { WizardCancelled } from '../prompts.js';
import { actionable, patchesOf, renderFindings, runAudit, WizardFindingsError, type PatchOp } from '../findings.js';
import { stepForPath } from '../step-paths.js';
import { ADVANCED_KEYS, advancedLabel, formatAdvanced } from './advanced.js';
import { describeDestination } from './destination.js';
import { describeDomain } from './domains.js';
import { verificationName } from './recipient-verification.js';
import { findRejects } from './scan-actions.js';
import { schemeName } from './scheme.js';
import type { StepId } from './types.js';

const KSMG_ADVANCED = advancedSchema.parse({});

/** Rows of the review table: [step, label, value]. */
export function summaryRows(config: Config, notes: { rejectChanges?: number } = {}, t: Translate = tEn): Array<[StepId, string, string]> {
  const adv = config.mta.advanced;
  const none = t('wizard.none');
  const onOff = (b: boolean) => t(b ? 'wizard.on' : 'wizard.off');
  const rejects = findRejects(config.rules).length;
  const rows: Array<[StepId, string, string]> = [
    ['scheme', t('wizard.review.row.scheme'), schemeName(config.integration, t)],
    ['domains', t('wizard.review.row.domains'), config.mta.domains.map((d) => describeDomain(d, t)).join('; ') || none],
    ['destination', t('wizard.review.row.destination'), describeDestination(config.mta.destination, t)],
    ['trusted-networks', t('wizard.review.row.trusted'), config.mta.trustedNetworks.join(', ') || none],
    ['sender-auth', t('wizard.review.row.senderAuth'), `${onOff(config.protection.spf)} / ${onOff(config.protection.dmarc)}`],
    [
      'scan-actions',
      t('wizard.review.row.rejects'),
      notes.rejectChanges
        ? t('wizard.review.rejectsChanged', { count: rejects || none, changed: notes.rejectChanges })
        : String(rejects || none),
    ],
  ];
  const mode = verificationName(adv.recipientVerification, t);
  const detail =
    adv.recipientVerification === 'reject-unverified'
      ? ` (${adv.unverifiedRecipientRejectCode})`
      : adv.recipientVerification === 'reject-unlisted'
        ? ` (${adv.validRecipients.join(', ') || t('wizard.review.emptyList')})`
        : '';
  rows.push(['recipient-verification', t('wizard.review.row.recipients'), mode + detail]);
  rows.push(['advanced', t('wizard.review.row.hostname'), config.mta.hostname]);
  if (config.mta.messageSizeLimit !== 20971520) rows.push(['advanced', t('wizard.review.row.size'), String(config.mta.messageSizeLimit)]);
  for (const k of ADVANCED_KEYS) {
    if (JSON.stringify(adv[k]) === JSON.stringify(KSMG_ADVANCED[k])) continue;
    rows.push(['advanced', advancedLabel(k, t), formatAdvanced(k, adv[k], t) || none]);
  }
  return rows;
}

export function renderSummary(
  ctx: Pick<WizardContext, 'style'> & { draft?: WizardContext['draft']; t?: Translate },
  config: Config,
): string {
  const rows = summaryRows(config, { rejectChanges: ctx.draft?.rejectChanges }, ctx.t);
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

/** What the review reads: the answers' notes, the output, whether it may ask, and the findings rule. */
export type ReviewContext = Pick<
  WizardContext,
  'draft' | 'interactive' | 'acceptFindings' | 'prompt' | 'stdout' | 'stderr' | 'style' | 't'
>;

/**
 * Shows the summary and the audit of exactly this configuration. Errors block writing: a terminal
 * must confirm "write anyway", a run without one needs --accept-findings (else WizardFindingsError,
 * exit 1). Findings with a mechanical fix can be fixed from here.
 */
export async function review(
  ctx: ReviewContext,
  config: Config,
  steps: ReadonlyArray<{ id: StepId; title: Parameters<Translate>[0] }>,
  target: string,
): Promise<ReviewOutcome> {
  const { t } = ctx;
  ctx.stdout.write(`\n${ctx.style.bold(t('wizard.review.title'))}\n${renderSummary(ctx, config)}`);
  const findings = runAudit(config, undefined, t.lang);
  ctx.stdout.write(`\n${renderFindings(ctx, findings)}`);
  const errors = findings.filter((f) => f.severity === 'error');
  if (!ctx.interactive) {
    if (errors.length && !ctx.acceptFindings) throw new WizardFindingsError(errors, target, t);
    if (errors.length) ctx.stderr.write(`${t('wizard.review.accepted', { file: target, count: errors.length })}\n`);
    return { action: 'write' };
  }
  const patch = patchesOf(actionable(findings));
  const fixable = actionable(findings).filter((f) => f.patch?.length).length;
  const firstBad = errors.map((f) => stepForPath(f.path)).find((x): x is StepId => x !== undefined);
  const count = errors.length;
  const choice = await ctx.prompt.select<string>({
    message: count ? t('wizard.review.errorsWhatNow', { count }) : t('wizard.review.isThisRight'),
    choices: [
      ...(patch.length ? [{ value: 'fix', name: t('wizard.review.fix', { count: fixable }) }] : []),
      {
        value: 'write',
        name: count ? t('wizard.review.writeAnyway', { file: target, count }) : t('wizard.review.write', { file: target }),
      },
      ...steps.map((s) => ({ value: s.id, name: t('wizard.review.goBack', { title: t(s.title) }) })),
      { value: 'cancel', name: t('wizard.review.cancel') },
    ],
    default: count ? (patch.length ? 'fix' : (firstBad ?? 'cancel')) : 'write',
  });
  if (choice === 'cancel') throw new WizardCancelled('cancelled at review');
  if (choice === 'fix') return { action: 'fix', patch };
  if (choice === 'write') {
    if (!count) return { action: 'write' };
    const sure = await ctx.prompt.confirm({
      message: t('wizard.review.sure', { file: target, count, ids: errors.map((f) => f.id).join(', ') }),
      default: false,
    });
    return sure ? { action: 'write' } : { action: 'again' };
  }
  return { action: 'edit', step: choice as StepId };
}
