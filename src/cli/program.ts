// The commander program. Only the command being run is loaded (see the registry in
// ./commands.ts); the others are listed by name and summary for `--help`. Each command file only
// parses, validates, calls a plain function and returns an exit code (EXIT in ./exit.ts).
import { Command, CommanderError, Help, Option, type HelpConfiguration } from 'commander';
import { createRequire } from 'node:module';
import { exitCodeOf } from './action.js';
import { commands, type CommandEntry } from './commands.js';
import { EXIT } from './exit.js';
import { chooseLang, isLang, t, type Lang } from '../i18n/index.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** The command argv names: the first word that is not an option (`help X` names X). */
export function commandNameIn(argv: readonly string[]): string | undefined {
  // The value of the program's --lang is not a command name (`ksmg-setup --lang cs audit`).
  const words = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--lang');
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The language the help and the messages speak, read before commander parses: `--lang cs` or
 * `--lang=cs` anywhere in argv (an invalid value is commander's error to report), else the locale.
 */
export function langInArgv(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  let flag: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--lang') flag = argv[i + 1];
    else if (a.startsWith('--lang=')) flag = a.slice('--lang='.length);
  });
  return chooseLang(isLang(flag) ? flag : undefined, env);
}

/** A stand-in that only lists the command in `ksmg-setup --help`. */
const listed = (entry: CommandEntry, lang: Lang): Command => new Command(entry.name).description(t(lang, entry.summary));

/** commander's own help words (headings, the -h/-V descriptions) in `lang`, on this command and below. */
function localiseHelp(cmd: Command, lang: Lang, config: HelpConfiguration = {}): void {
  const titles: Record<string, string> = {
    'Usage:': t(lang, 'cli.help.usage'),
    'Options:': t(lang, 'cli.help.options'),
    'Commands:': t(lang, 'cli.help.commands'),
    'Arguments:': t(lang, 'cli.help.arguments'),
    'Global Options:': t(lang, 'cli.help.globalOptions'),
  };
  const choices = t(lang, 'cli.help.choices');
  const defaults = t(lang, 'cli.help.default');
  const extras: Array<[string, string]> = [
    ['(choices: ', `(${choices}: `],
    ['(default: ', `(${defaults}: `],
    [', default: ', `, ${defaults}: `],
  ];
  cmd.configureHelp({
    ...config,
    styleTitle: (title: string) => titles[title] ?? title,
    // commander's "(choices: …)" and "(default: …)" after an option's description.
    optionDescription(this: Help, option: Option) {
      let text = Help.prototype.optionDescription.call(this, option);
      for (const [en, local] of extras) text = text.split(en).join(local);
      return text;
    },
  });
  cmd.helpOption('-h, --help', t(lang, 'cli.option.help'));
  for (const sub of cmd.commands) localiseHelp(sub, lang);
}

export async function buildProgram(
  argv: readonly string[] = [],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Command> {
  const lang = langInArgv(argv, env);
  const usage = new Map(commands.map((c) => [c.name, c.usage]));
  const program = new Command('ksmg-setup')
    .description(t(lang, 'cli.description'))
    .version(pkg.version, '-V, --version', t(lang, 'cli.option.version'))
    // One option for every command (read by commandAction through langOf): commander recognises a
    // program option after the command name too (`ksmg-setup runbook --lang cs`).
    .addOption(new Option('--lang <lang>', t(lang, 'cli.option.lang')).choices(['en', 'cs']))
    .showHelpAfterError(t(lang, 'cli.help.afterError'))
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const wanted = commandNameIn(argv);
  for (const entry of commands) {
    const cmd = entry.name === wanted ? (await entry.load(lang)).description(t(lang, entry.summary)) : listed(entry, lang);
    program.addCommand(cmd.exitOverride());
  }
  localiseHelp(program, lang, { subcommandTerm: (c) => [c.name(), usage.get(c.name())].filter(Boolean).join(' ') });
  // Bare `ksmg-setup`: a ksmg.yaml here → audit + rerun menu; none → the wizard (TTY) or exit 2.
  program.action(async () => {
    const { defaultAction } = await import('./init.js');
    await defaultAction(program);
  });
  // With a default action commander reports an unknown command as "too many arguments"; name it
  // instead. Subcommands keep their own strict checks.
  program.allowExcessArguments(true).hook('preAction', (_cmd, actionCommand) => {
    if (actionCommand === program && program.args.length > 0) {
      program.error(t(lang, 'cli.unknownCommand', { name: program.args[0]! }), { exitCode: EXIT.usage, code: 'commander.unknownCommand' });
    }
  });
  program.addHelpText('after', t(lang, 'cli.help.program'));
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
