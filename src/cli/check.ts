// `ksmg-setup check`: thin: parse options → load the config → runCheck() → print. Exit 0 when
// the message would be accepted for every recipient, 1 when anything is refused, 2 unusable input.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { CheckInputError, runCheck } from '../check/check.js';
import { formatCheckText } from '../check/format.js';
import { evalSize } from '../lab/expand.js';
import { commandAction, UsageError } from './action.js';
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

export function checkCommand(): Command {
  return new Command('check')
    .addOption(configOption())
    .requiredOption('--client <ip|class>', 'the SMTP client: an IP address, or trusted | untrusted | edge')
    .requiredOption('--from <address>', 'MAIL FROM address ("" for the null sender)')
    .requiredOption('--to <addresses>', 'RCPT TO addresses, comma-separated')
    .option('--helo <name>', 'EHLO name', 'client.example')
    .option('--size <bytes>', 'SIZE= at MAIL and the size of the generated message (5000, 100KB, 25MB)')
    .option('--message <file>', 'send (and content-scan) this message instead of a generated one')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  ksmg-setup check --client untrusted --from a@sender.example --to bob@elsewhere.example
  ksmg-setup check --client edge --from a@sender.example --to alice@corp.example,nobody@corp.example
  ksmg-setup check --client 10.0.0.25 --from alice@corp.example --to x@example.net --message mail.eml --format json

Exit codes: 0 accepted for every recipient; 1 refused for some or all; 2 unusable input.`,
    )
    .action(
      commandAction(checkOptionsSchema, async (opts) => {
        let message: { bytes: Buffer; file: string } | undefined;
        if (opts.message !== undefined) {
          try {
            message = { bytes: await readFile(opts.message), file: opts.message };
          } catch (e) {
            throw new UsageError(
              `--message ${opts.message}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
            );
          }
        }
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io);
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
        else io.stdout.write(formatCheckText(report, colorEnabled(io.stdout, io.env)));
        return report.outcome === 'accepted' ? EXIT.ok : EXIT.findings;
      }),
    );
}
