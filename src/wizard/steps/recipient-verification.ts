// Step 7: "Reject messages for recipients" — what happens to mail for addresses that do not exist.
import { FIELD_LABELS } from '../../audit/ui.js';
import type { Config, Integration } from '../../config/schema.js';
import { toAsciiDomain } from '../../config/net.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { explain, given, prefer, schemeOf, type AdvancedInput, type Preference, type StepAnswers, type StepIo } from '../context.js';
import type { Choice } from '../prompts.js';
import { inLang, validateValidRecipient } from '../validate.js';
import type { Step } from './types.js';

type Mode = NonNullable<AdvancedInput['recipientVerification']>;

/** Reads the scheme and the local domains; reads and writes the verification settings (mta.advanced). */
export type RecipientVerificationStepContext = StepIo &
  Preference &
  StepAnswers<'integration' | 'mta'> & { current?: Pick<Config, 'integration' | 'mta'> };

export const RECOMMENDED_VERIFICATION: Record<Integration, Mode> = {
  edge: 'reject-unverified',
  'behind-edge-verify': 'reject-unverified',
  'behind-edge-no-verify': 'none',
};

const MODES: readonly Mode[] = ['none', 'reject-unverified', 'reject-unlisted'];

/** The modes with their names (in Czech the web UI's choices, seed 000: "Neodmítat") and what each does. */
export const verificationChoices = (t: Translate = tEn): Array<Choice<Mode>> =>
  MODES.map((value) => ({ value, name: t(`wizard.recipients.${value}`), description: t(`wizard.recipients.${value}.description`) }));

export const verificationName = (mode: Mode, t: Translate = tEn): string => t(`wizard.recipients.${mode}`);

/** Why a valid recipient outside the local domains is pointless (KSMG refuses its mail as relaying first), or null. */
export function outsideLocalDomains(entry: string, localDomains: readonly string[], t: Translate = tEn): string | null {
  const domain = toAsciiDomain(entry.slice(entry.lastIndexOf('@') + 1));
  if (!domain || localDomains.includes(domain)) return null;
  return t('wizard.recipients.outsideLocal', { domain, domains: localDomains.join(', ') || t('wizard.recipients.noneYet') });
}

export const recipientVerificationStep: Step<RecipientVerificationStepContext> = {
  id: 'recipient-verification',
  title: 'wizard.recipients.title',
  async run(ctx) {
    const { t } = ctx;
    const scheme = schemeOf(ctx);
    const recommended = RECOMMENDED_VERIFICATION[scheme];
    const cur = { ...ctx.current?.mta.advanced, ...ctx.draft.mta?.advanced };
    const fixed = ctx.given.mta?.advanced ?? {};
    explain(ctx, t('wizard.recipients.explain', { recommended: verificationName(recommended, t) }));

    let mode: Mode;
    if (fixed.recipientVerification) {
      mode = fixed.recipientVerification;
      given(ctx, t('wizard.recipients.title'), verificationName(mode, t));
    } else if (!ctx.interactive) {
      mode = prefer(ctx, cur.recipientVerification, recommended);
    } else {
      mode = await ctx.prompt.select({
        // The field's web-UI label (seed 000: "Odmítat zprávy u příjemců").
        message: FIELD_LABELS[t.lang].rejectForRecipients,
        choices: verificationChoices(t).map((c) =>
          c.value === recommended ? { ...c, name: t('wizard.recipients.recommended', { name: c.name }) } : c,
        ),
        default: prefer(ctx, cur.recipientVerification, recommended),
      });
    }
    const advanced: Partial<AdvancedInput> = { recipientVerification: mode };

    if (mode === 'reject-unverified') {
      const code =
        fixed.unverifiedRecipientRejectCode ??
        (ctx.interactive
          ? Number(
              await ctx.prompt.select({
                message: t('wizard.recipients.code'),
                choices: [
                  { value: '450', name: t('wizard.recipients.code450') },
                  { value: '550', name: t('wizard.recipients.code550') },
                ],
                default: String(cur.unverifiedRecipientRejectCode ?? 450) as '450' | '550',
              }),
            )
          : (cur.unverifiedRecipientRejectCode ?? 450));
      advanced.unverifiedRecipientRejectCode = code as 450 | 550;
    }

    if (mode === 'reject-unlisted') {
      const localDomains = (ctx.draft.mta?.domains ?? ctx.current?.mta.domains ?? []).filter((d) => d.local !== false).map((d) => d.name);
      let list = fixed.validRecipients ?? (cur.validRecipients ? [...cur.validRecipients] : []);
      if (!fixed.validRecipients && ctx.interactive) {
        if (list.length > 0) {
          list = await ctx.prompt.checkbox({
            message: t('wizard.recipients.validList'),
            choices: list.map((v) => ({ value: v, name: v, checked: true })),
          });
        }
        const validate = inLang(t, validateValidRecipient);
        for (;;) {
          const text = await ctx.prompt.input({
            message: t('wizard.recipients.addValid'),
            validate: (v) => {
              if (v === '') return list.length > 0 ? true : t('wizard.recipients.atLeastOne');
              const r = validate(v);
              if (r !== true) return r;
              return outsideLocalDomains(v, localDomains, t) ?? true;
            },
          });
          if (text === '') break;
          if (!list.includes(text)) list.push(text);
        }
      }
      advanced.validRecipients = list;
    }
    ctx.draft.mta = { ...ctx.draft.mta, advanced: { ...ctx.draft.mta?.advanced, ...advanced } };
  },
};
