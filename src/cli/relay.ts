// `ksmg-setup relay`: runs the gateway emulator in the foreground until SIGTERM/SIGINT.
// Thin: parse options → load config → startRelay() → wait for a signal → close → exit 0.
import { Command, Option } from 'commander';
import path from 'node:path';
import { z } from 'zod';
import { commandAction, UsageError } from './action.js';
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

export function relayCommand(): Command {
  return new Command('relay')
    .addOption(configOption())
    .requiredOption('--listen <host:port>', 'address to listen on, e.g. 127.0.0.1:2525 (port 0 = any free port)')
    .option('--spool <dir>', 'spool directory (accepted messages, fsynced before the 250)', 'ksmg-spool')
    .option('--xclient-from <addrs>', 'comma-separated addresses/networks allowed to use XCLIENT (default: nobody)')
    .option('--dns <host:port>', 'DNS server for recipient-domain checks and MX lookups, e.g. 127.0.0.1:5353')
    .option(
      '--route-map <from=to>',
      'virtual network: a connection meant for HOST:PORT goes to HOST:PORT instead, e.g. 10.0.0.25:25=127.0.0.1:40001 (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--no-scan', 'accept and relay without the content scan (rules are not applied)')
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(['text', 'json']).default('text'))
    .option('--shutdown-grace <seconds>', 'on SIGTERM/SIGINT, how long sessions in progress may finish', '10')
    .addHelpText(
      'after',
      `
Examples:
  ksmg-setup relay --config ksmg.yaml --listen 127.0.0.1:2525
  ksmg-setup relay --listen 127.0.0.1:2525 --xclient-from 127.0.0.1 --dns 127.0.0.1:5353 --log-format json
  ksmg-setup relay --listen 127.0.0.1:2525 --route-map 10.0.0.25:25=127.0.0.1:40001 --route-map [2001:db8::25]:25=127.0.0.1:40002

Exit codes: 0 stopped by SIGTERM/SIGINT; 2 unusable config, bad option or the address is in use.`,
    )
    .action(commandAction(relayOptionsSchema, (opts) => runRelay(opts)));
}

async function runRelay(opts: RelayCliOptions): Promise<number> {
  const { listen, xclientFrom, dns: dnsServer } = opts;
  let routeMap: RouteMap;
  try {
    routeMap = parseRouteMap(opts.routeMap);
  } catch (e) {
    if (!(e instanceof RouteMapError)) throw e;
    throw new UsageError(e.message);
  }
  const grace = opts.shutdownGrace;
  const loaded = await loadForCommand(opts.config, processIo());
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
    if (e instanceof TlsFileError) throw new UsageError(e.toConfigError(loaded.source).format());
    throw new UsageError(`cannot start: ${(e as Error).message}`);
  }
  const shown = relay.address.includes(':') ? `[${relay.address}]:${relay.port}` : `${relay.address}:${relay.port}`;
  const startLine =
    `listening on ${shown} as ${loaded.config.mta.hostname} (config ${path.resolve(opts.config)}, spool ${spoolDir}, ` +
    `XCLIENT from ${xclientFrom.length ? xclientFrom.join(',') : 'nobody'}, DNS ${dnsServer ?? 'system'}); stop with Ctrl-C`;
  logger.info(startLine, { event: 'start', listen: shown, port: relay.port, config: path.resolve(opts.config), spool: spoolDir });

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info(`${signal} received: no new connections, letting sessions finish (up to ${grace}s)`, { event: 'stopping', signal });
  await relay.close();
  logger.info('stopped', { event: 'stopped' });
  return EXIT.ok;
}
