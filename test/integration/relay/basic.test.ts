import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw } from '../../helpers/raw-smtp.js';
import { startTestRelay, type RelayFixture } from '../../helpers/relay-fixture.js';

describe('relay happy path over a raw socket', () => {
  let f: RelayFixture;
  // Byte-exact spool checks: no content scan here (it adds X-KSMG-* headers; see test/integration/scan/relay.test.ts).
  beforeAll(async () => {
    f = await startTestRelay(undefined, { scanner: false });
  });
  afterAll(async () => {
    await f.stop();
  });

  it('greets, relays a message from a trusted client (XCLIENT) and spools it before the 250', async () => {
    const c = await connectRaw({ port: f.relay.port });
    expect(await c.read()).toBe('220 ksmg.corp.example ESMTP MTA');
    expect(await c.cmd('EHLO harness.example')).toBe(
      '250-ksmg.corp.example\n250-PIPELINING\n250-SIZE 20971520\n250-STARTTLS\n250-XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING',
    );
    expect(await c.cmd('XCLIENT ADDR=10.1.2.3 NAME=app.corp.example')).toBe('220 ksmg.corp.example ESMTP MTA');
    expect(await c.cmd('EHLO app.corp.example')).toMatch(/^250-ksmg\.corp\.example\n250-PIPELINING/);
    expect(await c.cmd('MAIL FROM:<alice@corp.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@elsewhere.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('DATA')).toBe('354 End data with <CR><LF>.<CR><LF>');
    const r = await c.cmd('Subject: hi\r\n\r\nHello\r\n.');
    const m = r.match(/^250 2\.0\.0 Ok: queued as ([0-9A-F]{11})$/);
    expect(m).not.toBeNull();
    const { meta, data } = await f.relay.spool.readFile(m![1]!);
    expect(meta.sender).toBe('alice@corp.example');
    expect(meta.recipients.map((x) => x.address)).toEqual(['bob@elsewhere.example']);
    expect(meta.client.address).toBe('10.1.2.3');
    expect(data.toString()).toMatch(
      /^Received: from app\.corp\.example \(app\.corp\.example \[10\.1\.2\.3\]\)\r\n\tby ksmg\.corp\.example \(Postfix\) with ESMTP id [0-9A-F]{11}\r\n\tfor <bob@elsewhere\.example>; \w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)\r\nSubject: hi\r\n\r\nHello\r\n$/,
    );
    expect(await c.quit()).toBe('221 2.0.0 Bye');
  });

  it('refuses relay from an untrusted client with 554 5.7.1', async () => {
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('XCLIENT ADDR=203.0.113.7');
    await c.cmd('EHLO mail.sender.example');
    expect(await c.cmd('MAIL FROM:<x@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@elsewhere.example>')).toBe('554 5.7.1 <bob@elsewhere.example>: Relay access denied');
    expect(await c.cmd('DATA')).toBe('554 5.5.1 Error: no valid recipients');
    expect(await c.quit()).toBe('221 2.0.0 Bye');
    await f.logger.waitFor(/^disconnect from unknown\[203\.0\.113\.7\]/);
    expect(f.logger.lines).toContain('disconnect from unknown[203.0.113.7] ehlo=1 mail=1 rcpt=0/1 data=0/1 quit=1 xclient=1 commands=4/6');
    expect(
      f.logger.find(
        /^NOQUEUE: reject: RCPT from unknown\[203\.0\.113\.7\]: 554 5\.7\.1 <bob@elsewhere\.example>: Relay access denied; from=<x@sender\.example> to=<bob@elsewhere\.example> proto=ESMTP helo=<mail\.sender\.example>$/,
      ),
    ).toBeDefined();
  });

  it('logs "lost connection after X" when the client goes away without QUIT', async () => {
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd('EHLO gone.example');
    await c.cmd('MAIL FROM:<a@corp.example>');
    c.destroy();
    expect(await f.logger.waitFor(/^lost connection after MAIL from unknown\[127\.0\.0\.1\]$/)).toBeDefined();
  });
});
