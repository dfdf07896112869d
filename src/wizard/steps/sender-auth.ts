// Step 5: SPF and DMARC (Settings > General > Protection > External services).
import { explain, given, isBehindEdge, prefer, schemeOf, type WizardContext } from '../context.js';
import type { Step } from './types.js';

export const senderAuthStep: Step = {
  id: 'sender-auth',
  title: 'Sender authentication',
  async run(ctx: WizardContext) {
    const behind = isBehindEdge(schemeOf(ctx));
    if (behind) {
      explain(
        ctx,
        "SPF compares the connecting server with the sender domain's SPF record. Behind an edge gateway the connecting " +
          'server is always the edge, so genuine mail would fail SPF and then DMARC: turn both off here and check them on the edge.',
      );
    } else {
      explain(
        ctx,
        'As the edge gateway KSMG sees the real sending server, so SPF and DMARC work as intended: keep them on. ' +
          '(KSMG turns DMARC off by itself when SPF or DKIM is off.)',
      );
    }
    const recommended = !behind;
    const cur = { ...ctx.current?.protection, ...ctx.draft.protection };
    const ask = async (key: 'spf' | 'dmarc', label: string): Promise<boolean> => {
      const fixed = ctx.given.protection?.[key];
      if (fixed !== undefined) {
        given(ctx, label, fixed ? 'on' : 'off');
        return fixed;
      }
      const value = prefer(ctx, cur[key], recommended);
      if (!ctx.interactive) return value;
      return ctx.prompt.confirm({ message: `${label}?${recommended ? '' : ' (recommended: no)'}`, default: value });
    };
    const spf = await ask('spf', 'Use SPF');
    const dmarc = await ask('dmarc', 'Use DMARC');
    ctx.draft.protection = { ...ctx.draft.protection, spf, dmarc };
  },
};
