// The commander program. Each command lives in its own file and only parses, validates,
// calls a plain function and maps the outcome to an exit code (see EXIT in ./exit.ts).
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EXIT } from './exit.js';
import { commands } from './commands.js';
import { attachDefaultAction } from './init.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('ksmg-setup')
    .description('Integrate Kaspersky Secure Mail Gateway into a mail flow: audit ksmg.yaml, print the web-UI runbook, run the lab.')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const make of commands) program.addCommand(make().exitOverride());
  attachDefaultAction(program);
  // With a default action (bare `ksmg-setup` starts the wizard) commander reports an unknown
  // command as "too many arguments"; name it instead. Subcommands keep their own strict checks.
  program.allowExcessArguments(true).hook('preAction', (_cmd, actionCommand) => {
    if (actionCommand === program && program.args.length > 0) {
      program.error(`error: unknown command '${program.args[0]}'`, { exitCode: EXIT.usage, code: 'commander.unknownCommand' });
    }
  });
  program.addHelpText('after', `
Exit codes:
  0    success (no error findings / all scenarios passed)
  1    the configuration has error findings, or a scenario failed
  2    unusable input: bad usage, unreadable or invalid ksmg.yaml
  70   internal error of ksmg-setup (a bug; please report it)
  130  interrupted (Ctrl-C)

Examples:
  npx ksmg-setup                                        the wizard (in a terminal)
  npx ksmg-setup verify --config examples/edge.yaml     prove a configuration in the local lab
  npx ksmg-setup audit --format json                    audit ./ksmg.yaml for CI
`);
  return program;
}

/** Runs the CLI and returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw e;
  }
}
