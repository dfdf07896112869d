// `ksmg-setup probe`: thin: parse options → load the config → runProbe() → exit code
// (0 every probed scenario matched the config, 1 something differs, 2 unusable input or target).
import { Command, Option } from 'commander';
import { parseDuration } from '../config/schema.js';
import { parseDnsServer } from '../relay/resolver.js';
import { PROBE_CLASSES, type ProbeClass } from '../probe/plan.js';
import { parseRate } from '../probe/pace.js';
import { runProbe } from '../probe/probe.js';
import { EXIT } from './exit.js';
import { colorEnabled, configOption, loadForCommand, processIo } from './output.js';
import { pairReporters } from './verify.js';

interface ProbeCliOptions {
  target: string;
  as: ProbeClass;
  config: string;
  scenarios?: string[];
  builtin: boolean;
  filter?: string[];
  reporter?: string[];
  output?: string[];
  sendTo?: string;
  rate?: string;
  connections: string;
  maxTime: string;
  timeout: string;
  limits?: boolean;
  source?: string;
  dns?: string;
  ptr: boolean;
  helo?: string;
}

const err = (s: string) => process.stderr.write(`ksmg-setup probe: ${s}\n`);
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `mx.corp.example`, `mx.corp.example:2525`, `192.0.2.1:25`, `[2001:db8::1]:25`, `2001:db8::1` → host + port (25). */
export function parseTarget(text: string): { host: string; port: number } | null {
  const t = text.trim();
  const m = t.match(/^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/) ?? t.match(/^([^\s:[\]]+)(?::(\d{1,5}))?$/);
  if (!m) return /^[0-9a-fA-F]*:[0-9a-fA-F:.]+$/.test(t) ? { host: t, port: 25 } : null;
  const port = m[2] ? Number(m[2]) : 25;
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

export function probeCommand(): Command {
  return new Command('probe')
    .description('check a live gateway against the config from this host: the dialogue part of every applicable scenario, RSET before DATA')
    .requiredOption('--target <host[:port]>', 'the gateway to probe (port 25 by default)')
    .addOption(new Option('--as <class>', 'what this host is to the gateway').choices([...PROBE_CLASSES]).makeOptionMandatory())
    .addOption(configOption())
    .option('--scenarios <dir...>', 'your own scenario files or folders, run with the built-in packs')
    .option('--no-builtin', 'run only --scenarios, not the built-in packs')
    .option('--filter <text>', 'only scenarios whose id, name or tag contains TEXT (tag:NAME for an exact tag); repeatable', collect)
    .addOption(new Option('--reporter <name>', 'pretty | json | junit; repeatable').argParser(collect))
    .option('--output <file>', 'file for the matching --reporter (in order); repeatable', collect)
    .option('--send-to <mailbox>', 'the only mailbox real test messages may go to (size after DATA, content scan)')
    .option('--rate <n/s>', 'connections per second (default 2, kept under the config\'s rate limits)')
    .option('--connections <n>', 'sessions at the same time', '1')
    .option('--max-time <duration>', 'total time limit of the probe', '300s')
    .option('--timeout <duration>', 'how long to wait for each reply', '10s')
    .option('--limits', 'also run the rate and connection limit scenarios (many connections on purpose)')
    .option('--source <address>', 'local address to speak from')
    .option('--dns <host:port>', 'DNS server for the PTR lookup of the target (default: the system\'s)')
    .option('--no-ptr', 'no PTR lookup')
    .option('--helo <name>', 'EHLO name for the live observations', 'client.lab.example')
    .addHelpText('after', `
Examples:
  ksmg-setup probe --target ksmg.corp.example --as untrusted -c ksmg.yaml
  ksmg-setup probe --target 192.0.2.25:25 --as edge --reporter junit --output probe.xml
  ksmg-setup probe --target ksmg.corp.example --as trusted --send-to postmaster@corp.example

Nothing is delivered unless --send-to is given: every transaction ends with RSET before DATA.
Exit codes: 0 every probed scenario matched the config; 1 something differs (or an open relay);
2 unusable input, or the target does not answer.`)
    .action(async (opts: ProbeCliOptions) => {
      process.exitCode = await probeCli(opts);
    });
}

async function probeCli(opts: ProbeCliOptions): Promise<number> {
  const target = parseTarget(opts.target);
  if (!target) return err(`--target "${opts.target}": expected HOST or HOST:PORT, e.g. ksmg.corp.example:25 or [2001:db8::1]:25`), EXIT.usage;
  const reporters = pairReporters(opts.reporter ?? [], opts.output ?? []);
  if (typeof reporters === 'string') return err(reporters), EXIT.usage;
  if (opts.sendTo !== undefined && !/^[^\s<>@]+@[^\s<>@]+$/.test(opts.sendTo)) return err(`--send-to "${opts.sendTo}": expected one mailbox, user@domain`), EXIT.usage;
  const rate = opts.rate === undefined ? undefined : parseRate(opts.rate);
  if (rate === null) return err(`--rate "${opts.rate}": expected a positive number of connections per second, e.g. 2, 0.5/s or 30/min`), EXIT.usage;
  const connections = Number(opts.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 16) return err(`--connections "${opts.connections}": expected a whole number 1–16`), EXIT.usage;
  const maxTime = parseDuration(opts.maxTime);
  if (maxTime === null || maxTime <= 0) return err(`--max-time "${opts.maxTime}": expected a duration (30s, 5m, 1h)`), EXIT.usage;
  const timeout = parseDuration(opts.timeout);
  if (timeout === null || timeout <= 0) return err(`--timeout "${opts.timeout}": expected a duration (10s, 1m)`), EXIT.usage;
  let dns: string[] | null | undefined = opts.ptr ? undefined : null;
  if (opts.dns !== undefined && opts.ptr) {
    const server = parseDnsServer(opts.dns);
    if (!server) return err(`--dns "${opts.dns}": expected HOST:PORT, e.g. 127.0.0.1:5353`), EXIT.usage;
    dns = [server];
  }
  const io = processIo();
  const loaded = await loadForCommand(opts.config, io);
  if (!loaded) return EXIT.usage;
  const outcome = await runProbe({
    config: loaded.config,
    configPath: opts.config,
    target,
    as: opts.as,
    scenarios: opts.scenarios,
    builtin: opts.builtin,
    filter: opts.filter,
    sendTo: opts.sendTo,
    rate,
    connections,
    maxTimeMs: maxTime * 1000,
    replyTimeoutMs: timeout * 1000,
    limits: opts.limits,
    source: opts.source,
    dns,
    helo: opts.helo,
    reporters,
    color: colorEnabled(process.stdout, process.env),
  });
  return outcome.exitCode;
}
