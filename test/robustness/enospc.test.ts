// A full disk (a 1 MB tmpfs as the spool): never a 250 for a message that is not entirely on
// disk. MAIL is refused with Postfix's 452 4.3.1 when free space is under 1.5 × message_size_limit;
// a write that fails after DATA gives 451 4.3.0 and leaves nothing half-queued. Mounting needs
// root (CI runs as root); elsewhere the file is skipped.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/relay/clock.js';
import { MemoryLogger } from '../../src/relay/log.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay.js';
import { connectRaw } from '../helpers/raw-smtp.js';
import { DEFAULT_DNS, fakeResolver, makeConfig } from '../helpers/relay-fixture.js';

function mountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // root without CAP_SYS_ADMIN (some containers)
  }
}

let mnt = '';
const mounted = await (async () => {
  mnt = await mkdtemp(path.join(tmpdir(), 'ksmg-enospc-'));
  return mountTmpfs(mnt);
})();
if (!mounted) {
  await rm(mnt, { recursive: true, force: true });
  console.log('full spool (tmpfs, ENOSPC) skipped: mounting a tmpfs needs root with CAP_SYS_ADMIN (CI runs as root)');
}

async function relayOn(spoolDir: string, messageSizeLimit: number): Promise<{ relay: RelayHandle; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  const relay = await startRelay({
    config: makeConfig((c) => {
      c.mta.messageSizeLimit = messageSizeLimit;
    }),
    listen: { host: '127.0.0.1', port: 0 },
    spoolDir,
    xclientFrom: ['127.0.0.1'],
    clock: new ManualClock(),
    logger,
    resolver: fakeResolver(DEFAULT_DNS),
    queue: false,
    scanner: false,
    shutdownGraceMs: 200,
  });
  return { relay, logger };
}

async function send(port: number, bytes: number): Promise<{ mail: string; data?: string }> {
  const c = await connectRaw({ port, timeoutMs: 10_000 });
  await c.read();
  await c.cmd('EHLO client.example');
  const mail = await c.cmd('MAIL FROM:<alice@sender.example>');
  if (!mail.startsWith('250')) {
    await c.quit();
    return { mail };
  }
  await c.cmd('RCPT TO:<bob@corp.example>');
  await c.cmd('DATA');
  const line = `${'z'.repeat(98)}\r\n`;
  const data = await c.cmd(`Subject: fill\r\n\r\n${line.repeat(Math.ceil(bytes / line.length))}.`);
  await c.quit();
  return { mail, data };
}

describe.skipIf(!mounted)('full spool (tmpfs, ENOSPC)', () => {
  afterAll(async () => {
    execFileSync('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
  });

  it('MAIL: 452 4.3.1 Insufficient system storage when free space < 1.5 × message_size_limit', async () => {
    const { relay, logger } = await relayOn(path.join(mnt, 'a'), 1024 * 1024); // 1 MB limit on a 1 MB disk
    try {
      expect((await send(relay.port, 100)).mail).toBe('452 4.3.1 Insufficient system storage');
      expect(logger.find(/NOQUEUE: reject: MAIL from .*452 4\.3\.1 Insufficient system storage/)).toBeDefined();
    } finally {
      await relay.close();
      await rm(path.join(mnt, 'a'), { recursive: true, force: true });
    }
  });

  it('a write that hits ENOSPC after DATA: 451 4.3.0, no incoming/*.tmp, every 250 fully on disk', async () => {
    const dir = path.join(mnt, 'b');
    const { relay } = await relayOn(dir, 0); // unlimited: the MAIL check cannot foresee this message
    try {
      const first = await send(relay.port, 600 * 1024);
      expect(first.data).toMatch(/^250 2\.0\.0 Ok: queued as/);
      const second = await send(relay.port, 600 * 1024);
      expect(second.data).toBe('451 4.3.0 Error: queue file write error');
      expect(await readdir(path.join(dir, 'incoming'))).toEqual([]);
      const ids = await relay.spool.ids();
      expect(ids).toHaveLength(1);
      // What got a 250 reads back whole (length and checksum verified).
      const { data } = await relay.spool.readFile(ids[0]!);
      expect(data.length).toBeGreaterThan(600 * 1024);
      // The disk has room again for a small message.
      expect((await send(relay.port, 1000)).data).toMatch(/^250 2\.0\.0 Ok: queued as/);
    } finally {
      await relay.close();
    }
  });
});
