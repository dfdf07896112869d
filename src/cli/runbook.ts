// `ksmg-setup runbook [--config F] [--format text|markdown]`: the KSMG web-UI steps with this
// config's values. Exit 0 printed, 2 unusable file or wrong usage.
import { Command, Option } from 'commander';
import { z } from 'zod';
import { buildRunbook, renderRunbook, renderRunbookChanges, schemeTitle } from '../runbook/index.js';
import { t, type Lang } from '../i18n/index.js';
import { runAudit, summarize } from '../audit/index.js';
import { commandAction, langOf } from './action.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo, styleFor, type CliIo } from './output.js';

export const runbookOptionsSchema = z.strictObject({
  config: z.string(),
  format: z.enum(['text', 'markdown']),
  ksmgVersion: z.enum(['2.x', '1.1']).default('2.x'),
  since: z.string().optional(),
});
export type RunbookOptions = z.input<typeof runbookOptionsSchema>;

export async function runbookMain(opts: RunbookOptions, io: CliIo = processIo(), lang: Lang = 'en'): Promise<number> {
  const loaded = await loadForCommand(opts.config, io, undefined, lang);
  if (!loaded) return EXIT.usage;
  const { config, source } = loaded;
  const errors = summarize(runAudit(config, source)).errors;
  if (errors > 0) {
    // The steps follow the file as written; say so when the file itself is wrong for its scheme.
    io.stderr.write(styleFor(io.stderr, io.env).yellow(t(lang, 'runbook.auditNote', { file: opts.config, count: errors })));
  }
  const version = opts.ksmgVersion ?? '2.x';
  if (opts.since) {
    // Only what to change in the web UI relative to an earlier file (e.g. ksmg.yaml.bak).
    const before = await loadForCommand(opts.since, io, undefined, lang);
    if (!before) return EXIT.usage;
    io.stdout.write(renderRunbookChanges(before.config, config, { version, lang }));
    return EXIT.ok;
  }
  const title = t(lang, 'runbook.title', { file: opts.config, scheme: schemeTitle(config.integration, lang), version });
  io.stdout.write(renderRunbook(buildRunbook(config, { version, lang }), opts.format, { title, lang }));
  return EXIT.ok;
}

export function runbookCommand(lang: Lang = 'en'): Command {
  return new Command('runbook')
    .addOption(configOption(lang))
    .addOption(new Option('--format <format>', t(lang, 'cli.option.format')).choices(['text', 'markdown']).default('text'))
    .addOption(new Option('--ksmg-version <version>', t(lang, 'cli.runbook.option.ksmgVersion')).choices(['2.x', '1.1']).default('2.x'))
    .option('--since <file>', t(lang, 'cli.runbook.option.since'))
    .showHelpAfterError(t(lang, 'cli.help.afterErrorCommand', { command: 'ksmg-setup runbook' }))
    .addHelpText('after', t(lang, 'cli.runbook.help'))
    .action(commandAction(runbookOptionsSchema, (opts, _args, cmd) => runbookMain(opts, processIo(), langOf(cmd))));
}
