// Step 5: SPF and DMARC (Settings > General > Protection > External services).
import { FIELD_LABELS } from '../../audit/ui.js';
import type { Config } from '../../config/schema.js';
import { explain, given, isBehindEdge, prefer, schemeOf, type Preference, type StepAnswers, type StepIo } from '../context.js';
import type { Step } from './types.js';

/** Reads the scheme; reads and writes the SPF and DMARC switches. */
export type SenderAuthStepContext = StepIo &
  Preference &
  StepAnswers<'integration' | 'protection'> & {
    current?: Pick<Config, 'integration' | 'protection'>;
  };

export const senderAuthStep: Step<SenderAuthStepContext> = {
  id: 'sender-auth',
  title: 'wizard.senderAuth.title',
  async run(ctx) {
    const { t } = ctx;
    const behind = isBehindEdge(schemeOf(ctx));
    explain(ctx, t(behind ? 'wizard.senderAuth.explainBehind' : 'wizard.senderAuth.explainEdge'));
    const recommended = !behind;
    const cur = { ...ctx.current?.protection, ...ctx.draft.protection };
    const ask = async (key: 'spf' | 'dmarc', label: string): Promise<boolean> => {
      const fixed = ctx.given.protection?.[key];
      if (fixed !== undefined) {
        given(ctx, label, t(fixed ? 'wizard.on' : 'wizard.off'));
        return fixed;
      }
      const value = prefer(ctx, cur[key], recommended);
      if (!ctx.interactive) return value;
      return ctx.prompt.confirm({
        message: t(recommended ? 'wizard.senderAuth.question' : 'wizard.senderAuth.questionNo', { label }),
        default: value,
      });
    };
    // The switches' own web-UI labels (seed 000: "Použít SPF", "Použít DMARC").
    const labels = FIELD_LABELS[t.lang];
    const spf = await ask('spf', labels.useSpf);
    const dmarc = await ask('dmarc', labels.useDmarc);
    ctx.draft.protection = { ...ctx.draft.protection, spf, dmarc };
  },
};
