// The private Postfix's start-up, where it can fail: a listening port another process holds.
// Without a fixed port the start is retried on a new one (the free-port race between instances
// starting at once); with a fixed one the error names the maillog's reason.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { postfixAvailability, startPostfix } from './postfix-instance.js';

const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true and ${avail.reason}`);
if (!avail.ok) console.log(`skipped: ${avail.reason}`);

const config = configSchema.parse({ version: 1, integration: 'edge', mta: { domains: [{ name: 'corp.example' }] } });

describe.skipIf(!avail.ok)('startPostfix', () => {
  it('a fixed port that is taken: the start fails and says why (from the maillog)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      await expect(startPostfix(config, { port })).rejects.toThrow(/start failed[\s\S]*(Address already in use|bind)/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
