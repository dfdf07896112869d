// `ksmg-setup verify`: thin: parse options → load the config → runVerify() → exit code
// (0 all scenarios passed, 1 a scenario failed, 2 unusable input).
import { Command, Option } from 'commander';
import { ConfigError } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { parseShard, runVerify } from '../lab/verify.js';
import { REPORTER_NAMES, type ReporterName } from '../lab/reporters/types.js';
import { EXIT } from './exit.js';
import { formatConfigError, styleFor } from './output.js';

export { runVerify, type VerifyOptions, type VerifyOutcome } from '../lab/verify.js';

interface VerifyCliOptions {
  config: string;
  scenarios?: string[];
  builtin: boolean;
  filter?: string[];
  reporter?: string[];
  output?: string[];
  shard?: string;
  jobs: string;
}

const err = (s: string) => process.stderr.write(`ksmg-setup verify: ${s}\n`);
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Pairs --reporter and --output in order: the n-th --output belongs to the n-th --reporter. */
export function pairReporters(names: string[], outputs: string[]): Array<{ name: ReporterName; output?: string }> | string {
  const list = names.length ? names : ['pretty'];
  for (const n of list) if (!(REPORTER_NAMES as readonly string[]).includes(n)) return `unknown reporter "${n}" (use ${REPORTER_NAMES.join(', ')})`;
  if (outputs.length > list.length) return `more --output (${outputs.length}) than --reporter (${list.length}): give one --reporter per --output`;
  return list.map((name, i) => ({ name: name as ReporterName, output: outputs[i] }));
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description('replay the scenario packs for the config\'s integration scheme in a local lab and prove every outcome')
    .option('--config <file>', 'the configuration', 'ksmg.yaml')
    .option('--scenarios <dir...>', 'your own scenario files or folders, run with the built-in packs')
    .option('--no-builtin', 'run only --scenarios, not the built-in packs')
    .option('--filter <text>', 'only scenarios whose id, name or tag contains TEXT (tag:NAME for an exact tag); repeatable', collect)
    .addOption(new Option('--reporter <name>', 'pretty | json | junit; repeatable').argParser(collect))
    .option('--output <file>', 'file for the matching --reporter (in order); repeatable', collect)
    .option('--shard <i/n>', 'run the i-th of n deterministic slices (CI matrices), e.g. 2/4')
    .option('--jobs <n>', 'scenarios run at the same time where safe', '4')
    .addHelpText('after', `
Examples:
  ksmg-setup verify --config examples/behind-edge-no-verify.yaml
  ksmg-setup verify --filter relay --filter tag:smuggling
  ksmg-setup verify --reporter pretty --reporter junit --output verify.xml
  ksmg-setup verify --scenarios ./my-scenarios --shard 1/2

Exit codes: 0 all scenarios passed; 1 a scenario failed; 2 unusable input (config, scenario file, option).`)
    .action(async (opts: VerifyCliOptions) => {
      process.exitCode = await verifyCli(opts);
    });
}

async function verifyCli(opts: VerifyCliOptions): Promise<number> {
  const reporters = pairReporters(opts.reporter ?? [], opts.output ?? []);
  if (typeof reporters === 'string') return err(reporters), EXIT.usage;
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (shard === null) return err(`--shard "${opts.shard}": expected I/N with 1 ≤ I ≤ N, e.g. 1/4`), EXIT.usage;
  const jobs = Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) return err(`--jobs "${opts.jobs}": expected a whole number 1–64`), EXIT.usage;
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(opts.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(formatConfigError(e, styleFor(process.stderr, process.env)));
    return EXIT.usage;
  }
  const outcome = await runVerify({
    config: loaded.config,
    configPath: opts.config,
    scenarios: opts.scenarios,
    builtin: opts.builtin,
    filter: opts.filter,
    shard,
    jobs,
    reporters,
  });
  return outcome.exitCode;
}
