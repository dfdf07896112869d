// `ksmg-setup init` and the program's default action (bare `ksmg-setup`). Thin: parse options,
// build the real dependencies, call src/wizard/main.ts, return its exit code.
import { Command } from 'commander';
import { z } from 'zod';
import { addWizardOptions } from '../wizard/flags.js';
import { runDefault, runInit, type WizardDeps } from '../wizard/main.js';
import { inquirerPrompter } from '../wizard/prompts.js';
import { realServices } from '../wizard/services.js';
import { commandAction, setExitCode } from './action.js';
import { DEFAULT_CONFIG_FILE, styleFor } from './output.js';

export function realDeps(): WizardDeps {
  return {
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

export function initCommand(): Command {
  const cmd = new Command('init');
  addWizardOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Non-interactive use (no terminal, --yes or --answers): every question has a flag, e.g.
  ksmg-setup init --integration behind-edge-no-verify --domain corp.example=10.0.0.25:25 \\
    --relayhost edge.corp.example:25 --trusted 10.0.0.0/8 --yes
Missing answers are named and the exit code is 2; Ctrl-C exits 130 and writes nothing.`,
  );
  cmd.action(
    commandAction(initOptionsSchema, (opts) =>
      runInit({ config: opts.config, answers: opts.answers, yes: Boolean(opts.yes), verify: opts.verify, flags: opts }, realDeps()),
    ),
  );
  return cmd;
}

/** Bare `ksmg-setup`: a ksmg.yaml here → audit + rerun menu; none → the wizard (TTY) or exit 2. */
export async function defaultAction(program: Command): Promise<void> {
  setExitCode(program, await runDefault({ config: DEFAULT_CONFIG_FILE }, realDeps()));
}
