// The command registry. A command's code is imported only when that command runs, so
// `ksmg-setup --help` and `ksmg-setup audit` do not pay for the relay, the lab or mailauth.
//
// How to add a command (e.g. `export`, `probe`, `check`):
//   1. Write src/cli/<name>.ts exporting `<name>Command(): Command`: its options, help text and
//      `.action(commandAction(<zod schema>, (opts, args) => <plain function returning an exit code>))`
//      (see ./action.ts). It may import anything at its top: it is loaded only for <name>.
//   2. Add one entry below: the name, the one-line summary `ksmg-setup --help` shows (without
//      loading the file; it is also the command's own description), the usage words after the
//      name, and the dynamic import. Keep entries one per line, in the order of the help.
//   3. Do not import command files anywhere else in src/ (a static import defeats the lazy load);
//      `npm run bench` (bench/cli-bench.js) shows the start-up time.
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  summary: string;
  /** What follows the name in the command list, e.g. "[options]". */
  usage: string;
  load: () => Promise<Command>;
}

export const commands: CommandEntry[] = [
  {
    name: 'init',
    summary: 'the setup wizard: ask (or take flags/--answers), write ksmg.yaml, print the runbook, verify in the lab',
    usage: '[options]',
    load: () => import('./init.js').then((m) => m.initCommand()),
  },
  {
    name: 'audit',
    summary: 'check ksmg.yaml against its integration scheme and against itself',
    usage: '[options]',
    load: () => import('./audit.js').then((m) => m.auditCommand()),
  },
  {
    name: 'runbook',
    summary: 'print the numbered KSMG web-UI steps that apply ksmg.yaml',
    usage: '[options]',
    load: () => import('./runbook.js').then((m) => m.runbookCommand()),
  },
  {
    name: 'export',
    summary: 'write what a real Postfix needs to behave as ksmg.yaml says (main.cf, master.cf, maps)',
    usage: 'postfix [options]',
    load: () => import('./export.js').then((m) => m.exportCommand()),
  },
  {
    name: 'verify',
    summary: "replay the scenario packs for the config's integration scheme in a local lab and prove every outcome",
    usage: '[options]',
    load: () => import('./verify.js').then((m) => m.verifyCommand()),
  },
  {
    name: 'relay',
    summary: 'run the KSMG gateway emulator: an SMTP relay that enforces ksmg.yaml and answers like the real one',
    usage: '[options]',
    load: () => import('./relay.js').then((m) => m.relayCommand()),
  },
  {
    name: 'queue',
    summary: 'inspect and manage the relay spool (postqueue/postsuper style)',
    usage: '<command>',
    load: () => import('./queue.js').then((m) => m.queueCommand()),
  },
  {
    name: 'probe',
    summary: 'check a live gateway from this host against the config: the dialogue part of every applicable scenario, RSET before DATA',
    usage: '[options]',
    load: () => import('./probe.js').then((m) => m.probeCommand()),
  },
  {
    name: 'check',
    summary: 'one SMTP transaction decided as the gateway would, in-process, nothing delivered (like exim -bh)',
    usage: '[options]',
    load: () => import('./check.js').then((m) => m.checkCommand()),
  },
];
