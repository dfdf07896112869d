// The built CLI (test/global-setup.ts builds dist/): `ksmg-setup queue …` on a spool written by the Spool class.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spool } from '../../src/relay/spool.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/ksmg-setup.js');
let dir = '';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'queue', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('ksmg-setup queue (built CLI)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ksmg-queue-e2e-'));
    const spool = new Spool(dir);
    await spool.open();
    await spool.enqueue(
      {
        id: '04000ABCDE1',
        arrivalTime: Date.UTC(2026, 10, 23, 9, 0, 0),
        sender: 'alice@x.example',
        recipients: [{ address: 'bob@corp.example' }],
        client: { address: '203.0.113.7', name: 'unknown', helo: 'x', protocol: 'ESMTP' },
      },
      Buffer.from('Subject: hi\r\n\r\nbody\r\n'),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists, shows and deletes; exit 2 on bad input', () => {
    const list = cli('list', '--spool', dir);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('04000ABCDE1');
    expect(list.stdout).toContain('Mon Nov 23 09:00:00  alice@x.example');
    expect(list.stdout).toContain('bob@corp.example (pending)');
    expect(JSON.parse(cli('list', '--json', '--spool', dir).stdout)).toMatchObject([
      { id: '04000ABCDE1', sender: 'alice@x.example', recipients: [{ address: 'bob@corp.example', status: 'pending' }] },
    ]);
    expect(cli('show', '04000ABCDE1', '--spool', dir).stdout).toContain('Subject: hi');
    expect(cli('show', 'zzz', '--spool', dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('is not a queue ID') });
    expect(cli('list', '--spool', path.join(dir, 'missing'))).toMatchObject({ status: 2, stderr: expect.stringContaining('no spool at') });
    expect(cli('delete', '04000ABCDE1', '--spool', dir).status).toBe(0);
    expect(cli('list', '--spool', dir).stdout).toBe('Mail queue is empty\n');
  });
});
