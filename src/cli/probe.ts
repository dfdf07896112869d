// `ksmg-setup probe`: thin: parse options → load the config → runProbe() → exit code
// (0 every probed scenario matched the config, 1 something differs, 2 unusable input or target).
import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseDuration } from '../config/schema.js';
import { parseDnsServer } from '../relay/resolver.js';
import { PROBE_CLASSES } from '../probe/plan.js';
import { parseRate } from '../probe/pace.js';
import { runProbe } from '../probe/probe.js';
import { commandAction, langOf, UsageError } from './action.js';
import { t, type Lang } from '../i18n/index.js';
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

export function probeCommand(lang: Lang = 'en'): Command {
  return addScenarioSelectionOptions(
    new Command('probe')
      .requiredOption('--target <host[:port]>', t(lang, 'cli.probe.option.target'))
      .addOption(new Option('--as <class>', t(lang, 'cli.probe.option.as')).choices([...PROBE_CLASSES]).makeOptionMandatory())
      .addOption(configOption(lang)),
    lang,
  )
    .option('--send-to <mailbox>', t(lang, 'cli.probe.option.sendTo'))
    .option('--rate <n/s>', t(lang, 'cli.probe.option.rate'))
    .option('--connections <n>', t(lang, 'cli.probe.option.connections'), '1')
    .option('--max-time <duration>', t(lang, 'cli.probe.option.maxTime'), '300s')
    .option('--timeout <duration>', t(lang, 'cli.probe.option.timeout'), '10s')
    .option('--limits', t(lang, 'cli.probe.option.limits'))
    .option('--source <address>', t(lang, 'cli.probe.option.source'))
    .option('--dns <host:port>', t(lang, 'cli.probe.option.dns'))
    .option('--no-ptr', t(lang, 'cli.probe.option.noPtr'))
    .option('--helo <name>', t(lang, 'cli.probe.option.helo'), 'client.lab.example')
    .addHelpText('after', t(lang, 'cli.probe.help'))
    .action(
      commandAction(probeOptionsSchema, async (opts, _args, cmd) => {
        const lang = langOf(cmd);
        const reporters = pairReporters(opts.reporter ?? [], opts.output ?? [], lang);
        if (typeof reporters === 'string') throw new UsageError(reporters);
        const io = processIo();
        const loaded = await loadForCommand(opts.config, io, undefined, lang);
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
          lang,
        });
        return outcome.exitCode;
      }),
    );
}
