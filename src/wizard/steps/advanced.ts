// Step 8: advanced settings — skipped unless asked. Each shows the KSMG default and accepts the
// same units as ksmg.yaml (durations 30s/5m/4h/3d), validated by that key's schema.
import { ADVANCED_DURATION_KEYS, advancedSchema, formatDuration, parseDuration } from '../../config/schema.js';
import type { Config } from '../../config/schema.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { explain, given, type AdvancedInput, type StepAnswers, type StepIo } from '../context.js';
import {
  check,
  convertAdvanced,
  inLang,
  schemas,
  toNumber,
  validateAdvanced,
  validateHostname,
  validateMessageSizeLimit,
} from '../validate.js';
import { currentFindings, findingsAt, patchedValue } from '../findings.js';
import type { Step } from './types.js';

type AdvKey = keyof typeof advancedSchema.shape;
/** Asked in the recipient-verification step instead. */
const ELSEWHERE = ['recipientVerification', 'unverifiedRecipientRejectCode', 'validRecipients'] as const satisfies readonly AdvKey[];
const DURATIONS: readonly AdvKey[] = ADVANCED_DURATION_KEYS;
const BOOLEANS: AdvKey[] = ['strictRfc821Envelopes', 'disableVrfy', 'rejectUnknownRecipientDomains'];

/** Reads the domains (the host name's default) and the current file's findings; reads and writes mta.hostname, mta.messageSizeLimit and mta.advanced. */
export type AdvancedStepContext = StepIo & StepAnswers<'mta'> & { current?: Config };

/** The keys the step asks about, with a label each in the catalogue (`wizard.advanced.label.<key>`). */
export type AdvancedLabelKey = Exclude<AdvKey, (typeof ELSEWHERE)[number]> | 'hostname' | 'messageSizeLimit';

/** A setting's label as the wizard asks it. */
export const advancedLabel = (key: AdvancedLabelKey, t: Translate = tEn): string => t(`wizard.advanced.label.${key}`);

export const ADVANCED_KEYS = (Object.keys(advancedSchema.shape) as AdvKey[]).filter(
  (k): k is Exclude<AdvKey, (typeof ELSEWHERE)[number]> => !(ELSEWHERE as readonly AdvKey[]).includes(k),
);
const KSMG_DEFAULTS = advancedSchema.parse({});

/** A value as the admin would type it. */
export function formatAdvanced(key: AdvKey, value: unknown, t: Translate = tEn): string {
  if (value === null || value === undefined) return '';
  if (DURATIONS.includes(key)) {
    const seconds = parseDuration(value);
    return seconds === null ? String(value) : formatDuration(seconds);
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return t(value ? 'wizard.yes' : 'wizard.no');
  return String(value);
}

export const advancedStep: Step<AdvancedStepContext> = {
  id: 'advanced',
  title: 'wizard.advanced.title',
  async run(ctx) {
    const { t } = ctx;
    const label = (k: AdvancedLabelKey) => advancedLabel(k, t);
    const none = t('wizard.none');
    const fixedMta = ctx.given.mta ?? {};
    const fixedAdv: Partial<AdvancedInput> = { ...fixedMta.advanced };
    for (const k of ELSEWHERE) delete fixedAdv[k];
    const mta = { ...ctx.draft.mta };
    const adv: Partial<AdvancedInput> = { ...mta.advanced };
    if (fixedMta.hostname) {
      mta.hostname = fixedMta.hostname;
      given(ctx, t('wizard.advanced.hostnameGiven'), fixedMta.hostname);
    }
    if (fixedMta.messageSizeLimit !== undefined) {
      mta.messageSizeLimit = fixedMta.messageSizeLimit;
      given(ctx, t('wizard.advanced.sizeGiven'), String(fixedMta.messageSizeLimit));
    }
    for (const [k, v] of Object.entries(fixedAdv)) {
      (adv as Record<string, unknown>)[k] = v;
      given(ctx, label(k as AdvancedLabelKey), formatAdvanced(k as AdvKey, v, t));
    }
    ctx.draft.mta = { ...mta, advanced: adv };
    if (!ctx.interactive) return;

    explain(ctx, t('wizard.advanced.explain'));
    // On a rerun, settings the audit objects to are prefilled with its recommendation (the value its
    // fix would set, else the KSMG default), not with the current bad value, and offered ticked.
    const findings = currentFindings(ctx);
    const flaggedKeys = new Set(ADVANCED_KEYS.filter((k) => findingsAt(findings, `mta.advanced.${k}`).length > 0));
    const recommendation = (k: AdvKey): unknown => {
      const p = patchedValue(findings, `mta.advanced.${k}`);
      return p ? p.value : KSMG_DEFAULTS[k];
    };
    if (flaggedKeys.size) ctx.stdout.write(`${t('wizard.advanced.flagged', { labels: [...flaggedKeys].map(label).join(', ') })}\n`);
    const anyFlagged = flaggedKeys.size > 0 || findingsAt(findings, 'mta.messageSizeLimit').length > 0;
    if (!(await ctx.prompt.confirm({ message: t('wizard.advanced.change'), default: anyFlagged }))) return;

    const cur = { ...ctx.current?.mta.advanced, ...adv } as Record<string, unknown>;
    for (const k of flaggedKeys) if (!(k in adv)) cur[k] = recommendation(k);
    const firstDomain = mta.domains?.[0]?.name ?? ctx.current?.mta.domains[0]?.name;
    const hostnameNow = mta.hostname ?? ctx.current?.mta.hostname ?? (firstDomain ? `ksmg.${firstDomain}` : undefined);
    const sizeFlagged = findingsAt(findings, 'mta.messageSizeLimit').length > 0 && mta.messageSizeLimit === undefined;
    const sizeNow = sizeFlagged
      ? Number(patchedValue(findings, 'mta.messageSizeLimit')?.value ?? 20971520)
      : (mta.messageSizeLimit ?? ctx.current?.mta.messageSizeLimit ?? 20971520);
    const keys = await ctx.prompt.checkbox<string>({
      message: t('wizard.advanced.which'),
      choices: [
        {
          value: 'hostname',
          name: t('wizard.advanced.choice', { label: label('hostname'), value: hostnameNow ?? t('wizard.advanced.derived') }),
        },
        {
          value: 'messageSizeLimit',
          name: sizeFlagged
            ? t('wizard.advanced.choiceFlagged', {
                label: label('messageSizeLimit'),
                value: String(ctx.current?.mta.messageSizeLimit),
                recommended: sizeNow,
              })
            : t('wizard.advanced.choice', { label: label('messageSizeLimit'), value: sizeNow }),
          checked: sizeFlagged,
        },
        ...ADVANCED_KEYS.map((k) => ({
          value: k,
          name: flaggedKeys.has(k)
            ? t('wizard.advanced.choiceFlagged', {
                label: label(k),
                value: formatAdvanced(k, ctx.current?.mta.advanced[k], t) || none,
                recommended: formatAdvanced(k, cur[k], t) || none,
              })
            : t('wizard.advanced.choice', { label: label(k), value: formatAdvanced(k, cur[k] ?? KSMG_DEFAULTS[k], t) || none }),
          checked: flaggedKeys.has(k),
        })),
      ],
    });
    for (const key of keys) {
      if (key === 'hostname') {
        const v = await ctx.prompt.input({ message: label('hostname'), default: hostnameNow, validate: inLang(t, validateHostname) });
        const r = check(schemas.hostname, v);
        if (r.ok) mta.hostname = r.value;
      } else if (key === 'messageSizeLimit') {
        const v = await ctx.prompt.input({
          message: t('wizard.advanced.sizeQuestion', { label: label('messageSizeLimit') }),
          default: String(sizeNow),
          validate: inLang(t, validateMessageSizeLimit),
        });
        // 20MB and the like are taken and stored as bytes.
        const r = check(schemas.messageSizeLimit, toNumber(v));
        if (r.ok) mta.messageSizeLimit = r.value;
      } else {
        const k = key as (typeof ADVANCED_KEYS)[number];
        const def = formatAdvanced(k, KSMG_DEFAULTS[k], t) || none;
        const now = cur[k] ?? KSMG_DEFAULTS[k];
        if (BOOLEANS.includes(k)) {
          (adv as Record<string, unknown>)[k] = await ctx.prompt.confirm({
            message: t('wizard.advanced.booleanQuestion', { label: label(k), default: def }),
            default: now as boolean,
          });
        } else {
          const v = await ctx.prompt.input({
            message: t('wizard.advanced.inputQuestion', { label: label(k), default: def }),
            default: formatAdvanced(k, now, t),
            validate: inLang(t, validateAdvanced(k)),
          });
          (adv as Record<string, unknown>)[k] = convertAdvanced(k, v);
        }
      }
    }
    ctx.draft.mta = { ...mta, advanced: adv };
  },
};
