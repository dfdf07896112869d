// `ksmg-setup audit [--config F] [--format text|json]`: exit 0 no errors, 1 errors, 2 unusable input.
import { Command, Option } from 'commander';
import { z } from 'zod';
import { runAudit, summarize } from '../audit/index.js';
import { auditJson, auditText, unusableJson } from '../audit/format.js';
import { commandAction, langOf } from './action.js';
import { t, type Lang } from '../i18n/index.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo, styleFor, writeJson, type CliIo } from './output.js';

export const auditOptionsSchema = z.strictObject({
  config: z.string(),
  format: z.enum(['text', 'json']),
});
export type AuditOptions = z.output<typeof auditOptionsSchema>;

export async function auditMain(opts: AuditOptions, io: CliIo = processIo(), lang: Lang = 'en'): Promise<number> {
  const loaded = await loadForCommand(
    opts.config,
    io,
    (e) => {
      if (opts.format === 'json') writeJson(io.stdout, unusableJson(opts.config, e.problems));
    },
    lang,
  );
  if (!loaded) return EXIT.usage;
  const findings = runAudit(loaded.config, loaded.source, lang);
  if (opts.format === 'json') writeJson(io.stdout, auditJson(opts.config, loaded.config, findings));
  else io.stdout.write(auditText(opts.config, loaded.config, findings, styleFor(io.stdout, io.env), lang));
  return summarize(findings).errors > 0 ? EXIT.findings : EXIT.ok;
}

export function auditCommand(lang: Lang = 'en'): Command {
  return new Command('audit')
    .addOption(configOption(lang))
    .addOption(new Option('--format <format>', t(lang, 'cli.option.format')).choices(['text', 'json']).default('text'))
    .showHelpAfterError(t(lang, 'cli.help.afterErrorCommand', { command: 'ksmg-setup audit' }))
    .addHelpText('after', t(lang, 'cli.audit.help'))
    .action(commandAction(auditOptionsSchema, (opts, _args, cmd) => auditMain(opts, processIo(), langOf(cmd))));
}
