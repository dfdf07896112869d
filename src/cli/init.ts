// `ksmg-setup init` and the program's default action (bare `ksmg-setup`). Thin: parse options,
// build the real dependencies, call src/wizard/main.ts, return its exit code.
import { Command } from 'commander';
import { z } from 'zod';
import { addWizardOptions } from '../wizard/flags.js';
import { runDefault, runInit, type WizardDeps } from '../wizard/main.js';
import { inquirerPrompter } from '../wizard/prompts.js';
import { realServices } from '../wizard/services.js';
import { commandAction, langOf, setExitCode } from './action.js';
import { t, translator, type Lang } from '../i18n/index.js';
import { DEFAULT_CONFIG_FILE, styleFor } from './output.js';

export function realDeps(lang: Lang = 'en'): WizardDeps {
  return {
    t: translator(lang),
    prompt: inquirerPrompter(),
    stdout: process.stdout,
    stderr: process.stderr,
    style: styleFor(process.stdout),
    services: realServices,
    tty: Boolean(process.stdin.isTTY),
  };
}

// The answer flags stay loose here: the wizard validates them with the same normaliser as an
// answers file (src/wizard/flags.ts), so both give the same messages.
export const initOptionsSchema = z.looseObject({
  config: z.string(),
  answers: z.string().optional(),
  yes: z.boolean().optional(),
  verify: z.boolean(),
});

export function initCommand(lang: Lang = 'en'): Command {
  const cmd = new Command('init');
  addWizardOptions(cmd, translator(lang));
  cmd.addHelpText('after', t(lang, 'wizard.help.after'));
  cmd.action(
    commandAction(initOptionsSchema, (opts, _args, c) =>
      runInit(
        { config: opts.config, answers: opts.answers, yes: Boolean(opts.yes), verify: opts.verify, flags: opts },
        realDeps(langOf(c)),
      ),
    ),
  );
  return cmd;
}

/** Bare `ksmg-setup`: a ksmg.yaml here → audit + rerun menu; none → the wizard (TTY) or exit 2. */
export async function defaultAction(program: Command): Promise<void> {
  setExitCode(program, await runDefault({ config: DEFAULT_CONFIG_FILE }, realDeps(langOf(program))));
}
