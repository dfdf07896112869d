// SMTP smuggling battery (SEC Consult 2023; The-Login/SMTP-Smuggling-Tools): none of the fake
// end-of-DATA sequences yields a second transaction; bare LF/CR are spooled as CRLF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw } from '../../../helpers/raw-smtp.js';
import { startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

const SEQUENCES: Array<[string, string]> = [
  ['LF . LF', '\n.\n'],
  ['LF . CR', '\n.\r'],
  ['CR . LF', '\r.\n'],
  ['CR . CR', '\r.\r'],
  ['LF . CRLF', '\n.\r\n'],
  ['CR . CRLF', '\r.\r\n'],
  ['CRLF NUL . CRLF', '\r\n\x00.\r\n'],
  ['CRLF . CR CRLF', '\r\n.\r\r\n'],
  ['CR CRLF . CR CRLF', '\r\r\n.\r\r\n'],
  ['CRLF . LF', '\r\n.\n'],
];

const SMUGGLED = 'MAIL FROM:<smuggled@evil.example>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n';

describe('SMTP smuggling battery', () => {
  let f: RelayFixture;
  // Byte-exact spool checks: no content scan here (it adds X-KSMG-* headers; see test/integration/scan/relay.test.ts).
  beforeAll(async () => {
    f = await startTestRelay(undefined, { scanner: false });
  });
  afterAll(async () => {
    await f.stop();
  });

  async function send(payload: string, split = false): Promise<string[]> {
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('XCLIENT ADDR=203.0.113.7');
    await c.cmd('EHLO mail.sender.example');
    expect(await c.cmd('MAIL FROM:<alice@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('DATA')).toBe('354 End data with <CR><LF>.<CR><LF>');
    if (split)
      for (const ch of payload) {
        c.write(ch);
        await new Promise((r) => setImmediate(r));
      }
    else c.write(payload);
    c.write('QUIT\r\n');
    const replies = await c.drain(500);
    c.destroy();
    return replies;
  }

  it.each(SEQUENCES)('%s: one message, the smuggled commands stay body text', async (_name, seq) => {
    const before = (await f.relay.spool.ids()).length;
    const replies = await send(`Subject: t\r\n\r\nline1${seq}${SMUGGLED}`);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]{11}$/);
    expect(replies[1]).toBe('221 2.0.0 Bye');
    const ids = await f.relay.spool.ids();
    expect(ids.length).toBe(before + 1);
    const id = replies[0]!.slice(-11);
    const { meta, data } = await f.relay.spool.readFile(id);
    expect(meta.sender).toBe('alice@sender.example');
    const text = data.toString('latin1');
    expect(text).toContain('MAIL FROM:<smuggled@evil.example>');
    // Only CRLF line ends are spooled, and no lone "." line that a next hop could take as the end.
    expect(text).not.toMatch(/(^|[^\r])\n/);
    expect(text).not.toMatch(/\r(?!\n)/);
    expect(text.split('\r\n')).not.toContain('.');
  });

  it('a terminator split over many TCP segments still ends DATA exactly once', async () => {
    const replies = await send('Subject: t\r\n\r\nbody\r\n.\r\n', true);
    expect(replies[0]).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(replies[1]).toBe('221 2.0.0 Bye');
  });

  it('dot-stuffed lines are unstuffed, and a first line of ".." is content', async () => {
    const replies = await send('..\r\nSubject: t\r\n\r\n..dot\r\n.\r\n');
    const { data } = await f.relay.spool.readFile(replies[0]!.slice(-11));
    expect(data.toString('latin1')).toMatch(/\r\n\.\r\nSubject: t\r\n\r\n\.dot\r\n$/);
  });
});
