// `ksmg-setup verify`: thin: parse options → load the config → runVerify() → exit code
// (0 all scenarios passed, 1 a scenario failed, 2 unusable input).
import { Command, Option } from 'commander';
import { z } from 'zod';
import { REPORTER_NAMES, type ReporterName } from '../lab/reporters/types.js';
import { commandAction, UsageError } from './action.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo } from './output.js';

// The lab (relay, sinks, DNS, scan) is imported when verify runs, not for `verify --help`.
const lab = () => import('../lab/verify.js');

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const verifyOptionsSchema = z.strictObject({
  config: z.string(),
  scenarios: z.array(z.string()).optional(),
  builtin: z.boolean(),
  filter: z.array(z.string()).optional(),
  reporter: z.array(z.string()).optional(),
  output: z.array(z.string()).optional(),
  shard: z
    .string()
    .optional()
    .transform(async (s, ctx) => {
      if (s === undefined) return undefined;
      const shard = (await lab()).parseShard(s);
      if (!shard) ctx.addIssue({ code: 'custom', message: 'expected I/N with 1 ≤ I ≤ N, e.g. 1/4' });
      return shard ?? undefined;
    }),
  jobs: z.coerce
    .number({ error: 'expected a whole number 1–64' })
    .int('expected a whole number 1–64')
    .min(1, 'expected a whole number 1–64')
    .max(64, 'expected a whole number 1–64'),
});

/** Pairs --reporter and --output in order: the n-th --output belongs to the n-th --reporter. */
export function pairReporters(names: string[], outputs: string[]): Array<{ name: ReporterName; output?: string }> | string {
  const list = names.length ? names : ['pretty'];
  for (const n of list)
    if (!(REPORTER_NAMES as readonly string[]).includes(n)) return `unknown reporter "${n}" (use ${REPORTER_NAMES.join(', ')})`;
  if (outputs.length > list.length)
    return `more --output (${outputs.length}) than --reporter (${list.length}): give one --reporter per --output`;
  return list.map((name, i) => ({ name: name as ReporterName, output: outputs[i] }));
}

export function verifyCommand(): Command {
  return new Command('verify')
    .addOption(configOption())
    .option('--scenarios <dir...>', 'your own scenario files or folders, run with the built-in packs')
    .option('--no-builtin', 'run only --scenarios, not the built-in packs')
    .option('--filter <text>', 'only scenarios whose id, name or tag contains TEXT (tag:NAME for an exact tag); repeatable', collect)
    .addOption(new Option('--reporter <name>', 'pretty | json | junit; repeatable').argParser(collect))
    .option('--output <file>', 'file for the matching --reporter (in order); repeatable', collect)
    .option('--shard <i/n>', 'run the i-th of n deterministic slices (CI matrices), e.g. 2/4')
    .option('--jobs <n>', 'scenarios run at the same time where safe', '4')
    .addHelpText(
      'after',
      `
Examples:
  ksmg-setup verify --config examples/behind-edge-no-verify.yaml
  ksmg-setup verify --filter relay --filter tag:smuggling
  ksmg-setup verify --reporter pretty --reporter junit --output verify.xml
  ksmg-setup verify --scenarios ./my-scenarios --shard 1/2

Exit codes: 0 all scenarios passed; 1 a scenario failed; 2 unusable input (config, scenario file, option).`,
    )
    .action(
      commandAction(verifyOptionsSchema, async (opts) => {
        const reporters = pairReporters(opts.reporter ?? [], opts.output ?? []);
        if (typeof reporters === 'string') throw new UsageError(reporters);
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io);
        if (!loaded) return EXIT.usage;
        const outcome = await (
          await lab()
        ).runVerify({
          config: loaded.config,
          configPath: opts.config,
          scenarios: opts.scenarios,
          builtin: opts.builtin,
          filter: opts.filter,
          shard: opts.shard,
          jobs: opts.jobs,
          reporters,
        });
        return outcome.exitCode;
      }),
    );
}
