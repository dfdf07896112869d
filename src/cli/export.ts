// `ksmg-setup export postfix [--config F] [--out DIR]`: the main.cf, master.cf and maps a real
// Postfix needs to behave as ksmg.yaml says. Without --out, main.cf goes to stdout.
// Exit 0 written, 2 unusable file or wrong usage.
import { Command } from 'commander';
import { z } from 'zod';
import { exportPostfix, hashMaps } from '../export/postfix.js';
import { writePostfixExport } from '../export/write.js';
import { commandAction, langOf } from './action.js';
import { t, type Lang } from '../i18n/index.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo, type CliIo } from './output.js';

export const exportOptionsSchema = z.strictObject({
  config: z.string(),
  out: z.string().min(1).optional(),
});
export type ExportOptions = z.output<typeof exportOptionsSchema>;

export async function exportPostfixMain(opts: ExportOptions, io: CliIo = processIo(), lang: Lang = 'en'): Promise<number> {
  const loaded = await loadForCommand(opts.config, io, undefined, lang);
  if (!loaded) return EXIT.usage;
  const exp = exportPostfix(loaded.config);
  if (!opts.out) {
    io.stdout.write(exp.mainCf);
    return EXIT.ok;
  }
  let written: string[];
  try {
    written = await writePostfixExport(exp, opts.out);
  } catch (e) {
    io.stderr.write(`${t(lang, 'cli.export.cannotWrite', { dir: opts.out, reason: (e as Error).message })}\n`);
    return EXIT.usage;
  }
  const dir = opts.out;
  io.stderr.write(
    [
      t(lang, 'cli.export.wrote', {
        count: written.length,
        dir,
        files: written.map((p) => p.slice(dir.length).replace(/^[\\/]/, '')).join(', '),
      }),
      t(lang, 'cli.export.then'),
      ...hashMaps(exp).map((m) => `  postmap -c ${dir} hash:${dir}/${m}`),
      `  postalias -c ${dir} hash:${dir}/aliases`,
      `  postconf -c ${dir} -n     ${t(lang, 'cli.export.noWarnings')}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

export function exportCommand(lang: Lang = 'en'): Command {
  const postfix = new Command('postfix')
    .description(t(lang, 'cli.export.postfix.description'))
    .addOption(configOption(lang))
    .option('--out <dir>', t(lang, 'cli.export.option.out'))
    .showHelpAfterError(t(lang, 'cli.help.afterErrorCommand', { command: 'ksmg-setup export postfix' }))
    .addHelpText('after', t(lang, 'cli.export.help'))
    .action(commandAction(exportOptionsSchema, (opts, _args, cmd) => exportPostfixMain(opts, processIo(), langOf(cmd))));
  return new Command('export').addCommand(postfix);
}
