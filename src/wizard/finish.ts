// What every wizard run shares: the dependencies, loading the current file, running the steps
// and saving, printing the runbook and verifying in the lab (used by init and the rerun menu).
import type { ChalkInstance } from 'chalk';
import type { Config } from '../config/schema.js';
import { tEn, type Lang, type Translate } from '../i18n/index.js';
import type { Output, WizardContext } from './context.js';
import { WizardCancelled, type Prompter } from './prompts.js';
import { WizardFindingsError } from './findings.js';
import { runWizard, WizardInputError, type RunWizardOptions } from './run.js';
import type { Loaded, WizardServices } from './services.js';
import { EXIT } from '../cli/exit.js';

export interface WizardDeps {
  prompt: Prompter;
  stdout: Output;
  stderr: Output;
  style: ChalkInstance;
  services: WizardServices;
  /** stdin is a terminal we may prompt on. */
  tty: boolean;
  /** Messages in the admin's language (--lang or the locale); English when absent. */
  t?: Translate;
}

/** The language of a run's messages. */
export const tOf = (deps: Pick<WizardDeps, 't'>): Translate => deps.t ?? tEn;

export const fail = (deps: Pick<WizardDeps, 'stderr'>, message: string): number => {
  deps.stderr.write(`ksmg-setup: ${message}\n`);
  return EXIT.usage;
};

/** Loads the existing file, if any. A broken file is reported and never overwritten. */
export async function loadExisting(deps: WizardDeps, path: string): Promise<{ loaded?: Loaded; code?: number }> {
  if (!(await deps.services.exists(path))) return {};
  try {
    return { loaded: await deps.services.load(path) };
  } catch (e) {
    // The loader's ConfigError lists every problem with file:line (format()); anything else is a bug.
    const format = (e as { format?: (lang?: Lang) => string } | null)?.format;
    if (typeof format !== 'function') throw e;
    const t = tOf(deps);
    deps.stderr.write(`${format.call(e, t.lang)}\n`);
    return { code: fail(deps, t('wizard.unusableFile', { file: path })) };
  }
}

/** Runs (part of) the wizard and writes the file; maps cancel/bad answers to exit codes. */
export async function wizardAndSave(
  ctx: WizardContext,
  deps: WizardDeps,
  path: string,
  opts: Omit<RunWizardOptions, 'target'> = {},
): Promise<{ config?: Config; code: number }> {
  let config: Config;
  try {
    config = await runWizard(ctx, { ...opts, target: path });
  } catch (e) {
    if (e instanceof WizardCancelled) {
      deps.stderr.write(`\n${tOf(deps)('wizard.cancelled', { file: path })}\n`);
      return { code: EXIT.interrupted };
    }
    if (e instanceof WizardInputError) return { code: fail(deps, e.message) };
    if (e instanceof WizardFindingsError) {
      deps.stderr.write(`ksmg-setup: ${e.message}\n`);
      return { code: EXIT.findings };
    }
    throw e;
  }
  try {
    await deps.services.save(path, config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    // The save is atomic: a failure leaves any previous file exactly as it was.
    return { code: fail(deps, tOf(deps)('wizard.cannotWrite', { file: path, code: err.code, reason: err.message })) };
  }
  deps.stdout.write(`\n${deps.style.green('✔')} ${tOf(deps)(ctx.current ? 'wizard.wroteKeptBak' : 'wizard.wrote', { file: path })}\n`);
  return { config, code: EXIT.ok };
}

/** The runbook; with `previous` (a rerun) only what to change in the web UI relative to it. */
export function printRunbook(deps: WizardDeps, config: Config, previous?: Config): void {
  if (previous && deps.services.runbookChanges) {
    const changes = deps.services.runbookChanges(previous, config, tOf(deps).lang);
    deps.stdout.write(`\n${deps.style.bold(tOf(deps)('wizard.nowChange'))}\n${changes.endsWith('\n') ? changes : changes + '\n'}`);
    return;
  }
  const text = deps.services.runbook(config, tOf(deps).lang);
  deps.stdout.write(`\n${deps.style.bold(tOf(deps)('wizard.nowDo'))}\n${text.endsWith('\n') ? text : text + '\n'}`);
}

export async function verifyInLab(deps: WizardDeps, path: string, config: Config): Promise<number> {
  const verify = deps.services.verify;
  if (!verify) {
    deps.stdout.write(`\n${tOf(deps)('wizard.verifySkipped', { file: path })}\n`);
    return EXIT.ok;
  }
  deps.stdout.write(`\n${deps.style.bold(tOf(deps)('wizard.verifying'))} — ${tOf(deps)('wizard.verifyingWhat')}\n`);
  const { exitCode } = await verify({ configPath: path, config, stdout: deps.stdout, stderr: deps.stderr, lang: tOf(deps).lang });
  return exitCode;
}
