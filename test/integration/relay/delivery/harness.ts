// A queue manager on a temp spool with a ManualClock, sinks behind a route map, recording logs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema, type ConfigInput } from '../../../../src/config/schema.js';
import { ManualClock } from '../../../../src/relay/clock.js';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { QueueManager } from '../../../../src/relay/queue/manager.js';
import type { Resolver } from '../../../../src/relay/resolver.js';
import { newQueueId, Spool, type QueueState, type SpoolRecipient } from '../../../../src/relay/spool.js';
import { zoneResolver } from './sink.js';

export interface Harness {
  dir: string;
  spool: Spool;
  clock: ManualClock;
  queue: QueueManager;
  logs: string[];
  events: Array<[string, Record<string, unknown>]>;
  /** Enqueues a message and tells the queue. */
  submit(sender: string, recipients: Array<string | SpoolRecipient>, data?: Buffer, initial?: QueueState): Promise<string>;
  /** Advances the clock in timer steps, letting deliveries finish after each. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export const TEXT = (subject = 'Hello') =>
  Buffer.from(
    `From: Alice <alice@x.example>\r\nTo: bob@corp.example\r\nSubject: ${subject}\r\nMessage-ID: <m1@x.example>\r\n\r\nHi Bob\r\n`,
  );

export async function makeHarness(opts: {
  mta?: ConfigInput['mta'];
  messageProcessing?: ConfigInput['messageProcessing'];
  routes: string[];
  resolver?: Resolver;
  dir?: string;
}): Promise<Harness> {
  const config = configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: { hostname: 'ksmg.corp.example', ...opts.mta },
    messageProcessing: opts.messageProcessing,
  });
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'ksmg-queue-')));
  const spool = new Spool(dir);
  await spool.open();
  const clock = new ManualClock();
  const logs: string[] = [];
  const events: Array<[string, Record<string, unknown>]> = [];
  const queue = new QueueManager({
    spool,
    config,
    clock,
    resolver: opts.resolver ?? zoneResolver({}),
    routeMap: parseRouteMap(opts.routes),
    logger: { info: (l) => logs.push(l) },
    connectTimeoutMs: 2000,
    commandTimeoutMs: 5000,
  });
  for (const ev of ['delivered', 'deferred', 'bounced', 'queued'])
    queue.events.on(ev, (e: Record<string, unknown>) => events.push([ev, e]));
  await queue.start();
  return {
    dir,
    spool,
    clock,
    queue,
    logs,
    events,
    async submit(sender, recipients, data = TEXT(), initial) {
      const id = newQueueId(clock.now());
      const rcpts = recipients.map((r) => (typeof r === 'string' ? { address: r } : r));
      await spool.enqueue(
        {
          id,
          arrivalTime: clock.now(),
          sender,
          recipients: rcpts,
          client: { address: '203.0.113.7', name: 'unknown', helo: 'mail.x.example', protocol: 'ESMTP' },
        },
        data,
        initial,
      );
      queue.notify(id);
      await queue.whenIdle();
      return id;
    },
    async advance(seconds) {
      await clock.advance(seconds * 1000, () => queue.whenIdle());
      await queue.whenIdle();
    },
    async close() {
      await queue.stop();
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
