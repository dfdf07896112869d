// `ksmg-setup init` and the bare `ksmg-setup`, as plain functions returning an exit code, so the
// commander layer stays thin and tests run them in-process with a scripted prompter and fakes.
import { createContext } from './context.js';
import { answersFromFlags, answersToDraft, formatMissing, missingAnswers, readAnswersFile, type Answers } from './flags.js';
import { fail, loadExisting, printRunbook, tOf, verifyInLab, wizardAndSave, type WizardDeps } from './finish.js';
import { printFindings, rerunMenu } from './rerun.js';
import { EXIT } from '../cli/exit.js';

export type { WizardDeps };

export interface InitOptions {
  config: string;
  answers?: string;
  yes?: boolean;
  verify?: boolean;
  /** The parsed command-line options (answer flags among them). */
  flags: Record<string, unknown>;
}

export async function runInit(opts: InitOptions, deps: WizardDeps): Promise<number> {
  let answers: Answers = {};
  if (opts.answers) {
    const r = await readAnswersFile(opts.answers, tOf(deps));
    if (r.errors.length) return fail(deps, r.errors.join('\n'));
    answers = r.answers;
  }
  // Flags override the answers file.
  const { draft: given, errors } = answersToDraft({ ...answers, ...answersFromFlags(opts.flags) }, tOf(deps));
  if (errors.length) return fail(deps, errors.join('\n'));

  const existing = await loadExisting(deps, opts.config);
  if (existing.code !== undefined) return existing.code;
  const current = existing.loaded?.config;

  const interactive = deps.tty && !opts.yes && !opts.answers;
  if (!interactive) {
    const missing = missingAnswers(given, current, Boolean(opts.yes));
    if (missing.required.length || missing.defaulted.length) return fail(deps, formatMissing(missing, tOf(deps)));
  }
  const ctx = createContext({
    given,
    current,
    interactive,
    yes: Boolean(opts.yes),
    acceptFindings: Boolean(opts.flags.acceptFindings),
    prompt: deps.prompt,
    stdout: deps.stdout,
    stderr: deps.stderr,
    style: deps.style,
    t: tOf(deps),
  });
  if (interactive) {
    const t = tOf(deps);
    deps.stdout.write(
      `${deps.style.bold('ksmg-setup')} — ${t(current ? 'wizard.intro.update' : 'wizard.intro.new', { file: opts.config })}.\n` +
        `${t('wizard.intro.ctrlC')}\n`,
    );
  }
  const { config, code } = await wizardAndSave(ctx, deps, opts.config);
  if (!config) return code;
  // Updating a file: only what to change in the web UI relative to it.
  printRunbook(deps, config, current);
  if (opts.verify === false) return EXIT.ok;
  return verifyInLab(deps, opts.config, config);
}

/** Bare `ksmg-setup`: a config here → audit then the rerun menu; none → the wizard on a TTY. */
export async function runDefault(opts: { config: string }, deps: WizardDeps): Promise<number> {
  const existing = await loadExisting(deps, opts.config);
  if (existing.code !== undefined) return existing.code;
  if (!existing.loaded) {
    if (!deps.tty) {
      return fail(deps, tOf(deps)('wizard.noFileNoTerminal', { file: opts.config }));
    }
    return runInit({ config: opts.config, flags: {} }, deps);
  }
  const findings = deps.services.audit(existing.loaded, tOf(deps).lang);
  printFindings(deps, opts.config, existing.loaded, findings);
  const auditCode = findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
  if (!deps.tty) return auditCode;
  return rerunMenu(deps, opts.config, existing.loaded, findings);
}
