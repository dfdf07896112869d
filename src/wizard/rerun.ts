// The rerun: with a ksmg.yaml present, show the audit's findings and offer to fix them (walking
// only the steps they concern), edit any step, verify again or quit. Prompts are prefilled.
import { createContext } from './context.js';
import { printRunbook, tOf, verifyInLab, wizardAndSave, type WizardDeps } from './finish.js';
import { WizardCancelled } from './prompts.js';
import { STEPS, type StepId } from './steps/index.js';
import type { Finding, Loaded } from './services.js';
import { stepForPath } from './step-paths.js';
import { actionable, applyPatches, describePatch, patchesOf, PatchError, runAudit } from './findings.js';
import { EXIT } from '../cli/exit.js';

export { stepForPath };

/** The steps that answer these findings (those without an automatic fix), in wizard order. */
export function stepsForFindings(findings: readonly Finding[]): StepId[] {
  const ids = new Set(
    actionable(findings)
      .filter((f) => !f.patch?.length)
      .map((f) => stepForPath(f.path))
      .filter((x): x is StepId => !!x),
  );
  return STEPS.map((s) => s.id).filter((id) => ids.has(id));
}

export function printFindings(
  deps: Pick<WizardDeps, 'stdout' | 'style' | 'services' | 't'>,
  path: string,
  loaded: Loaded,
  findings: readonly Finding[],
): void {
  deps.stdout.write(deps.services.auditText(path, loaded.config, findings, deps.style, tOf(deps).lang));
}

export async function rerunMenu(deps: WizardDeps, path: string, loaded: Loaded, findings: Finding[]): Promise<number> {
  let current = loaded;
  let found = findings;
  // Quitting after a failed "Verify again" must not report success to a script.
  let lastVerify = 0;
  const t = tOf(deps);
  const stepTitles = (ids: readonly StepId[]) => ids.map((id) => t(STEPS.find((s) => s.id === id)!.title)).join(', ');
  for (;;) {
    const fixable = stepsForFindings(found);
    const patch = patchesOf(actionable(found));
    const patched = actionable(found).filter((f) => f.patch?.length).length;
    const action = await deps.prompt
      .select<string>({
        message: t('wizard.rerun.whatNext'),
        choices: [
          ...(patch.length ? [{ value: 'patch', name: t('wizard.rerun.patch', { count: patched }) }] : []),
          ...(fixable.length
            ? [{ value: 'fix', name: t(patch.length ? 'wizard.rerun.thenSteps' : 'wizard.rerun.steps', { steps: stepTitles(fixable) }) }]
            : []),
          { value: 'edit', name: t('wizard.rerun.edit') },
          { value: 'verify', name: t('wizard.rerun.verify') },
          { value: 'quit', name: t('wizard.rerun.quit') },
        ],
        default: patch.length ? 'patch' : fixable.length ? 'fix' : 'quit',
      })
      .catch((e: unknown) => {
        if (e instanceof WizardCancelled) return 'cancelled';
        throw e;
      });
    if (action === 'cancelled') return 130;
    if (action === 'quit') return lastVerify;
    if (action === 'verify') {
      lastVerify = await verifyInLab(deps, path, current.config);
      continue;
    }
    if (action === 'patch') {
      // Exactly the findings' own patches: shown as a diff, written, then proven in the lab.
      let fixed;
      try {
        fixed = applyPatches(current.config, patch);
      } catch (e) {
        if (!(e instanceof PatchError)) throw e;
        deps.stderr.write(`ksmg-setup: ${t('wizard.rerun.nothingChanged', { problem: e.message })}\n`);
        continue;
      }
      deps.stdout.write(
        `\n${deps.style.bold(t('wizard.changes'))}\n${describePatch(current.config, patch)
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
      );
      // A fix must not bring an error of its own (e.g. emptying a valid-recipient list): ask first.
      const before = new Set(found.filter((f) => f.severity === 'error').map((f) => `${f.id} ${f.path}`));
      const fresh = runAudit(fixed).filter((f) => f.severity === 'error' && !before.has(`${f.id} ${f.path}`));
      if (fresh.length) {
        deps.stdout.write(
          `${t('wizard.rerun.newErrors', { count: fresh.length })}\n${fresh.map((f) => `  ✖ ${f.path}: ${f.message}`).join('\n')}\n`,
        );
        if (!(await deps.prompt.confirm({ message: t('wizard.rerun.writeAnyway', { file: path }), default: false }))) continue;
      }
      try {
        await deps.services.save(path, fixed);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!err.code) throw e;
        deps.stderr.write(`ksmg-setup: ${t('wizard.cannotWrite', { file: path, code: err.code, reason: err.message })}\n`);
        return EXIT.usage;
      }
      deps.stdout.write(`\n${deps.style.green('✔')} ${t('wizard.wroteKeptBak', { file: path })}\n`);
      printRunbook(deps, fixed, current.config);
      lastVerify = await verifyInLab(deps, path, fixed);
      current = await deps.services.load(path);
      found = deps.services.audit(current, t.lang);
      printFindings(deps, path, current, found);
      continue;
    }
    let steps: StepId[] = fixable;
    if (action === 'edit') {
      const id = await deps.prompt
        .select<StepId>({ message: t('wizard.rerun.which'), choices: STEPS.map((s) => ({ value: s.id, name: t(s.title) })) })
        .catch((e: unknown) => {
          if (e instanceof WizardCancelled) return undefined;
          throw e;
        });
      if (!id) return 130;
      steps = [id];
    }
    const ctx = createContext({
      current: current.config,
      interactive: true,
      fixing: action === 'fix',
      prompt: deps.prompt,
      stdout: deps.stdout,
      stderr: deps.stderr,
      style: deps.style,
      t,
    });
    const previous = current.config;
    const { config, code } = await wizardAndSave(ctx, deps, path, { steps });
    if (!config) return code; // cancelled (130) or unusable answers (2): the file is as it was
    lastVerify = 0; // the configuration changed: an earlier lab result no longer applies
    printRunbook(deps, config, previous);
    current = await deps.services.load(path);
    found = deps.services.audit(current, t.lang);
    printFindings(deps, path, current, found);
  }
}
