// STARTTLS on the relay over real sockets, with node's tls client: the EHLO lists before and
// after TLS, 530 under encrypt, the command-injection defence (plaintext pipelined after STARTTLS
// is discarded), a failed handshake, STARTTLS twice, and "with ESMTPS" in the Received: header.
// Every reply here was seen from Postfix 3.7.11 with the same certificate (the differential suite
// repeats the dialogues against it: test/differential/probes.ts, "STARTTLS …").
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpClient } from '../../../../src/lab/smtp-client.js';
import { selfSignedFor } from '../../../../src/relay/smtp/tls-credentials.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

const EHLO_BEFORE =
  '250-ksmg.corp.example\n250-PIPELINING\n250-SIZE 20971520\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING';
const EHLO_AFTER = EHLO_BEFORE.replace('250-STARTTLS\n', '');

async function open(f: RelayFixture, addr = '203.0.113.7'): Promise<SmtpClient> {
  const c = await SmtpClient.connect('127.0.0.1', f.relay.port, 5000);
  await c.read();
  expect((await c.command(`XCLIENT ADDR=${addr}`)).code).toBe(220);
  return c;
}
const raw = (r: { raw: string }) => r.raw;

describe('STARTTLS under may (the KSMG default: Attempt TLS)', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay(makeConfig());
  });
  afterAll(async () => {
    await f.stop();
  });

  it('offers STARTTLS before TLS only, with the self-signed certificate for mta.hostname', async () => {
    const c = await open(f);
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_BEFORE);
    expect(raw(await c.command('STARTTLS'))).toBe('220 2.0.0 Ready to start TLS');
    const info = await c.startTls('ksmg.corp.example');
    expect(info.certificate).toMatchObject({ subject: 'ksmg.corp.example', altNames: ['ksmg.corp.example'], selfSigned: true });
    const served = new X509Certificate(selfSignedFor('ksmg.corp.example').cert);
    expect(served.subject).toBe('CN=ksmg.corp.example');
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_AFTER);
    expect(raw(await c.command('STARTTLS'))).toBe('554 5.5.1 Error: TLS already active');
    expect(raw(await c.command('QUIT'))).toBe('221 2.0.0 Bye');
  });

  it('STARTTLS with an argument is a syntax error; plaintext mail is still accepted', async () => {
    const c = await open(f);
    expect(raw(await c.command('STARTTLS now'))).toBe('501 5.5.4 Syntax: STARTTLS');
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_BEFORE);
    expect(raw(await c.command('MAIL FROM:<alice@sender.example>'))).toBe('250 2.1.0 Ok');
    expect(raw(await c.command('RCPT TO:<bob@corp.example>'))).toBe('250 2.1.5 Ok');
    await c.close();
  });

  it('discards plaintext pipelined behind STARTTLS (CVE-2011-0411) and resets the transaction', async () => {
    const c = await open(f);
    await c.command('EHLO client.example');
    expect(raw(await c.command('MAIL FROM:<alice@sender.example>'))).toBe('250 2.1.0 Ok');
    c.writeRaw('STARTTLS\r\nRSET\r\nMAIL FROM:<injected@evil.example>\r\n');
    expect(raw(await c.read())).toBe('220 2.0.0 Ready to start TLS');
    await c.startTls();
    // The injected MAIL never ran and the earlier one was reset: RCPT needs a MAIL, NOOP is the
    // first reply inside TLS.
    expect(raw(await c.command('NOOP'))).toBe('250 2.0.0 Ok');
    expect(raw(await c.command('RCPT TO:<bob@corp.example>'))).toBe('503 5.5.1 Error: need MAIL command');
    await c.close();
  });

  it('a message over TLS gets "with ESMTPS" in the Received: header, and no TLS comment', async () => {
    const c = await open(f);
    await c.command('EHLO client.example');
    await c.command('STARTTLS');
    await c.startTls();
    await c.command('EHLO client.example');
    await c.command('MAIL FROM:<alice@sender.example>');
    await c.command('RCPT TO:<bob@corp.example>');
    expect((await c.command('DATA')).code).toBe(354);
    c.writeRaw('Subject: tls\r\n\r\nHello.\r\n.\r\n');
    const done = await c.read();
    expect(done.code).toBe(250);
    const id = done.text.match(/queued as (\S+)/)![1]!;
    const msg = (await f.relay.spool.readFile(id)).data.toString('latin1');
    expect(msg).toMatch(
      /^Received: from client\.example \(unknown \[203\.0\.113\.7\]\)\r\n\tby ksmg\.corp\.example \(Postfix\) with ESMTPS id \S+\r\n\tfor <bob@corp\.example>; /,
    );
    await c.close();
  });

  it('a failed handshake ends the session ("lost connection after STARTTLS")', async () => {
    const c = await open(f, '203.0.113.8');
    await c.command('EHLO client.example');
    expect(raw(await c.command('STARTTLS'))).toBe('220 2.0.0 Ready to start TLS');
    c.writeRaw('GARBAGE NOT TLS\r\n');
    expect((await c.read()).code).toBe(0);
    expect(c.isClosed).toBe(true);
    await expect.poll(() => f.logger.lines.some((l) => l.includes('lost connection after STARTTLS from unknown[203.0.113.8]'))).toBe(true);
  });
});

describe('STARTTLS under encrypt (Require TLS)', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay(makeConfig((c) => (c.mta.tls = { securityLevel: 'encrypt' })));
  });
  afterAll(async () => {
    await f.stop();
  });

  it('refuses every command but HELO, EHLO, XCLIENT, STARTTLS, NOOP, QUIT with 530 until TLS', async () => {
    const c = await open(f);
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_BEFORE);
    expect(raw(await c.command('NOOP'))).toBe('250 2.0.0 Ok');
    for (const cmd of [
      'MAIL FROM:<alice@sender.example>',
      'RCPT TO:<bob@corp.example>',
      'DATA',
      'RSET',
      'VRFY bob',
      'ETRN corp.example',
      'BDAT 1 LAST',
      'AUTH PLAIN x',
    ]) {
      expect(raw(await c.command(cmd)), cmd).toBe('530 5.7.0 Must issue a STARTTLS command first');
    }
    // Unknown commands are still "not recognized" (checked first).
    expect(raw(await c.command('HELP'))).toBe('500 5.5.2 Error: command not recognized');
    expect(raw(await c.command('STARTTLS'))).toBe('220 2.0.0 Ready to start TLS');
    await c.startTls();
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_AFTER);
    expect(raw(await c.command('MAIL FROM:<alice@sender.example>'))).toBe('250 2.1.0 Ok');
    await c.close();
  });
});

describe('STARTTLS under none (No TLS)', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay(makeConfig((c) => (c.mta.tls = { securityLevel: 'none' })));
  });
  afterAll(async () => {
    await f.stop();
  });

  it('is neither offered nor implemented', async () => {
    const c = await open(f);
    expect(raw(await c.command('EHLO client.example'))).toBe(EHLO_AFTER);
    expect(raw(await c.command('STARTTLS'))).toBe('502 5.5.1 Error: command not implemented');
    expect(raw(await c.command('STARTTLS x'))).toBe('501 5.5.4 Syntax: STARTTLS');
    await c.close();
  });
});
