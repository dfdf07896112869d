// Starts a relay on 127.0.0.1:0 with a temp spool, a ManualClock and a memory logger.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema, type Config } from '../../src/config/schema.js';
import { ManualClock } from '../../src/relay/clock.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay, type RelayHandle, type RelayOptions } from '../../src/relay/relay.js';
import type { Resolver } from '../../src/relay/resolver.js';
import { DnsError } from '../../src/relay/resolver.js';
import { createScanner } from '../../src/scan/index.js';

export const BASE_CONFIG = {
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    hostname: 'ksmg.corp.example',
    trustedNetworks: ['10.0.0.0/8', '192.168.10.25', '2001:db8:10::/48'],
    destination: { mode: 'edge-gateway', host: 'edge.corp.example', port: 25 },
    domains: [{ name: 'corp.example' }, { name: 'sub.corp.example' }],
  },
};

export function makeConfig(patch: (c: any) => void = () => undefined): Config {
  const raw = structuredClone(BASE_CONFIG) as any;
  patch(raw);
  return configSchema.parse(raw);
}

export function configFromYaml(text: string): Config {
  return configSchema.parse(YAML.parse(text));
}

/** A resolver over a static table; names missing from it are NXDOMAIN. */
export function fakeResolver(
  table: {
    mx?: Record<string, Array<{ exchange: string; priority: number }>>;
    a?: Record<string, string[]>;
    aaaa?: Record<string, string[]>;
    fail?: string[];
  } = {},
): Resolver {
  const look =
    <T>(type: string, map: Record<string, T[]> | undefined) =>
    async (name: string): Promise<T[]> => {
      if (table.fail?.includes(name)) throw new DnsError('servfail', name, type);
      const known = [table.mx, table.a, table.aaaa].some((m) => m && name in m);
      if (!known) throw new DnsError('nxdomain', name, type);
      const v = map?.[name];
      if (!v) throw new DnsError('nodata', name, type);
      return v;
    };
  return {
    resolveMx: look('MX', table.mx),
    resolve4: look('A', table.a),
    resolve6: look('AAAA', table.aaaa),
    resolveTxt: async (n) => {
      throw new DnsError('nodata', n, 'TXT');
    },
  };
}

/** External domains the tests send to: MX, A-only, AAAA-only, null MX, DNS failure. */
export const DEFAULT_DNS = {
  mx: {
    'elsewhere.example': [{ exchange: 'mx.elsewhere.example', priority: 10 }],
    'nullmx.example': [{ exchange: '', priority: 0 }],
    // A local domain with an MX record, as in real life: a trusted client's routed address such as
    // user%site@corp.example has its domain looked up (as in Postfix). sub.corp.example has none.
    'corp.example': [{ exchange: 'mail.corp.example', priority: 10 }],
  },
  a: { 'mx.elsewhere.example': ['192.0.2.25'], 'a-only.example': ['192.0.2.26'], 'ksmg.corp.example': ['192.0.2.10'] },
  aaaa: { 'aaaa-only.example': ['2001:db8::26'] },
  fail: ['broken-dns.example'],
};

export interface RelayFixture {
  relay: RelayHandle;
  clock: ManualClock;
  logger: MemoryLogger;
  spoolDir: string;
  config: Config;
  stop(): Promise<void>;
}

export async function startTestRelay(config: Config = makeConfig(), extra: Partial<RelayOptions> = {}): Promise<RelayFixture> {
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'ksmg-relay-'));
  const clock = new ManualClock();
  const logger = new MemoryLogger();
  const resolver = fakeResolver(DEFAULT_DNS);
  const relay = await startRelay({
    config,
    listen: { host: '127.0.0.1', port: 0 },
    spoolDir,
    xclientFrom: ['127.0.0.1'],
    clock,
    logger,
    resolver,
    // The scan in this thread: these tests are about the protocol and the queue, and a worker
    // pool's start-up would race their short timeouts. The pool (the default) is tested by
    // test/integration/scan/relay.test.ts, scan/sinks, the lab tests and test/robustness/.
    scanner: createScanner({ resolver, clock, isolate: false }),
    shutdownGraceMs: 200,
    queue: false, // these tests look at the spool; delivery has its own tests (test/integration/relay/delivery/)
    ...extra,
  });
  return {
    relay,
    clock,
    logger,
    spoolDir,
    config,
    async stop() {
      await relay.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
