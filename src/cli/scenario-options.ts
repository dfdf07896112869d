// The options `verify` and `probe` share: which scenarios run (the built-in packs, --scenarios,
// --filter) and how they are reported (--reporter/--output pairs). One definition, so the two
// commands cannot drift apart in names, help texts or validation.
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { REPORTER_NAMES, type ReporterName } from '../lab/reporters/types.js';

/** commander's collector for a repeatable option. */
export const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The zod fields of the shared options (spread into each command's schema). */
export const scenarioSelectionShape = {
  config: z.string(),
  scenarios: z.array(z.string()).optional(),
  builtin: z.boolean(),
  filter: z.array(z.string()).optional(),
  reporter: z.array(z.string()).optional(),
  output: z.array(z.string()).optional(),
};

/** Adds --scenarios, --no-builtin, --filter, --reporter and --output (after the command's --config). */
export function addScenarioSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--scenarios <dir...>', 'your own scenario files or folders, run with the built-in packs')
    .option('--no-builtin', 'run only --scenarios, not the built-in packs')
    .option('--filter <text>', 'only scenarios whose id, name or tag contains TEXT (tag:NAME for an exact tag); repeatable', collect)
    .addOption(new Option('--reporter <name>', 'pretty | json | junit; repeatable').argParser(collect))
    .option('--output <file>', 'file for the matching --reporter (in order); repeatable', collect);
}

/** Pairs --reporter and --output in order: the n-th --output belongs to the n-th --reporter. */
export function pairReporters(names: string[], outputs: string[]): Array<{ name: ReporterName; output?: string }> | string {
  const list = names.length ? names : ['pretty'];
  for (const n of list)
    if (!(REPORTER_NAMES as readonly string[]).includes(n)) return `unknown reporter "${n}" (use ${REPORTER_NAMES.join(', ')})`;
  if (outputs.length > list.length)
    return `more --output (${outputs.length}) than --reporter (${list.length}): give one --reporter per --output`;
  return list.map((name, i) => ({ name: name as ReporterName, output: outputs[i] }));
}
