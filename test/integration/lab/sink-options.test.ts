// The recording sink as configured by its callers: the EHLO extensions it offers, scripted
// replies sent with their own enhanced code, quoted local parts, and the exact wire transcript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../../../src/lab/sink.js';
import { connectRaw } from '../../helpers/raw-smtp.js';

const plain = new SmtpSink({ extensions: { pipelining: false, eightBitMime: false, smtpUtf8: false, enhancedStatusCodes: false } });
const full = new SmtpSink({
  extensions: { dsn: true, size: 1000 },
  rcpt: (a) => (a.startsWith('defer') ? { code: 450, text: `4.2.0 <${a}>: try later` } : null),
  queued: (n) => `Ok: queued as SINK${n}`,
  recordWire: true,
});
beforeAll(() => Promise.all([plain.start(), full.start()]));
afterAll(() => Promise.all([plain.close(), full.close()]));

describe('recording sink options', () => {
  it('offers exactly the extensions it is given', async () => {
    const a = await connectRaw({ port: plain.port });
    await a.read();
    expect((await a.cmd('EHLO c.example')).split('\n').slice(1)).toEqual([]);
    await a.quit();
    const b = await connectRaw({ port: full.port });
    await b.read();
    expect(
      (await b.cmd('EHLO c.example'))
        .split('\n')
        .slice(1)
        .map((l) => l.slice(4)),
    ).toEqual(['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'DSN', 'SIZE 1000']);
    await b.quit();
  });

  it('records envelope, parameters, bytes and the wire; scripted replies keep their own enhanced code', async () => {
    const c = await connectRaw({ port: full.port });
    await c.read();
    await c.cmd('EHLO c.example');
    expect(await c.cmd('MAIL FROM:<a@x.example> SIZE=40')).toBe('250 2.1.0 Accepted');
    expect(await c.cmd('RCPT TO:<"john doe"@corp.example> NOTIFY=NEVER')).toBe('250 2.1.5 Accepted');
    expect(await c.cmd('RCPT TO:<defer@corp.example>')).toBe('450 4.2.0 <defer@corp.example>: try later');
    expect(await c.cmd('DATA')).toMatch(/^354/);
    expect(await c.cmd('Subject: s\r\n\r\n..dot\r\n.')).toBe('250 2.6.0 Ok: queued as SINK1');
    await c.quit();
    const tx = full.transactions.at(-1)!;
    expect([tx.from, tx.to, tx.mailArgs, tx.rcptArgs]).toEqual([
      'a@x.example',
      ['"john doe"@corp.example'],
      { SIZE: '40' },
      [{ NOTIFY: 'NEVER' }],
    ]);
    expect(tx.data.toString()).toBe('Subject: s\r\n\r\n.dot\r\n');
    await full.until((s) => s.wire().length > 0, 5000);
    expect(full.wire().at(-1)).toEqual({
      commands: [
        'MAIL FROM:<a@x.example> SIZE=40',
        'RCPT TO:<"john doe"@corp.example> NOTIFY=NEVER',
        'RCPT TO:<defer@corp.example>',
        'DATA',
      ],
      data: 'Subject: s\r\n\r\n..dot\r\n',
      dataReply: 354,
      end: 'data',
    });
  });
});
