// `ksmg-setup relay`: runs the gateway emulator in the foreground until SIGTERM/SIGINT.
// Thin: parse options → load config → startRelay() → wait for a signal → close → exit 0.
import { Command, Option } from 'commander';
import path from 'node:path';
import { z } from 'zod';
import { commandAction, langOf, UsageError } from './action.js';
import { t, type Lang } from '../i18n/index.js';
import { configOption, loadForCommand, processIo } from './output.js';
import { parseCidr } from '../config/net.js';
import { parseDnsServer } from '../relay/resolver.js';
import { createLogger } from '../relay/log.js';
import { RelayListenError } from '../relay/relay.js';
import { startRelayService } from '../relay/service.js';
import { TlsFileError } from '../relay/smtp/tls-credentials.js';
import { parseRouteMap, RouteMapError, type RouteMap } from '../relay/delivery/route-map.js';
import { EXIT } from './exit.js';

/** `127.0.0.1:2525` / `[::1]:2525` / `localhost:2525` → host + port (0 = any free port). */
export function parseListen(text: string): { host: string; port: number } | null {
  const m = text.trim().match(/^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] ?? m[2]!, port };
}

const custom = (ctx: z.RefinementCtx, message: string, shown?: string): typeof z.NEVER => {
  ctx.addIssue({ code: 'custom', message, params: shown === undefined ? undefined : { shown } });
  return z.NEVER;
};

export const relayOptionsSchema = z.strictObject({
  config: z.string(),
  listen: z.string().transform((v, ctx) => parseListen(v) ?? custom(ctx, 'expected HOST:PORT, e.g. 127.0.0.1:2525 or [::1]:2525')),
  spool: z.string(),
  xclientFrom: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const x of list) {
        const r = parseCidr(x);
        if (!r.ok) return custom(ctx, r.reason, x);
      }
      return list;
    }),
  dns: z
    .string()
    .optional()
    .transform((v, ctx) =>
      v === undefined ? null : (parseDnsServer(v) ?? custom(ctx, 'expected an IP address with an optional port, e.g. 127.0.0.1:5353')),
    ),
  logFormat: z.enum(['text', 'json']),
  shutdownGrace: z.coerce.number({ error: 'expected seconds (0 or more)' }).min(0, 'expected seconds (0 or more)'),
  routeMap: z.array(z.string()),
  scan: z.boolean(),
});
type RelayCliOptions = z.output<typeof relayOptionsSchema>;

export function relayCommand(lang: Lang = 'en'): Command {
  return new Command('relay')
    .addOption(configOption(lang))
    .requiredOption('--listen <host:port>', t(lang, 'cli.relay.option.listen'))
    .option('--spool <dir>', t(lang, 'cli.relay.option.spool'), 'ksmg-spool')
    .option('--xclient-from <addrs>', t(lang, 'cli.relay.option.xclientFrom'))
    .option('--dns <host:port>', t(lang, 'cli.relay.option.dns'))
    .option('--route-map <from=to>', t(lang, 'cli.relay.option.routeMap'), (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--no-scan', t(lang, 'cli.relay.option.noScan'))
    .addOption(new Option('--log-format <format>', t(lang, 'cli.relay.option.logFormat')).choices(['text', 'json']).default('text'))
    .option('--shutdown-grace <seconds>', t(lang, 'cli.relay.option.shutdownGrace'), '10')
    .addHelpText('after', t(lang, 'cli.relay.help'))
    .action(commandAction(relayOptionsSchema, (opts, _args, cmd) => runRelay(opts, langOf(cmd))));
}

async function runRelay(opts: RelayCliOptions, lang: Lang): Promise<number> {
  const { listen, xclientFrom, dns: dnsServer } = opts;
  let routeMap: RouteMap;
  try {
    routeMap = parseRouteMap(opts.routeMap);
  } catch (e) {
    if (!(e instanceof RouteMapError)) throw e;
    throw new UsageError(e.message);
  }
  const grace = opts.shutdownGrace;
  const loaded = await loadForCommand(opts.config, processIo(), undefined, lang);
  if (!loaded) return EXIT.usage;
  const logger = createLogger({ format: opts.logFormat });
  const spoolDir = path.resolve(opts.spool);
  let relay;
  try {
    // The same function the lab starts the relay with (src/relay/service.ts).
    relay = await startRelayService({
      config: loaded.config,
      listen,
      spoolDir,
      xclientFrom,
      logger,
      dnsServer,
      scan: opts.scan,
      routeMap,
      shutdownGraceMs: grace * 1000,
    });
  } catch (e) {
    if (e instanceof RelayListenError) throw new UsageError(e.message);
    if (e instanceof TlsFileError) throw new UsageError(e.toConfigError(loaded.source).format(lang));
    throw new UsageError(t(lang, 'cli.relay.cannotStart', { reason: (e as Error).message }));
  }
  const shown = relay.address.includes(':') ? `[${relay.address}]:${relay.port}` : `${relay.address}:${relay.port}`;
  const startLine = t(lang, 'cli.relay.listening', {
    listen: shown,
    hostname: loaded.config.mta.hostname,
    config: path.resolve(opts.config),
    spool: spoolDir,
    xclient: xclientFrom.length ? xclientFrom.join(',') : t(lang, 'cli.relay.nobody'),
    dns: dnsServer ?? t(lang, 'cli.relay.systemDns'),
  });
  logger.info(startLine, { event: 'start', listen: shown, port: relay.port, config: path.resolve(opts.config), spool: spoolDir });

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info(t(lang, 'cli.relay.stopping', { signal, grace }), { event: 'stopping', signal });
  await relay.close();
  logger.info(t(lang, 'cli.relay.stopped'), { event: 'stopped' });
  return EXIT.ok;
}
