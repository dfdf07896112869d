// The relay under test (child process, IPC), started the way `ksmg-setup relay` starts it:
// startRelay() with the QueueManager, one local domain routed to the sink through the route map.
//   fork('bench/relay-process.mjs', [JSON.stringify({ spool, port, sinkPort })], { env: { KSMG_BASE: 'dist' | 'src' } })
// With KSMG_BASE=src it runs the TypeScript sources (node --import tsx), as the tests do.
// When startRelay is not available (relay-receive's part missing) it falls back to a minimal
// receiver with the same durability contract (spool.enqueue, fsynced, before the 250).
// Messages: {type:'ready', port}; on {cmd:'stats'} → {type:'stats', maxRSS (KB)}.
const opts = JSON.parse(process.argv[2]);
const base = process.env.KSMG_BASE ?? 'dist';
const ext = base === 'src' ? '.ts' : '.js';
const mod = (p) => import(new URL(`../${base}/${p}${ext}`, import.meta.url).href);

const { configSchema } = await mod('config/schema');
const { parseRouteMap } = await mod('relay/delivery/route-map');
const { QueueManager } = await mod('relay/queue/manager');
const { Spool, newQueueId } = await mod('relay/spool');

const config = configSchema.parse({
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    hostname: 'ksmg.bench.example',
    trustedNetworks: ['127.0.0.0/8'],
    domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }],
    advanced: { connectionCountLimit: 0, minimalBackoff: 1, maximalBackoff: 2, queueRunDelay: 1, ...opts.advanced },
  },
  rules: [{ name: 'Default', mode: 'skip' }],
});
const routeMap = parseRouteMap([`10.0.0.25:25=127.0.0.1:${opts.sinkPort}`]);
const quiet = { info() {} };
const listen = { host: '127.0.0.1', port: opts.port ?? 0 };

let relayMod = null;
try {
  relayMod = await mod('relay/relay');
} catch {
  relayMod = null;
}

let port;
let mode;
if (relayMod?.startRelay && !opts.minimal) {
  mode = 'startRelay';
  const handle = await relayMod.startRelay({
    config,
    listen,
    spoolDir: opts.spool,
    routeMap,
    logger: quiet,
    queue: (deps) => new QueueManager({ ...deps, logger: quiet }),
  });
  port = handle.port;
} else {
  mode = 'minimal';
  const { SMTPServer } = await import('smtp-server');
  const spool = new Spool(opts.spool);
  await spool.open();
  const { createDnsResolver } = await mod('relay/resolver');
  const queue = new QueueManager({ spool, config, resolver: createDnsResolver(), routeMap, logger: quiet });
  await queue.start();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    maxClients: 1000,
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        const id = newQueueId(Date.now());
        const env = session.envelope;
        await spool.enqueue(
          {
            id,
            arrivalTime: Date.now(),
            sender: env.mailFrom.address,
            recipients: env.rcptTo.map((r) => ({ address: r.address })),
            client: { address: session.remoteAddress, name: 'unknown', helo: session.hostNameAppearsAs, protocol: 'ESMTP' },
          },
          Buffer.concat(chunks),
        );
        queue.notify(id);
        cb(null, `Ok: queued as ${id}`);
      });
    },
  });
  await new Promise((r) => server.listen(listen.port, listen.host, r));
  port = server.server.address().port;
}
process.on('message', (m) => {
  if (m?.cmd === 'stats') {
    const u = process.resourceUsage();
    process.send({ type: 'stats', maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 });
  }
  if (m?.cmd === 'exit') process.exit(0);
});
process.send({ type: 'ready', port, mode });
