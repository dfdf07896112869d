// `ksmg-setup audit [--config F] [--format text|json]`: exit 0 no errors, 1 errors, 2 unusable input.
import { Command, Option } from 'commander';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { runAudit, summarize } from '../audit/index.js';
import { auditJson, auditText, unusableJson } from '../audit/format.js';
import { EXIT } from './exit.js';
import { configOption, formatConfigError, processIo, styleFor, writeJson, type CliIo } from './output.js';

export interface AuditOptions {
  config: string;
  format: 'text' | 'json';
}

export async function auditMain(opts: AuditOptions, io: CliIo = processIo()): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfig(opts.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr.write(formatConfigError(e, styleFor(io.stderr, io.env)));
    if (opts.format === 'json') writeJson(io.stdout, unusableJson(opts.config, e.problems));
    return EXIT.usage;
  }
  const findings = runAudit(loaded.config, loaded.source);
  if (opts.format === 'json') writeJson(io.stdout, auditJson(opts.config, loaded.config, findings));
  else io.stdout.write(auditText(opts.config, loaded.config, findings, styleFor(io.stdout, io.env)));
  return summarize(findings).errors > 0 ? EXIT.findings : EXIT.ok;
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('check ksmg.yaml against its integration scheme and against itself')
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .showHelpAfterError('(run ksmg-setup audit --help for usage)')
    .addHelpText('after', `
Examples:
  ksmg-setup audit                                   audit ./ksmg.yaml
  ksmg-setup audit --config examples/behind-edge-no-verify.yaml
  ksmg-setup audit --format json > audit.json        for scripts and CI

Exit codes: 0 no error findings, 1 error findings, 2 unusable file or wrong usage.`)
    .action(async (opts: AuditOptions) => {
      process.exitCode = await auditMain(opts);
    });
}
