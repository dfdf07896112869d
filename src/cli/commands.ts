// The command registry. A command's code is imported only when that command runs, so
// `ksmg-setup --help` and `ksmg-setup audit` do not pay for the relay, the lab or mailauth.
//
// How to add a command (e.g. `export`, `probe`, `check`):
//   1. Write src/cli/<name>.ts exporting `<name>Command(): Command`: its options, help text and
//      `.action(commandAction(<zod schema>, (opts, args) => <plain function returning an exit code>))`
//      (see ./action.ts). It may import anything at its top: it is loaded only for <name>.
//   2. Add one entry below: the name, the catalogue id of the one-line summary `ksmg-setup --help`
//      shows (without loading the file; it is also the command's own description; the text goes
//      in src/i18n/cli-en.ts and cli-cs.ts), the usage words after the name, and the dynamic
//      import, which gets the language the help speaks. Keep entries in the order of the help.
//   3. Do not import command files anywhere else in src/ (a static import defeats the lazy load);
//      `npm run bench` (bench/cli-bench.js) shows the start-up time.
import type { Command } from 'commander';
import type { Lang, MessageId } from '../i18n/index.js';

export interface CommandEntry {
  name: string;
  /** The summary's catalogue id. */
  summary: MessageId;
  /** What follows the name in the command list, e.g. "[options]". */
  usage: string;
  /** The command with its options and help texts in `lang`. */
  load: (lang?: Lang) => Promise<Command>;
}

export const commands: CommandEntry[] = [
  {
    name: 'init',
    summary: 'cli.summary.init',
    usage: '[options]',
    load: (lang) => import('./init.js').then((m) => m.initCommand(lang)),
  },
  {
    name: 'audit',
    summary: 'cli.summary.audit',
    usage: '[options]',
    load: (lang) => import('./audit.js').then((m) => m.auditCommand(lang)),
  },
  {
    name: 'runbook',
    summary: 'cli.summary.runbook',
    usage: '[options]',
    load: (lang) => import('./runbook.js').then((m) => m.runbookCommand(lang)),
  },
  {
    name: 'export',
    summary: 'cli.summary.export',
    usage: 'postfix [options]',
    load: (lang) => import('./export.js').then((m) => m.exportCommand(lang)),
  },
  {
    name: 'verify',
    summary: 'cli.summary.verify',
    usage: '[options]',
    load: (lang) => import('./verify.js').then((m) => m.verifyCommand(lang)),
  },
  {
    name: 'relay',
    summary: 'cli.summary.relay',
    usage: '[options]',
    load: (lang) => import('./relay.js').then((m) => m.relayCommand(lang)),
  },
  {
    name: 'queue',
    summary: 'cli.summary.queue',
    usage: '<command>',
    load: (lang) => import('./queue.js').then((m) => m.queueCommand(lang)),
  },
  {
    name: 'probe',
    summary: 'cli.summary.probe',
    usage: '[options]',
    load: (lang) => import('./probe.js').then((m) => m.probeCommand(lang)),
  },
  {
    name: 'check',
    summary: 'cli.summary.check',
    usage: '[options]',
    load: (lang) => import('./check.js').then((m) => m.checkCommand(lang)),
  },
];
