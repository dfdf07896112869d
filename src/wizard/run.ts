// Runs the steps, then the review loop (go back to any step), and returns the validated Config.
import { ZodError } from 'zod';
import type { Config } from '../config/schema.js';
import { buildConfig, schemeOf, type WizardContext } from './context.js';
import { review } from './steps/review.js';
import { SCHEME_DEPENDENT, STEPS, stepById, type Step, type StepId } from './steps/index.js';

/** Unusable answers in a non-interactive run (exit 2). */
export class WizardInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WizardInputError';
  }
}

async function runStep(ctx: WizardContext, step: Step): Promise<void> {
  const n = STEPS.indexOf(step) + 1;
  if (ctx.interactive) ctx.stdout.write(`\n${ctx.style.cyan('◆')} ${ctx.style.bold(`Step ${n}/${STEPS.length}: ${step.title}`)}\n`);
  await step.run(ctx);
}

export interface RunWizardOptions {
  /** Only these steps (a rerun's "fix these" / "edit a step"); all when absent. */
  steps?: readonly StepId[];
  /** The file name shown in the review ("Yes, write ksmg.yaml"). */
  target: string;
}

export async function runWizard(ctx: WizardContext, opts: RunWizardOptions): Promise<Config> {
  const chosen = opts.steps ? STEPS.filter((s) => opts.steps!.includes(s.id)) : STEPS;
  for (const step of chosen) {
    await runStep(ctx, step);
    // A rerun that changes the scheme: what follows from it is prefilled with the new
    // scheme's recommendations, not with values chosen for the old one.
    if (step.id === 'scheme' && ctx.current && schemeOf(ctx) !== ctx.current.integration) ctx.fixing = true;
  }
  for (;;) {
    let config: Config;
    try {
      config = buildConfig(ctx.current, ctx.draft);
    } catch (e) {
      if (!(e instanceof ZodError)) throw e;
      const problems = e.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
      if (!ctx.interactive) throw new WizardInputError(`the answers do not make a valid ksmg.yaml:\n${problems}`);
      ctx.stderr.write(`These answers do not make a valid ksmg.yaml yet:\n${problems}\n`);
      const back = await ctx.prompt.select<StepId>({
        message: 'Go back to',
        choices: STEPS.map((s) => ({ value: s.id, name: s.title })),
      });
      await runStep(ctx, stepById(back));
      continue;
    }
    const outcome = await review(ctx, config, STEPS, opts.target);
    if (outcome.action === 'write') return config;
    const before = schemeOf(ctx);
    await runStep(ctx, stepById(outcome.step));
    if (outcome.step === 'scheme' && schemeOf(ctx) !== before) {
      ctx.stdout.write('The scheme changed, so the steps that depend on it come again, prefilled with its recommendations.\n');
      const fixing = ctx.fixing;
      ctx.fixing = true;
      try {
        for (const id of SCHEME_DEPENDENT) await runStep(ctx, stepById(id));
      } finally {
        ctx.fixing = fixing;
      }
    }
  }
}
