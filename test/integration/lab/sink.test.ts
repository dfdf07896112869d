import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../../../src/lab/sink.js';
import { SmtpClient } from '../../../src/lab/smtp-client.js';

describe('lab SMTP sink', () => {
  let now = 1000;
  const sink = new SmtpSink({ id: 'internal:10.0.0.25', hostname: 'mail.corp.example', now: () => now });
  beforeAll(async () => {
    await sink.start();
  });
  afterAll(async () => {
    await sink.close();
  });

  async function send(from: string, to: string[], body = 'Subject: t\r\n\r\nhello\n.\r\nbare lf kept\r\n') {
    const c = await SmtpClient.connect('127.0.0.1', sink.port);
    const replies: string[] = [];
    replies.push((await c.read()).text);
    replies.push((await c.command('EHLO relay.lab.example')).lines[0]!);
    replies.push((await c.command(`MAIL FROM:<${from}>`)).text);
    for (const t of to) replies.push((await c.command(`RCPT TO:<${t}>`)).text);
    const data = await c.command('DATA');
    replies.push(data.text);
    if (data.code === 354) {
      c.writeRaw(`${body}.\r\n`);
      replies.push((await c.read()).text);
    }
    await c.command('QUIT');
    await c.close();
    return replies;
  }

  it('records peer, EHLO, envelope and the raw bytes, and refuses unknown users with 550 5.1.1', async () => {
    sink.setUsers(['alice@corp.example']);
    const r = await send('x@sender.example', ['alice@corp.example', 'nobody@corp.example']);
    expect(r[0]).toMatch(/^220 mail\.corp\.example/);
    expect(r[4]).toMatch(/^550 5\.1\.1 <nobody@corp\.example>: Recipient address rejected: User unknown/);
    expect(sink.transactions).toHaveLength(1);
    const t = sink.transactions[0]!;
    expect(t).toMatchObject({
      host: 'internal:10.0.0.25',
      peer: '127.0.0.1',
      helo: 'relay.lab.example',
      from: 'x@sender.example',
      to: ['alice@corp.example'],
      at: 1000,
    });
    // Bytes exactly as received: the bare LF stays visible to the checks.
    expect(t.data.toString()).toContain('hello\n.\r\nbare lf kept');
    expect(sink.rcpts.map((x) => x.code)).toEqual([250, 550]);
  });

  it('answers canned replies for the first N attempts or for a window of lab time, and resets', async () => {
    sink.reset();
    sink.setUsers(null);
    sink.addCanned({ stage: 'rcpt', code: 451, text: 'Try again later', times: 1 });
    expect((await send('x@s.example', ['a@corp.example']))[3]).toMatch(/^451 4\.\d\.\d Try again later/);
    expect((await send('x@s.example', ['a@corp.example']))[3]).toMatch(/^250/);
    sink.addCanned({ stage: 'data', code: 451, text: 'Busy', until: 5000 });
    expect((await send('x@s.example', ['a@corp.example']))[5]).toMatch(/^451 4\.\d\.\d Busy/);
    now = 6000;
    expect((await send('x@s.example', ['a@corp.example']))[5]).toMatch(/^250/);
    expect(sink.transactions).toHaveLength(2);
    sink.reset();
    expect(sink.transactions).toHaveLength(0);
    expect(sink.connections).toBe(0);
  });
});
