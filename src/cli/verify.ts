// `ksmg-setup verify`: thin: parse options → load the config → runVerify() → exit code
// (0 all scenarios passed, 1 a scenario failed, 2 unusable input).
import { Command } from 'commander';
import { z } from 'zod';
import { commandAction, langOf, UsageError } from './action.js';
import { t, type Lang } from '../i18n/index.js';
import { EXIT } from './exit.js';
import { checkTlsFiles, configOption, loadForCommand, processIo } from './output.js';
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

export function verifyCommand(lang: Lang = 'en'): Command {
  return addScenarioSelectionOptions(new Command('verify').addOption(configOption(lang)), lang)
    .option('--shard <i/n>', t(lang, 'cli.verify.option.shard'))
    .option('--jobs <n>', t(lang, 'cli.verify.option.jobs'), '4')
    .addHelpText('after', t(lang, 'cli.verify.help'))
    .action(
      commandAction(verifyOptionsSchema, async (opts, _args, cmd) => {
        const lang = langOf(cmd);
        const reporters = pairReporters(opts.reporter ?? [], opts.output ?? [], lang);
        if (typeof reporters === 'string') throw new UsageError(reporters);
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io, undefined, lang);
        if (!loaded || !(await checkTlsFiles(loaded, io, lang))) return EXIT.usage;
        // The gateway's self-signed key is made in a thread of its own, and the first scan thread
        // loads the scanner, while the lab is imported (runVerify joins both).
        (await import('../lab/certificates.js')).labCertificates(loaded.config);
        const scanThreads = (await import('../lab/scan-threads.js')).labScanPool();
        try {
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
            lang,
          });
          return outcome.exitCode;
        } finally {
          await scanThreads.close();
        }
      }),
    );
}
