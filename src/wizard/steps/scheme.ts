// Step 1: the integration scheme. Everything after it takes its recommendations from this answer.
import { INTEGRATIONS, type Config, type Integration } from '../../config/schema.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { explain, given, prefer, type Preference, type StepAnswers, type StepIo } from '../context.js';
import type { Choice } from '../prompts.js';
import type { Step } from './types.js';

/** Reads and writes the scheme only. */
export type SchemeStepContext = StepIo & Preference & StepAnswers<'integration'> & { current?: Pick<Config, 'integration'> };

export const schemeChoices = (t: Translate = tEn): Array<Choice<Integration>> =>
  INTEGRATIONS.map((value) => ({ value, name: t(`wizard.scheme.${value}`), description: t(`wizard.scheme.${value}.description`) }));

/** The scheme's name as the wizard words it. */
export const schemeName = (s: Integration, t: Translate = tEn): string => t(`wizard.scheme.${s}`);

export const schemeStep: Step<SchemeStepContext> = {
  id: 'scheme',
  title: 'wizard.scheme.title',
  async run(ctx) {
    const { t } = ctx;
    explain(ctx, t('wizard.scheme.explain'));
    const fixed = ctx.given.integration;
    let scheme: Integration;
    if (fixed) {
      scheme = fixed;
      given(ctx, t('wizard.scheme.title'), schemeName(scheme, t));
    } else if (!ctx.interactive) {
      scheme = prefer(ctx, ctx.current?.integration, 'behind-edge-no-verify');
    } else {
      scheme = await ctx.prompt.select({
        message: t('wizard.scheme.title'),
        choices: schemeChoices(t),
        default: ctx.draft.integration ?? ctx.current?.integration ?? 'behind-edge-no-verify',
      });
    }
    if (!INTEGRATIONS.includes(scheme)) throw new Error(`unknown integration scheme ${scheme}`);
    ctx.draft.integration = scheme;
  },
};
