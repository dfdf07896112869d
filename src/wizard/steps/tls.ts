// Step 9: TLS for received mail (Settings > Built-in MTA > TLS Encryption > Server TLS security
// level). One question; the certificate stays as ksmg.yaml has it (the appliance's self-signed
// one unless mta.tls names files).
import type { Config, TlsSecurityLevel } from '../../config/schema.js';
import { TLS_SECURITY_LEVELS } from '../../config/schema.js';
import { explain, given, prefer, schemeOf, type Preference, type StepAnswers, type StepIo } from '../context.js';
import type { Step } from './types.js';

/** Attempt TLS everywhere (the KSMG default): Require TLS would refuse Internet senders without STARTTLS. */
export const RECOMMENDED_TLS_LEVEL: TlsSecurityLevel = 'may';

/** Reads the scheme; reads and writes mta.tls.securityLevel. */
export type TlsStepContext = StepIo &
  Preference &
  StepAnswers<'integration' | 'mta'> & {
    current?: Pick<Config, 'integration' | 'mta'>;
  };

export const tlsStep: Step<TlsStepContext> = {
  id: 'tls',
  title: 'wizard.tls.title',
  async run(ctx) {
    const { t } = ctx;
    const fixed = ctx.given.mta?.tls?.securityLevel;
    const name = (l: TlsSecurityLevel) => t(`wizard.tls.${l}`);
    let level: TlsSecurityLevel;
    if (fixed) {
      level = fixed;
      given(ctx, t('wizard.tls.message'), name(level));
    } else {
      const cur = ctx.draft.mta?.tls?.securityLevel ?? ctx.current?.mta.tls.securityLevel;
      const def = prefer(ctx, cur, RECOMMENDED_TLS_LEVEL);
      if (!ctx.interactive) level = def;
      else {
        if (schemeOf(ctx) === 'edge') explain(ctx, t('wizard.tls.hintEdge'));
        level = await ctx.prompt.select<TlsSecurityLevel>({
          message: t('wizard.tls.message'),
          choices: TLS_SECURITY_LEVELS.map((value) => ({ value, name: name(value) })),
          default: def,
        });
      }
    }
    ctx.draft.mta = { ...ctx.draft.mta, tls: { ...ctx.draft.mta?.tls, securityLevel: level } };
  },
};
