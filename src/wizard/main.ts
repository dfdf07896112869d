// `ksmg-setup init` and the bare `ksmg-setup`, as plain functions returning an exit code, so the
// commander layer stays thin and tests run them in-process with a scripted prompter and fakes.
import type { ChalkInstance } from 'chalk';
import type { Config } from '../config/schema.js';
import { createContext, type Output, type WizardContext } from './context.js';
import { answersFromFlags, answersToDraft, formatMissing, missingAnswers, readAnswersFile, type Answers } from './flags.js';
import { WizardCancelled, type Prompter } from './prompts.js';
import { rerunMenu, printFindings } from './rerun.js';
import { runWizard, WizardInputError, type RunWizardOptions } from './run.js';
import type { Loaded, WizardServices } from './services.js';

export const EXIT_CODES = { ok: 0, findings: 1, usage: 2, interrupted: 130 } as const;

export interface WizardDeps {
  prompt: Prompter;
  stdout: Output;
  stderr: Output;
  style: ChalkInstance;
  services: WizardServices;
  /** stdin is a terminal we may prompt on. */
  tty: boolean;
}

export interface InitOptions {
  config: string;
  answers?: string;
  yes?: boolean;
  verify?: boolean;
  /** The parsed command-line options (answer flags among them). */
  flags: Record<string, unknown>;
}

const fail = (deps: WizardDeps, message: string): number => {
  deps.stderr.write(`ksmg-setup: ${message}\n`);
  return EXIT_CODES.usage;
};

/** Loads the existing file, if any. A broken file is reported and never overwritten. */
export async function loadExisting(deps: WizardDeps, path: string): Promise<{ loaded?: Loaded; code?: number }> {
  if (!(await deps.services.exists(path))) return {};
  try {
    return { loaded: await deps.services.load(path) };
  } catch (e) {
    // The loader's ConfigError lists every problem with file:line (format()); anything else is a bug.
    const format = (e as { format?: () => string } | null)?.format;
    if (typeof format !== 'function') throw e;
    deps.stderr.write(`${format.call(e)}\n`);
    return { code: fail(deps, `${path} cannot be used as it is; fix it (or move it away) and run again. Nothing was changed.`) };
  }
}

/** Runs (part of) the wizard and writes the file; maps cancel/bad answers to exit codes. */
export async function wizardAndSave(
  ctx: WizardContext, deps: WizardDeps, path: string, opts: Omit<RunWizardOptions, 'target'> = {},
): Promise<{ config?: Config; code: number }> {
  let config: Config;
  try {
    config = await runWizard(ctx, { ...opts, target: path });
  } catch (e) {
    if (e instanceof WizardCancelled) {
      deps.stderr.write(`\nCancelled — ${path} was not written.\n`);
      return { code: EXIT_CODES.interrupted };
    }
    if (e instanceof WizardInputError) return { code: fail(deps, e.message) };
    throw e;
  }
  await deps.services.save(path, config);
  deps.stdout.write(`\n${deps.style.green('✔')} Wrote ${path}${ctx.current ? ` (previous version kept as ${path}.bak)` : ''}\n`);
  return { config, code: EXIT_CODES.ok };
}

export function printRunbook(deps: WizardDeps, config: Config): void {
  const text = deps.services.runbook(config);
  if (text === null) {
    deps.stdout.write('\nThe KSMG web-UI runbook is not available in this build yet (`ksmg-setup runbook`).\n');
    return;
  }
  deps.stdout.write(`\n${deps.style.bold('Now in the KSMG web interface')}\n${text.endsWith('\n') ? text : text + '\n'}`);
}

export async function verifyInLab(deps: WizardDeps, path: string, config: Config): Promise<number> {
  const verify = deps.services.verify;
  if (!verify) {
    deps.stdout.write(
      `\nLab verification is not available in this build yet, so ${path} has not been proven. ` +
        'Run `ksmg-setup verify` once it is.\n',
    );
    return EXIT_CODES.ok;
  }
  deps.stdout.write(`\n${deps.style.bold('Verifying in the lab')} — replaying the scenarios for this scheme\n`);
  const { exitCode } = await verify({ configPath: path, config, stdout: deps.stdout, stderr: deps.stderr });
  return exitCode;
}

export async function runInit(opts: InitOptions, deps: WizardDeps): Promise<number> {
  let answers: Answers = {};
  if (opts.answers) {
    const r = await readAnswersFile(opts.answers);
    if (r.errors.length) return fail(deps, r.errors.join('\n'));
    answers = r.answers;
  }
  // Flags override the answers file.
  const { draft: given, errors } = answersToDraft({ ...answers, ...answersFromFlags(opts.flags) });
  if (errors.length) return fail(deps, errors.join('\n'));

  const existing = await loadExisting(deps, opts.config);
  if (existing.code !== undefined) return existing.code;
  const current = existing.loaded?.config;

  const interactive = deps.tty && !opts.yes && !opts.answers;
  if (!interactive) {
    const missing = missingAnswers(given, current, Boolean(opts.yes));
    if (missing.required.length || missing.defaulted.length) return fail(deps, formatMissing(missing));
  }
  const ctx = createContext({
    given, current, interactive, yes: Boolean(opts.yes),
    prompt: deps.prompt, stdout: deps.stdout, stderr: deps.stderr, style: deps.style,
  });
  if (interactive) {
    deps.stdout.write(
      `${deps.style.bold('ksmg-setup')} — ${current ? `updating ${opts.config}; every answer is prefilled with its current value` : `integrating Kaspersky Secure Mail Gateway; the answers go to ${opts.config}`}.\n` +
        'Ctrl-C at any point leaves the file untouched.\n',
    );
  }
  const { config, code } = await wizardAndSave(ctx, deps, opts.config);
  if (!config) return code;
  printRunbook(deps, config);
  if (opts.verify === false) return EXIT_CODES.ok;
  return verifyInLab(deps, opts.config, config);
}

/** Bare `ksmg-setup`: a config here → audit then the rerun menu; none → the wizard on a TTY. */
export async function runDefault(opts: { config: string }, deps: WizardDeps): Promise<number> {
  const existing = await loadExisting(deps, opts.config);
  if (existing.code !== undefined) return existing.code;
  if (!existing.loaded) {
    if (!deps.tty) {
      return fail(
        deps,
        `no ${opts.config} here and no terminal to run the wizard on.\n` +
          'Run `ksmg-setup init` with flags or --answers FILE (see `ksmg-setup init --help`), or run it in a terminal.',
      );
    }
    return runInit({ config: opts.config, flags: {} }, deps);
  }
  const findings = deps.services.audit(existing.loaded);
  printFindings(deps, opts.config, existing.loaded, findings);
  const auditCode = findings.some((f) => f.severity === 'error') ? EXIT_CODES.findings : EXIT_CODES.ok;
  if (!deps.tty) return auditCode;
  return rerunMenu(deps, opts.config, existing.loaded, findings);
}
