// `ksmg-setup export postfix [--config F] [--out DIR]`: the main.cf, master.cf and maps a real
// Postfix needs to behave as ksmg.yaml says. Without --out, main.cf goes to stdout.
// Exit 0 written, 2 unusable file or wrong usage.
import { Command } from 'commander';
import { z } from 'zod';
import { exportPostfix, hashMaps } from '../export/postfix.js';
import { writePostfixExport } from '../export/write.js';
import { commandAction } from './action.js';
import { EXIT } from './exit.js';
import { configOption, loadForCommand, processIo, type CliIo } from './output.js';

export const exportOptionsSchema = z.strictObject({
  config: z.string(),
  out: z.string().min(1).optional(),
});
export type ExportOptions = z.output<typeof exportOptionsSchema>;

export async function exportPostfixMain(opts: ExportOptions, io: CliIo = processIo()): Promise<number> {
  const loaded = await loadForCommand(opts.config, io);
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
    io.stderr.write(`Cannot write ${opts.out}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const dir = opts.out;
  io.stderr.write(
    [
      `Wrote ${written.length} files to ${dir}: ${written.map((p) => p.slice(dir.length).replace(/^[\\/]/, '')).join(', ')}.`,
      'Then, in that config directory:',
      ...hashMaps(exp).map((m) => `  postmap -c ${dir} hash:${dir}/${m}`),
      `  postalias -c ${dir} hash:${dir}/aliases`,
      `  postconf -c ${dir} -n     (must print no warnings)`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

export function exportCommand(): Command {
  const postfix = new Command('postfix')
    .description('write the Postfix main.cf, master.cf and maps that behave as ksmg.yaml says')
    .addOption(configOption())
    .option('--out <dir>', 'write main.cf, master.cf and the maps into this directory (default: main.cf to stdout)')
    .showHelpAfterError('(run ksmg-setup export postfix --help for usage)')
    .addHelpText(
      'after',
      `
Every parameter carries a comment naming the KSMG web-UI field it comes from.

Examples:
  ksmg-setup export postfix                          main.cf for ./ksmg.yaml on stdout
  ksmg-setup export postfix -c examples/edge.yaml --out /tmp/pf

Exit codes: 0 written, 2 unusable file or wrong usage.`,
    )
    .action(commandAction(exportOptionsSchema, (opts) => exportPostfixMain(opts)));
  return new Command('export').addCommand(postfix);
}
