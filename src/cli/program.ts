// The commander program. Only the command being run is loaded (see the registry in
// ./commands.ts); the others are listed by name and summary for `--help`. Each command file only
// parses, validates, calls a plain function and returns an exit code (EXIT in ./exit.ts).
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { exitCodeOf } from './action.js';
import { commands, type CommandEntry } from './commands.js';
import { EXIT } from './exit.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** The command argv names: the first word that is not an option (`help X` names X). */
export function commandNameIn(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** A stand-in that only lists the command in `ksmg-setup --help`. */
const listed = (entry: CommandEntry): Command => new Command(entry.name).description(entry.summary);

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const usage = new Map(commands.map((c) => [c.name, c.usage]));
  const program = new Command('ksmg-setup')
    .description('Integrate Kaspersky Secure Mail Gateway into a mail flow: audit ksmg.yaml, print the web-UI runbook, run the lab.')
    .version(pkg.version, '-V, --version')
    // One option for every command (read by commandAction through langOf): commander recognises a
    // program option after the command name too (`ksmg-setup runbook --lang cs`).
    .addOption(
      new Option('--lang <lang>', 'language of the output: en or cs (default: from LC_ALL, LC_MESSAGES, LANG)').choices(['en', 'cs']),
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ subcommandTerm: (c) => [c.name(), usage.get(c.name())].filter(Boolean).join(' ') })
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const wanted = commandNameIn(argv);
  for (const entry of commands) {
    const cmd = entry.name === wanted ? (await entry.load()).description(entry.summary) : listed(entry);
    program.addCommand(cmd.exitOverride());
  }
  // Bare `ksmg-setup`: a ksmg.yaml here → audit + rerun menu; none → the wizard (TTY) or exit 2.
  program.action(async () => {
    const { defaultAction } = await import('./init.js');
    await defaultAction(program);
  });
  // With a default action commander reports an unknown command as "too many arguments"; name it
  // instead. Subcommands keep their own strict checks.
  program.allowExcessArguments(true).hook('preAction', (_cmd, actionCommand) => {
    if (actionCommand === program && program.args.length > 0) {
      program.error(`error: unknown command '${program.args[0]}'`, { exitCode: EXIT.usage, code: 'commander.unknownCommand' });
    }
  });
  program.addHelpText(
    'after',
    `
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
`,
  );
  return program;
}

/** Runs the CLI and returns the exit code (it never sets process.exitCode), so tests call it in-process. */
export async function runCli(argv: string[]): Promise<number> {
  // `help [command]` is `[command] --help` (commander's own help command is off: bare ksmg-setup runs the wizard).
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const program = await buildProgram(args);
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCodeOf(program) ?? EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw e;
  }
}
