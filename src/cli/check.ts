// `ksmg-setup check`: thin: parse options → load the config → runCheck() → print. Exit 0 when
// the message would be accepted for every recipient, 1 when anything is refused, 2 unusable input.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { CheckInputError, runCheck } from '../check/check.js';
import { formatCheckText } from '../check/format.js';
import { evalSize } from '../lab/expand.js';
import { commandAction, langOf, UsageError } from './action.js';
import { t, type Lang } from '../i18n/index.js';
import { EXIT } from './exit.js';
import { colorEnabled, configOption, loadForCommand, processIo, writeJson } from './output.js';

export const checkOptionsSchema = z.strictObject({
  config: z.string(),
  client: z.string().min(1),
  from: z.string(),
  to: z.string().transform((v, ctx) => {
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!list.length) ctx.addIssue({ code: 'custom', message: 'give at least one recipient address' });
    return list;
  }),
  helo: z.string(),
  size: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const n = evalSize(v);
      if (n === null) ctx.addIssue({ code: 'custom', message: 'expected a size in bytes, e.g. 5000, 100KB, 25MB' });
      return n ?? undefined;
    }),
  message: z.string().optional(),
  format: z.enum(['text', 'json']),
});

export function checkCommand(lang: Lang = 'en'): Command {
  return new Command('check')
    .addOption(configOption(lang))
    .requiredOption('--client <ip|class>', t(lang, 'cli.check.option.client'))
    .requiredOption('--from <address>', t(lang, 'cli.check.option.from'))
    .requiredOption('--to <addresses>', t(lang, 'cli.check.option.to'))
    .option('--helo <name>', t(lang, 'cli.check.option.helo'), 'client.example')
    .option('--size <bytes>', t(lang, 'cli.check.option.size'))
    .option('--message <file>', t(lang, 'cli.check.option.message'))
    .addOption(new Option('--format <format>', t(lang, 'cli.check.option.format')).choices(['text', 'json']).default('text'))
    .addHelpText('after', t(lang, 'cli.check.help'))
    .action(
      commandAction(checkOptionsSchema, async (opts, _args, cmd) => {
        const lang = langOf(cmd);
        let message: { bytes: Buffer; file: string } | undefined;
        if (opts.message !== undefined) {
          try {
            message = { bytes: await readFile(opts.message), file: opts.message };
          } catch (e) {
            throw new UsageError(
              `--message ${opts.message}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? t(lang, 'cli.check.noSuchFile') : (e as Error).message}`,
            );
          }
        }
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io, undefined, lang);
        if (!loaded) return EXIT.usage;
        let report;
        try {
          report = await runCheck({
            config: loaded.config,
            configPath: opts.config,
            client: opts.client,
            from: opts.from,
            to: opts.to,
            helo: opts.helo,
            size: opts.size,
            message,
          });
        } catch (e) {
          if (e instanceof CheckInputError) throw new UsageError(e.message);
          throw e;
        }
        if (opts.format === 'json') writeJson(io.stdout, report);
        else io.stdout.write(formatCheckText(report, colorEnabled(io.stdout, io.env), lang));
        return report.outcome === 'accepted' ? EXIT.ok : EXIT.findings;
      }),
    );
}
