import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../../src/relay/spool.js';

describe('Spool.enqueue with an id that is already queued', () => {
  it('fails instead of replacing the acknowledged message', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-spool-'));
    try {
      const spool = new Spool(dir);
      await spool.open();
      const meta = {
        id: 'ABCDEF01234',
        arrivalTime: 0,
        sender: 'a@b',
        recipients: [{ address: 'c@d' }],
        client: { address: '1.2.3.4', name: 'unknown', helo: 'h', protocol: 'ESMTP' },
      };
      await spool.enqueue(meta, Buffer.from('first'));
      await expect(spool.enqueue(meta, Buffer.from('second'))).rejects.toThrow(/EEXIST/);
      await expect(
        spool.enqueue(meta, Buffer.from('third'), { recipients: [{ address: 'c@d', status: 'dropped', attempts: 0 }] }),
      ).rejects.toThrow(/EEXIST/);
      expect((await spool.readState('ABCDEF01234')).recipients[0]!.status).toBe('pending');
      expect((await spool.readFile('ABCDEF01234')).data.toString()).toBe('first');
      expect(await spool.ids()).toEqual(['ABCDEF01234']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
