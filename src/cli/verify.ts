// `ksmg-setup verify`: thin: parse options → load the config → runVerify() → exit code
// (0 all scenarios passed, 1 a scenario failed, 2 unusable input).
import { Command } from 'commander';
import { z } from 'zod';
import { commandAction, UsageError } from './action.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo } from './output.js';
import { addScenarioSelectionOptions, pairReporters, scenarioSelectionShape } from './scenario-options.js';

// The lab (relay, sinks, DNS, scan) is imported when verify runs, not for `verify --help`.
const lab = () => import('../lab/verify.js');

export const verifyOptionsSchema = z.strictObject({
  ...scenarioSelectionShape,
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

// Kept importable from here for existing callers.
export { pairReporters };

export function verifyCommand(): Command {
  return addScenarioSelectionOptions(new Command('verify').addOption(configOption()))
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
