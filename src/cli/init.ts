// `ksmg-setup init` and the program's default action (bare `ksmg-setup`). Thin: parse options,
// build the real dependencies, call src/wizard/main.ts, return its exit code.
import { Command } from 'commander';
import { addWizardOptions } from '../wizard/flags.js';
import { runDefault, runInit, type WizardDeps } from '../wizard/main.js';
import { inquirerPrompter } from '../wizard/prompts.js';
import { realServices } from '../wizard/services.js';
import { styleFor } from './output.js';

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

export function initCommand(): Command {
  const cmd = new Command('init').description('the setup wizard: ask (or take flags/--answers), write ksmg.yaml, print the runbook, verify in the lab');
  addWizardOptions(cmd);
  cmd.addHelpText('after', `
Non-interactive use (no terminal, --yes or --answers): every question has a flag, e.g.
  ksmg-setup init --integration behind-edge-no-verify --domain corp.example=10.0.0.25:25 \\
    --relayhost edge.corp.example:25 --trusted 10.0.0.0/8 --yes
Missing answers are named and the exit code is 2; Ctrl-C exits 130 and writes nothing.`);
  cmd.action(async (opts: Record<string, unknown>) => {
    process.exitCode = await runInit(
      { config: String(opts.config), answers: opts.answers as string | undefined, yes: Boolean(opts.yes), verify: opts.verify !== false, flags: opts },
      realDeps(),
    );
  });
  return cmd;
}

/** Bare `ksmg-setup`: a ksmg.yaml here → audit + rerun menu; none → the wizard (TTY) or exit 2. */
export function attachDefaultAction(program: Command): void {
  // program.ts names a mistyped command as unknown before this runs (its preAction hook).
  program.action(async () => {
    process.exitCode = await runDefault({ config: 'ksmg.yaml' }, realDeps());
  });
}
