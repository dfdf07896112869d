import net from 'node:net';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, TEXT, type Harness } from '../delivery/harness.js';
import { startSink, type Sink } from '../delivery/sink.js';

const open: Array<Harness | Sink> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** corp.example → 10.0.0.25 (internal sink); everything else → edge relayhost 10.0.0.1 (edge sink). */
async function setup(
  opts: {
    internal?: Parameters<typeof startSink>[0];
    edge?: Parameters<typeof startSink>[0];
    advanced?: Record<string, unknown>;
    messageProcessing?: Record<string, unknown>;
  } = {},
) {
  const internal = await startSink(opts.internal);
  const edge = await startSink(opts.edge);
  open.push(internal, edge);
  const h = await makeHarness({
    mta: {
      destination: { mode: 'edge-gateway', host: '10.0.0.1', port: 25 },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25 } }],
      advanced: { minimalBackoff: 300, maximalBackoff: 1200, queueRunDelay: 100, transportRetryTime: 60, ...opts.advanced },
    },
    messageProcessing: opts.messageProcessing,
    routes: [`10.0.0.25:25=127.0.0.1:${internal.port}`, `10.0.0.1:25=127.0.0.1:${edge.port}`],
  });
  open.push(h);
  return { h, internal, edge };
}

function statusFields(report: string): Array<Record<string, string>> {
  return report
    .trim()
    .split(/\r?\n\r?\n/)
    .map((block) =>
      // bounce(8) folds long fields with 4 spaces (line_wrap): unfold before reading them.
      Object.fromEntries(
        block
          .replace(/\r?\n {4}/g, ' ')
          .split(/\r?\n/)
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      ),
    );
}

async function parseBounce(raw: Buffer) {
  const mail = await simpleParser(raw);
  const text = raw.toString('utf8');
  const ds = text.match(/Content-Type: message\/delivery-status\r\n\r\n([\s\S]*?)\r\n--/);
  // The returned message: the whole of it by default (bounce(8)), its headers with RET=HDRS.
  const hdrs = text.match(
    /Content-Type: (?:text\/rfc822-headers|message\/rfc822)\r\nContent-Transfer-Encoding: 8bit\r\n\r\n([\s\S]*?)\r\n\r\n/,
  );
  return { mail, status: statusFields(ds![1]!), headers: hdrs![1]! };
}

describe('queue manager', () => {
  it('one transaction per next hop carrying all its recipients; Postfix log lines; message removed', async () => {
    const { h, internal, edge } = await setup();
    const id = await h.submit('alice@x.example', ['bob@corp.example', 'carol@corp.example', 'dave@ext.example']);
    expect(internal.received).toHaveLength(1);
    expect(internal.received[0]!.to).toEqual(['bob@corp.example', 'carol@corp.example']);
    expect(internal.received[0]!.data.equals(TEXT())).toBe(true);
    expect(edge.received.map((t) => t.to)).toEqual([['dave@ext.example']]);
    expect(h.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${id}: to=<bob@corp\\.example>, relay=10\\.0\\.0\\.25\\[10\\.0\\.0\\.25\\]:25, delay=\\S+, delays=\\S+/\\S+/\\S+/\\S+, dsn=2\\.6\\.0, status=sent \\(250 2\\.6\\.0 Ok: queued as SINK1\\)$`,
        ),
      ),
    );
    expect(h.logs).toContain(`${id}: removed`);
    expect(await h.spool.ids()).toEqual([]);
    expect(h.events.filter(([e]) => e === 'delivered')).toHaveLength(3);
  });

  it('4xx defers with backoff min → doubling → max, retried only at deferred-queue scans', async () => {
    const attempts: number[] = [];
    let clock: { now(): number } | undefined;
    const { h, internal } = await setup({
      internal: {
        rcpt: () => {
          attempts.push(clock!.now());
          return { code: 451, text: 'Try again later' };
        },
      },
    });
    clock = h.clock;
    const t0 = h.clock.now();
    const id = await h.submit('alice@x.example', ['bob@corp.example']);
    await h.advance(3400);
    expect(attempts.map((t) => (t - t0) / 1000)).toEqual([0, 300, 900, 2100, 3300]);
    expect(internal.received).toHaveLength(0);
    const state = await h.spool.readState(id);
    expect(state.recipients[0]).toMatchObject({ status: 'deferred', attempts: 5, backoff: 1200 });
    expect(h.logs).toContainEqual(
      expect.stringMatching(
        /status=deferred \(host 10\.0\.0\.25\[10\.0\.0\.25\] said: 451 4\.\d\.\d Try again later \(in reply to RCPT TO command\)\)$/,
      ),
    );
  });

  it('with KSMG defaults (queue_run_delay 1000 > minimal_backoff 300) the first retry waits for the scan at 1000 s', async () => {
    const attempts: number[] = [];
    let clock: { now(): number } | undefined;
    const { h } = await setup({
      internal: {
        rcpt: () => {
          attempts.push(clock!.now());
          return { code: 450, text: 'busy' };
        },
      },
      advanced: { minimalBackoff: 300, maximalBackoff: 4000, queueRunDelay: 1000 },
    });
    clock = h.clock;
    const t0 = h.clock.now();
    await h.submit('alice@x.example', ['bob@corp.example']);
    await h.advance(2500);
    expect(attempts.map((t) => (t - t0) / 1000)).toEqual([0, 1000, 2000]);
  });

  it('a destination that failed is not tried again for transportRetryTime', async () => {
    const port = await freePort();
    const edge = await startSink();
    open.push(edge);
    const h = await makeHarness({
      mta: {
        destination: { mode: 'edge-gateway', host: '10.0.0.1' },
        domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
        advanced: { transportRetryTime: 60 },
      },
      routes: [`10.0.0.25:25=127.0.0.1:${port}`, `10.0.0.1:25=127.0.0.1:${edge.port}`],
    });
    open.push(h);
    await h.submit('alice@x.example', ['bob@corp.example']);
    expect(h.logs).toContainEqual(expect.stringContaining('status=deferred (connect to 10.0.0.25[10.0.0.25]:25: Connection refused)'));
    await h.advance(30);
    await h.submit('alice@x.example', ['carol@corp.example']);
    expect(h.logs).toContainEqual(
      expect.stringContaining(
        'to=<carol@corp.example>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to 10.0.0.25[10.0.0.25]:25: Connection refused)',
      ),
    );
    await h.advance(31);
    await h.submit('alice@x.example', ['dave@corp.example']);
    expect(h.logs).toContainEqual(
      expect.stringContaining('to=<dave@corp.example>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to'),
    );
  });

  it('5xx bounces at once: an RFC 3464 report to the sender, field by field', async () => {
    const { h, internal, edge } = await setup({
      internal: {
        rcpt: (a) =>
          a.startsWith('nobody@') ? { code: 550, text: '<nobody@corp.example>: Recipient address rejected: User unknown' } : null,
      },
    });
    const id = await h.submit('alice@x.example', [
      'bob@corp.example',
      { address: 'nobody@corp.example', orcpt: 'rfc822;nobody@corp.example' },
    ]);
    expect(internal.received.map((t) => t.to)).toEqual([['bob@corp.example']]);
    expect(edge.received).toHaveLength(1);
    const tx = edge.received[0]!;
    expect(tx.from).toBe('');
    expect(tx.to).toEqual(['alice@x.example']);
    const { mail, status, headers } = await parseBounce(tx.data);
    expect(mail.from?.value[0]?.address).toBe('MAILER-DAEMON@ksmg.corp.example');
    expect(mail.subject).toBe('Undelivered Mail Returned to Sender');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } });
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text!.replace(/\n {4}/g, ' ')).toContain(
      '<nobody@corp.example>: host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <nobody@corp.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
    );
    expect(status[0]).toMatchObject({
      'Reporting-MTA': 'dns; ksmg.corp.example',
      'X-Postfix-Queue-ID': id,
      'X-Postfix-Sender': 'rfc822; alice@x.example',
    });
    expect(status[0]!['Arrival-Date']).toMatch(/^\w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)$/);
    expect(status[1]).toEqual({
      'Final-Recipient': 'rfc822; nobody@corp.example',
      'Original-Recipient': 'rfc822;nobody@corp.example',
      Action: 'failed',
      Status: '5.1.1',
      'Remote-MTA': 'dns; 10.0.0.25',
      'Diagnostic-Code': 'smtp; 550 5.1.1 <nobody@corp.example>: Recipient address rejected: User unknown',
    });
    expect(status).toHaveLength(2);
    expect(headers).toContain('Subject: Hello\r\nMessage-ID: <m1@x.example>');
    expect(headers).not.toContain('Hi Bob');
    expect(h.logs).toContainEqual(expect.stringMatching(new RegExp(`^${id}: sender non-delivery notification: [0-9A-F]{11}$`)));
    expect(await h.spool.ids()).toEqual([]);
  });

  it('never bounces a bounce: null-sender 5xx is dropped; a deferred bounce is dropped after bounceQueueLifetime', async () => {
    const { h, internal, edge } = await setup({
      internal: {
        rcpt: (a) =>
          a.startsWith('nobody@') ? { code: 550, text: 'User unknown' } : a.startsWith('later@') ? { code: 451, text: 'later' } : null,
      },
      advanced: { bounceQueueLifetime: 500, maximalQueueLifetime: 5000 },
    });
    await h.submit('', ['nobody@corp.example']);
    await h.submit('', ['later@corp.example']);
    expect(await h.spool.ids()).toHaveLength(1);
    await h.advance(600); // attempts at 0 and 300; the next (900) is past the lifetime
    expect(await h.spool.ids()).toHaveLength(1);
    await h.advance(400);
    expect(h.logs).toContainEqual(expect.stringContaining('status=expired, dropped'));
    expect(await h.spool.ids()).toEqual([]);
    expect(edge.received).toHaveLength(0);
    expect(internal.received).toHaveLength(0);
  });

  it('after maximalQueueLifetime a deferred recipient bounces with its last reason', async () => {
    const { h, edge } = await setup({
      internal: { rcpt: () => ({ code: 452, text: 'Mailbox full' }) },
      advanced: { maximalQueueLifetime: 1000 },
    });
    await h.submit('alice@x.example', ['bob@corp.example']);
    await h.advance(2000); // attempts at 0, 300, 900 — the next one (2100) is past the lifetime
    expect(edge.received).toHaveLength(0);
    await h.advance(200);
    expect(edge.received).toHaveLength(1);
    const { status } = await parseBounce(edge.received[0]!.data);
    expect(status[1]).toMatchObject({
      'Final-Recipient': 'rfc822; bob@corp.example',
      Action: 'failed',
      Status: expect.stringMatching(/^4\./),
      'Diagnostic-Code': expect.stringContaining('452'),
    });
    expect(h.logs).toContainEqual(expect.stringContaining('status=expired, returned to sender'));
    expect(await h.spool.ids()).toEqual([]);
  });

  it('always_bcc gets a copy with NOTIFY=NEVER, and its failure is never bounced', async () => {
    const { h, internal, edge } = await setup({
      advanced: { alwaysBcc: 'archive@corp.example' },
      internal: { rcpt: (a) => (a.startsWith('archive@') ? { code: 550, text: 'no archive' } : null) },
    });
    await h.submit('alice@x.example', ['bob@corp.example']);
    expect(internal.received[0]!.to).toEqual(['bob@corp.example']);
    expect(edge.received).toHaveLength(0); // no bounce for the copy
    expect(h.logs).toContainEqual(expect.stringContaining('to=<archive@corp.example>'));
    const { h: h2, internal: i2 } = await setup({ advanced: { alwaysBcc: 'archive@corp.example' } });
    await h2.submit('alice@x.example', ['dave@ext.example']);
    expect(i2.received[0]!.to).toEqual(['archive@corp.example']);
    expect(i2.received[0]!.rcptArgs[0]).toMatchObject({ NOTIFY: 'NEVER' });
  });

  it('KSMG delayed reject: an NDR for recipients a scan rule rejected (and none when switched off)', async () => {
    const { h, internal, edge } = await setup();
    await h.submit('alice@x.example', ['bob@corp.example', 'carol@corp.example'], TEXT(), {
      recipients: [
        { address: 'bob@corp.example', status: 'pending', attempts: 0 },
        { address: 'carol@corp.example', status: 'rejected', attempts: 0, rule: 'Block phishing', reason: 'phishing' },
      ],
    });
    expect(internal.received.map((t) => t.to)).toEqual([['bob@corp.example']]);
    const { mail, status } = await parseBounce(edge.received[0]!.data);
    expect(mail.subject).toBe('Message rejected by Kaspersky Secure Mail Gateway');
    expect(status[1]).toMatchObject({
      'Final-Recipient': 'rfc822; carol@corp.example',
      Action: 'failed',
      Status: '5.7.1',
      'Diagnostic-Code': 'smtp; 550 5.7.1 Message rejected by Kaspersky Secure Mail Gateway rule "Block phishing": phishing',
    });
    const off = await setup({ messageProcessing: { sendNdrForDelayedReject: false } });
    await off.h.submit('alice@x.example', ['carol@corp.example'], TEXT(), {
      recipients: [{ address: 'carol@corp.example', status: 'rejected', attempts: 0, rule: 'R' }],
    });
    expect(off.edge.received).toHaveLength(0);
    expect(off.internal.received).toHaveLength(0);
    expect(await off.h.spool.ids()).toEqual([]);
  });

  it('resumes a non-empty spool on start: pending and due recipients are delivered, settled ones are not', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { Spool } = await import('../../../../src/relay/spool.js');
    const sink = await startSink();
    open.push(sink);
    const dir = await mkdtemp(path.join(tmpdir(), 'ksmg-resume-'));
    const spool = new Spool(dir);
    await spool.open();
    const client = { address: '203.0.113.7', name: 'unknown', helo: 'x', protocol: 'ESMTP' };
    await spool.enqueue(
      {
        id: '04000000001',
        arrivalTime: Date.UTC(2026, 0, 1),
        sender: 'a@x.example',
        recipients: [{ address: 'one@corp.example' }],
        client,
      },
      TEXT('one'),
    );
    await spool.enqueue(
      {
        id: '04000000002',
        arrivalTime: Date.UTC(2026, 0, 1),
        sender: 'a@x.example',
        recipients: [{ address: 'done@corp.example' }, { address: 'two@corp.example' }],
        client,
      },
      TEXT('two'),
      {
        recipients: [
          { address: 'done@corp.example', status: 'sent', attempts: 1 },
          { address: 'two@corp.example', status: 'deferred', attempts: 1, backoff: 300, nextAttemptAt: 0 },
        ],
      },
    );
    const h = await makeHarness({
      mta: { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] },
      routes: [`10.0.0.25:25=127.0.0.1:${sink.port}`],
      dir,
    });
    open.push(h);
    await h.queue.whenIdle();
    expect(sink.received.map((t) => t.to).sort()).toEqual([['one@corp.example'], ['two@corp.example']]);
    expect(await h.spool.ids()).toEqual([]);
    expect(h.logs).toContain('04000000002: from=<a@x.example>, size=' + TEXT('two').length + ', nrcpt=2 (queue active)');
  });

  it('IPv6 next hops: a route to an IPv6 address and an MX with only AAAA, reached through the route map', async () => {
    const { zoneResolver } = await import('../delivery/sink.js');
    const sink = await startSink();
    open.push(sink);
    const h = await makeHarness({
      mta: { destination: { mode: 'dns' }, domains: [{ name: 'corp.example', route: { host: '2001:db8::25', port: 25 } }] },
      routes: [`[2001:db8::25]:25=127.0.0.1:${sink.port}`, `[2001:db8::99]:25=127.0.0.1:${sink.port}`],
      resolver: zoneResolver({
        'v6.example': { MX: [{ exchange: 'mx.v6.example', priority: 10 }] },
        'mx.v6.example': { AAAA: ['2001:db8::99'] },
      }),
    });
    open.push(h);
    await h.submit('alice@x.example', ['bob@corp.example', 'eve@v6.example']);
    expect(sink.received.map((t) => t.to).sort()).toEqual([['bob@corp.example'], ['eve@v6.example']]);
    expect(h.logs).toContainEqual(expect.stringContaining('to=<bob@corp.example>, relay=2001:db8::25[2001:db8::25]:25,'));
    expect(h.logs).toContainEqual(expect.stringContaining('to=<eve@v6.example>, relay=mx.v6.example[2001:db8::99]:25,'));
  });

  it('MX by preference: an unreachable first MX falls through to the next one in the same attempt', async () => {
    const { zoneResolver } = await import('../delivery/sink.js');
    const sink = await startSink();
    open.push(sink);
    const dead = await freePort();
    const h = await makeHarness({
      mta: { destination: { mode: 'dns' }, domains: [{ name: 'corp.example' }] },
      routes: [`192.0.2.10:25=127.0.0.1:${dead}`, `192.0.2.20:25=127.0.0.1:${sink.port}`],
      resolver: zoneResolver({
        'ext.example': {
          MX: [
            { exchange: 'mx2.ext.example', priority: 20 },
            { exchange: 'mx1.ext.example', priority: 10 },
          ],
        },
        'mx1.ext.example': { A: ['192.0.2.10'] },
        'mx2.ext.example': { A: ['192.0.2.20'] },
      }),
    });
    open.push(h);
    await h.submit('alice@corp.example', ['eve@ext.example']);
    expect(sink.received.map((t) => t.to)).toEqual([['eve@ext.example']]);
    expect(h.logs).toContainEqual(expect.stringContaining('to=<eve@ext.example>, relay=mx2.ext.example[192.0.2.20]:25,'));
  });

  it('stop() is bounded when a next hop hangs; the message stays in the spool for the next start', async () => {
    let gotMail: () => void = () => undefined;
    const mailSeen = new Promise<void>((r) => (gotMail = r));
    const hang = net.createServer((sock) => {
      sock.write('220 slow.example ESMTP\r\n');
      sock.on('data', (d) => {
        if (d.toString().startsWith('EHLO')) sock.write('250 slow.example\r\n');
        if (d.toString().startsWith('MAIL')) gotMail(); // and never answered
      });
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as net.AddressInfo).port;
    const h = await makeHarness({
      mta: { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] },
      routes: [`10.0.0.25:25=127.0.0.1:${port}`],
    });
    const id = await (async () => {
      const { newQueueId } = await import('../../../../src/relay/spool.js');
      const qid = newQueueId(h.clock.now());
      await h.spool.enqueue(
        {
          id: qid,
          arrivalTime: h.clock.now(),
          sender: 'a@x.example',
          recipients: [{ address: 'bob@corp.example' }],
          client: { address: '203.0.113.7', name: 'unknown', helo: 'x', protocol: 'ESMTP' },
        },
        TEXT(),
      );
      h.queue.notify(qid);
      return qid;
    })();
    await mailSeen;
    await h.queue.stop(100);
    expect(await h.spool.ids()).toEqual([id]);
    await h.close();
    hang.close();
  });
});
