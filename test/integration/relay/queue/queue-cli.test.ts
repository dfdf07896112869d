import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../../src/cli/program.js';
import { Spool } from '../../../../src/relay/spool.js';
import { makeHarness, TEXT, type Harness } from '../delivery/harness.js';
import { startSink, type Sink } from '../delivery/sink.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('ksmg-setup queue', () => {
  it('list / show / delete / delete-all on a spool with deferred mail; flush reaches a running queue', async () => {
    let accept = false;
    const sink: Sink = await startSink({ rcpt: () => (accept ? null : { code: 451, text: 'Greylisted' }) });
    cleanup.push(() => sink.close());
    const h: Harness = await makeHarness({
      mta: { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] },
      routes: [`10.0.0.25:25=127.0.0.1:${sink.port}`],
    });
    cleanup.push(() => h.close());
    const a = await h.submit('alice@x.example', ['bob@corp.example']);
    const b = await h.submit('', ['carol@corp.example']);

    const json = await cli(['queue', 'list', '--json', '--spool', h.dir]);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.out) as Array<{ id: string; sender: string; recipients: Array<{ status: string; lastReply: string }> }>;
    expect(items.map((i) => i.id).sort()).toEqual([a, b].sort());
    expect(items.find((i) => i.id === a)!.recipients[0]).toMatchObject({
      status: 'deferred',
      lastReply: expect.stringContaining('451 4.3.0 Greylisted'),
    });

    const text = await cli(['queue', 'list', '--spool', h.dir]);
    expect(text.out).toContain('-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------');
    expect(text.out).toMatch(new RegExp(`${a}\\s+\\d+ \\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d  alice@x\\.example`));
    expect(text.out).toContain('bob@corp.example (deferred, 1 attempt, next ');
    expect(text.out).toContain('MAILER-DAEMON');
    expect(text.out).toContain('-- 1 Kbytes in 2 Requests.');

    const show = await cli(['queue', 'show', a.toLowerCase(), '--spool', h.dir]);
    expect(show.out).toContain(`*** ENVELOPE RECORDS ${a} ***`);
    expect(show.out).toContain('Subject: Hello');
    expect(show.out).not.toContain('Hi Bob');
    expect((await cli(['queue', 'show', a, '--full', '--spool', h.dir])).out).toContain('Hi Bob');
    expect(await cli(['queue', 'show', 'nope', '--spool', h.dir])).toMatchObject({
      code: 2,
      err: expect.stringContaining('is not a queue ID'),
    });

    expect(await cli(['queue', 'delete', b, '--spool', h.dir])).toMatchObject({ code: 0, err: expect.stringContaining(`${b}: removed`) });
    expect(await cli(['queue', 'delete', b, '--spool', h.dir])).toMatchObject({ code: 2, err: expect.stringContaining('no such message') });

    // flush: the running queue retries at once, without any clock movement
    accept = true;
    const delivered = new Promise((r) => h.queue.events.once('delivered', r));
    expect((await cli(['queue', 'flush', '--spool', h.dir])).code).toBe(0);
    await delivered;
    await h.queue.whenIdle();
    expect(sink.received.map((t) => t.to)).toEqual([['bob@corp.example']]);
    expect((await cli(['queue', 'list', '--spool', h.dir])).out).toBe('Mail queue is empty\n');
  });

  it('delete-all, and a clear error for a missing spool', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-cli-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const spool = new Spool(dir);
    await spool.open();
    for (const id of ['04000AAAAA1', '04000AAAAA2']) {
      await spool.enqueue(
        {
          id,
          arrivalTime: Date.now(),
          sender: 'a@x.example',
          recipients: [{ address: 'b@corp.example' }],
          client: { address: '127.0.0.1', name: 'localhost', helo: 'x', protocol: 'ESMTP' },
        },
        TEXT(),
      );
    }
    expect(await cli(['queue', 'delete-all', '--spool', dir])).toMatchObject({
      code: 0,
      err: expect.stringContaining('Deleted: 2 messages'),
    });
    expect(await spool.ids()).toEqual([]);
    expect(await cli(['queue', 'list', '--spool', path.join(dir, 'nothing')])).toMatchObject({
      code: 2,
      err: expect.stringContaining('no spool at'),
    });
  });
});
