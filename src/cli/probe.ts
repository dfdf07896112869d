// `ksmg-setup probe`: thin: parse options → load the config → runProbe() → exit code
// (0 every probed scenario matched the config, 1 something differs, 2 unusable input or target).
import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseDuration } from '../config/schema.js';
import { parseDnsServer } from '../relay/resolver.js';
import { PROBE_CLASSES } from '../probe/plan.js';
import { parseRate } from '../probe/pace.js';
import { runProbe } from '../probe/probe.js';
import { commandAction, UsageError } from './action.js';
import { EXIT } from './exit.js';
import { colorEnabled, configOption, loadForCommand, processIo } from './output.js';
import { addScenarioSelectionOptions, pairReporters, scenarioSelectionShape } from './scenario-options.js';

const seconds = (what: string) =>
  z.string().transform((v, ctx) => {
    const d = parseDuration(v);
    if (d === null || d <= 0) ctx.addIssue({ code: 'custom', message: `expected a duration (${what})` });
    return (d ?? 0) * 1000;
  });

export const probeOptionsSchema = z.strictObject({
  target: z.string().transform((v, ctx) => {
    const t = parseTarget(v);
    if (!t) ctx.addIssue({ code: 'custom', message: 'expected HOST or HOST:PORT, e.g. ksmg.corp.example:25 or [2001:db8::1]:25' });
    return t ?? { host: '', port: 0 };
  }),
  as: z.enum(PROBE_CLASSES),
  ...scenarioSelectionShape,
  sendTo: z
    .string()
    .regex(/^[^\s<>@]+@[^\s<>@]+$/, 'expected one mailbox, user@domain')
    .optional(),
  rate: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const r = parseRate(v);
      if (r === null)
        ctx.addIssue({ code: 'custom', message: 'expected a positive number of connections per second, e.g. 2, 0.5/s or 30/min' });
      return r ?? undefined;
    }),
  connections: z.coerce
    .number({ error: 'expected a whole number 1–16' })
    .int('expected a whole number 1–16')
    .min(1, 'expected a whole number 1–16')
    .max(16, 'expected a whole number 1–16'),
  maxTime: seconds('30s, 5m, 1h'),
  timeout: seconds('10s, 1m'),
  limits: z.boolean().optional(),
  source: z.string().optional(),
  dns: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const server = parseDnsServer(v);
      if (!server) ctx.addIssue({ code: 'custom', message: 'expected HOST:PORT, e.g. 127.0.0.1:5353' });
      return server ?? undefined;
    }),
  ptr: z.boolean(),
  helo: z.string().min(1),
});

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
  return addScenarioSelectionOptions(
    new Command('probe')
      .requiredOption('--target <host[:port]>', 'the gateway to probe (port 25 by default)')
      .addOption(new Option('--as <class>', 'what this host is to the gateway').choices([...PROBE_CLASSES]).makeOptionMandatory())
      .addOption(configOption()),
  )
    .option('--send-to <mailbox>', 'the only mailbox real test messages may go to (size after DATA, content scan)')
    .option('--rate <n/s>', "connections per second (default 2, kept under the config's rate limits)")
    .option('--connections <n>', 'sessions at the same time', '1')
    .option('--max-time <duration>', 'total time limit of the probe', '300s')
    .option('--timeout <duration>', 'how long to wait for each reply', '10s')
    .option('--limits', 'also run the rate and connection limit scenarios (many connections on purpose)')
    .option('--source <address>', 'local address to speak from')
    .option('--dns <host:port>', "DNS server for the PTR lookup of the target (default: the system's)")
    .option('--no-ptr', 'no PTR lookup')
    .option('--helo <name>', 'EHLO name for the live observations', 'client.lab.example')
    .addHelpText(
      'after',
      `
Examples:
  ksmg-setup probe --target ksmg.corp.example --as untrusted -c ksmg.yaml
  ksmg-setup probe --target 192.0.2.25:25 --as edge --reporter junit --output probe.xml
  ksmg-setup probe --target ksmg.corp.example --as trusted --send-to postmaster@corp.example

Nothing is delivered unless --send-to is given: every transaction ends with RSET before DATA.
Exit codes: 0 every probed scenario matched the config; 1 something differs (or an open relay);
2 unusable input, or the target does not answer.`,
    )
    .action(
      commandAction(probeOptionsSchema, async (opts) => {
        const reporters = pairReporters(opts.reporter ?? [], opts.output ?? []);
        if (typeof reporters === 'string') throw new UsageError(reporters);
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io);
        if (!loaded) return EXIT.usage;
        const outcome = await runProbe({
          config: loaded.config,
          configPath: opts.config,
          target: opts.target,
          as: opts.as,
          scenarios: opts.scenarios,
          builtin: opts.builtin,
          filter: opts.filter,
          sendTo: opts.sendTo,
          rate: opts.rate,
          connections: opts.connections,
          maxTimeMs: opts.maxTime,
          replyTimeoutMs: opts.timeout,
          limits: opts.limits,
          source: opts.source,
          // --no-ptr: no lookup; --dns: that server; neither: the system's resolver.
          dns: !opts.ptr ? null : opts.dns ? [opts.dns] : undefined,
          helo: opts.helo,
          reporters,
          color: colorEnabled(process.stdout, process.env),
        });
        return outcome.exitCode;
      }),
    );
}
