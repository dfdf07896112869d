// The options `verify` and `probe` share: which scenarios run (the built-in packs, --scenarios,
// --filter) and how they are reported (--reporter/--output pairs). One definition, so the two
// commands cannot drift apart in names, help texts or validation.
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { REPORTER_NAMES, type ReporterName } from '../lab/reporters/types.js';
import { t, type Lang } from '../i18n/index.js';

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
export function addScenarioSelectionOptions(cmd: Command, lang: Lang = 'en'): Command {
  return cmd
    .option('--scenarios <dir...>', t(lang, 'cli.option.scenarios'))
    .option('--no-builtin', t(lang, 'cli.option.noBuiltin'))
    .option('--filter <text>', t(lang, 'cli.option.filter'), collect)
    .addOption(new Option('--reporter <name>', t(lang, 'cli.option.reporter')).argParser(collect))
    .option('--output <file>', t(lang, 'cli.option.output'), collect);
}

/** Pairs --reporter and --output in order: the n-th --output belongs to the n-th --reporter. */
export function pairReporters(
  names: string[],
  outputs: string[],
  lang: Lang = 'en',
): Array<{ name: ReporterName; output?: string }> | string {
  const list = names.length ? names : ['pretty'];
  for (const n of list)
    if (!(REPORTER_NAMES as readonly string[]).includes(n))
      return t(lang, 'cli.unknownReporter', { name: n, names: REPORTER_NAMES.join(', ') });
  if (outputs.length > list.length) return t(lang, 'cli.moreOutputs', { outputs: outputs.length, reporters: list.length });
  return list.map((name, i) => ({ name: name as ReporterName, output: outputs[i] }));
}
