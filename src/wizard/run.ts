// Runs the steps, then the review loop (go back to any step), and returns the validated Config.
import { ZodError } from 'zod';
import type { Config } from '../config/schema.js';
import { translateKnown } from '../i18n/known.js';
import { buildConfig, schemeOf, type Draft, type WizardContext } from './context.js';
import { applyPatches, describePatch } from './findings.js';
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
  const header = ctx.t('wizard.stepHeader', { n, total: STEPS.length, title: ctx.t(step.title) });
  if (ctx.interactive) ctx.stdout.write(`\n${ctx.style.cyan('◆')} ${ctx.style.bold(header)}\n`);
  await step.run(ctx);
}

export interface RunWizardOptions {
  /** Only these steps (a rerun's "fix these" / "edit a step"); all when absent. */
  steps?: readonly StepId[];
  /** The file name shown in the review ("Yes, write ksmg.yaml"). */
  target: string;
}

/** The scheme-dependent steps again, prefilled with the new scheme's recommendations. */
async function followScheme(ctx: WizardContext, skip: readonly StepId[] = []): Promise<void> {
  ctx.stdout.write(`${ctx.t('wizard.schemeChanged')}\n`);
  const fixing = ctx.fixing;
  ctx.fixing = true;
  try {
    for (const id of SCHEME_DEPENDENT) if (!skip.includes(id)) await runStep(ctx, stepById(id));
  } finally {
    ctx.fixing = fixing;
  }
}

export async function runWizard(ctx: WizardContext, opts: RunWizardOptions): Promise<Config> {
  const chosen = opts.steps ? STEPS.filter((s) => opts.steps!.includes(s.id)) : STEPS;
  const partial = chosen.length < STEPS.length;
  for (const step of chosen) {
    // Compared with the file's scheme: flags may already have named the new one.
    const before = ctx.draft.integration ?? ctx.current?.integration;
    await runStep(ctx, step);
    if (step.id !== 'scheme' || schemeOf(ctx) === before) continue;
    // A rerun that changes the scheme: what follows from it is prefilled with the new scheme's
    // recommendations, not with values chosen for the old one; steps outside this partial run
    // ("edit a step") are walked too, so no setting of the old scheme survives unasked.
    if (ctx.current) ctx.fixing = true;
    if (partial && ctx.interactive)
      await followScheme(
        ctx,
        chosen.map((s) => s.id),
      );
    else if (partial) for (const id of SCHEME_DEPENDENT) if (!chosen.some((s) => s.id === id)) await runStep(ctx, stepById(id));
  }
  for (;;) {
    let config: Config;
    try {
      config = buildConfig(ctx.current, ctx.draft);
    } catch (e) {
      if (!(e instanceof ZodError)) throw e;
      const problems = e.issues.map((i) => `  ${i.path.join('.')}: ${translateKnown(ctx.t.lang, i.message)}`).join('\n');
      if (!ctx.interactive) throw new WizardInputError(ctx.t('wizard.invalidAnswers', { problems }));
      ctx.stderr.write(`${ctx.t('wizard.invalidAnswersYet', { problems })}\n`);
      const back = await ctx.prompt.select<StepId>({
        message: ctx.t('wizard.goBackTo'),
        choices: STEPS.map((s) => ({ value: s.id, name: ctx.t(s.title) })),
      });
      await runStep(ctx, stepById(back));
      continue;
    }
    const outcome = await review(ctx, config, STEPS, opts.target);
    if (outcome.action === 'write') return config;
    if (outcome.action === 'again') continue;
    if (outcome.action === 'fix') {
      const fixed = applyPatches(config, outcome.patch);
      ctx.stdout.write(
        `\n${ctx.style.bold(ctx.t('wizard.changes'))}\n${describePatch(config, outcome.patch)
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
      );
      // The fixed configuration becomes the answers: later steps prefill from it.
      ctx.draft = { ...(structuredClone(fixed) as unknown as Draft), rejectChanges: ctx.draft.rejectChanges };
      continue;
    }
    const before = schemeOf(ctx);
    await runStep(ctx, stepById(outcome.step));
    if (outcome.step === 'scheme' && schemeOf(ctx) !== before) await followScheme(ctx);
  }
}
