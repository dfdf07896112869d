// Step 1: the integration scheme. Everything after it takes its recommendations from this answer.
import { INTEGRATIONS, type Integration } from '../../config/schema.js';
import { explain, given, prefer, type WizardContext } from '../context.js';
import type { Choice } from '../prompts.js';
import type { Step } from './types.js';

export const SCHEME_CHOICES: Array<Choice<Integration>> = [
  {
    value: 'edge',
    name: 'KSMG is the edge gateway',
    description: 'KSMG receives mail straight from the internet (its address is in your MX records) and passes it to the internal servers.',
  },
  {
    value: 'behind-edge-verify',
    name: 'Behind an edge gateway that verifies recipients',
    description: 'Another gateway faces the internet and checks recipient addresses with KSMG (SMTP callout) before accepting mail.',
  },
  {
    value: 'behind-edge-no-verify',
    name: 'Behind an edge gateway that does not verify recipients',
    description: 'Another gateway faces the internet and forwards everything for your domains to KSMG without checking recipients.',
  },
];

export const schemeName = (s: Integration): string => SCHEME_CHOICES.find((c) => c.value === s)!.name;

export const schemeStep: Step = {
  id: 'scheme',
  title: 'Integration scheme',
  async run(ctx: WizardContext) {
    explain(ctx, 'How KSMG sits in your mail flow decides which checks belong on KSMG and which on the gateway in front of it.');
    const fixed = ctx.given.integration;
    let scheme: Integration;
    if (fixed) {
      scheme = fixed;
      given(ctx, 'Integration scheme', schemeName(scheme));
    } else if (!ctx.interactive) {
      scheme = prefer(ctx, ctx.current?.integration, 'behind-edge-no-verify');
    } else {
      scheme = await ctx.prompt.select({
        message: 'Integration scheme',
        choices: SCHEME_CHOICES,
        default: ctx.draft.integration ?? ctx.current?.integration ?? 'behind-edge-no-verify',
      });
    }
    if (!INTEGRATIONS.includes(scheme)) throw new Error(`unknown integration scheme ${scheme}`);
    ctx.draft.integration = scheme;
  },
};
