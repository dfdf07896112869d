// Wire-exact replies for the protocol, size, VRFY, DSN and XCLIENT rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw, type RawSmtp } from '../../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';

/**
 * Past smtpd_soft_error_limit (10 errors) every reply waits smtpd_error_sleep_time (1 s) on the
 * relay's clock; this moves the ManualClock on while a test makes that many errors.
 */
function tarpitClock(f: RelayFixture): () => void {
  const t = setInterval(() => {
    void f.clock.advance(1000);
  }, 2);
  return () => clearInterval(t);
}

async function open(f: RelayFixture, addr = '203.0.113.7', ehlo = 'EHLO mail.sender.example'): Promise<RawSmtp> {
  const c = await connectRaw({ port: f.relay.port });
  await c.read();
  if (addr) expect(await c.cmd(`XCLIENT ADDR=${addr}`)).toMatch(/^220 /);
  if (ehlo) await c.cmd(ehlo);
  return c;
}

describe('protocol replies (defaults: strict RFC 821, VRFY off, dsn/etrn discarded)', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay();
  });
  afterAll(async () => {
    await f.stop();
  });

  it('EHLO as an untrusted client after XCLIENT: no XCLIENT, DSN, ETRN or VRFY', async () => {
    const c = await open(f, '203.0.113.7', '');
    expect(await c.cmd('EHLO x.example')).toBe(
      '250-ksmg.corp.example\n250-PIPELINING\n250-SIZE 20971520\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING',
    );
    expect(await c.cmd('HELO x.example')).toBe('250 ksmg.corp.example');
    expect(await c.cmd('HELO')).toBe('501 Syntax: HELO hostname');
    expect(await c.cmd('EHLO')).toBe('501 Syntax: EHLO hostname');
    await c.quit();
  });

  it('sequence errors and unknown commands', async () => {
    const stop = tarpitClock(f);
    const c = await open(f);
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('503 5.5.1 Error: need MAIL command');
    expect(await c.cmd('DATA')).toBe('503 5.5.1 Error: need RCPT command');
    expect(await c.cmd('FOO bar')).toBe('500 5.5.2 Error: command not recognized');
    expect(await c.cmd('MAIL')).toBe('501 5.5.4 Syntax: MAIL FROM:<address>');
    expect(await c.cmd('MAIL FROM:')).toBe('501 5.5.4 Syntax: MAIL FROM:<address>');
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('503 5.5.1 Error: nested MAIL command');
    expect(await c.cmd('RCPT TO:')).toBe('501 5.5.4 Syntax: RCPT TO:<address>');
    expect(await c.cmd('RCPT TO:<>')).toBe('501 5.1.3 Bad recipient address syntax');
    expect(await c.cmd('DATA')).toBe('554 5.5.1 Error: no valid recipients');
    expect(await c.cmd('RSET')).toBe('250 2.0.0 Ok');
    expect(await c.cmd('NOOP')).toBe('250 2.0.0 Ok');
    expect(await c.cmd('STARTTLS now')).toBe('501 5.5.4 Syntax: STARTTLS');
    // Ten errors: from now on each reply is tarpitted (1 s), this one too.
    expect(await c.quit()).toBe('221 2.0.0 Bye');
    stop();
  });

  it('strict RFC 821 envelopes: brackets required, no comments or phrases', async () => {
    const c = await open(f);
    expect(await c.cmd('MAIL FROM:a@sender.example')).toBe('501 5.1.7 Bad sender address syntax');
    expect(await c.cmd('MAIL FROM:<a(comment)@sender.example>')).toBe('501 5.1.7 Bad sender address syntax');
    expect(await c.cmd('MAIL FROM:Alice <a@sender.example>')).toBe('501 5.1.7 Bad sender address syntax');
    expect(await c.cmd('MAIL FROM: <a@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:bob@corp.example')).toBe('501 5.1.3 Bad recipient address syntax');
    expect(await c.cmd('RCPT TO:<bob@corp.example')).toBe('501 5.1.3 Bad recipient address syntax');
    expect(await c.cmd('RCPT TO:<bob@corp.example> FOO=1')).toBe('555 5.5.4 Unsupported option: FOO=1');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    await c.quit();
  });

  it('DSN parameters are refused while dsn is discarded', async () => {
    const c = await open(f);
    expect(await c.cmd('MAIL FROM:<a@sender.example> RET=HDRS')).toBe('501 5.7.1 DSN support is disabled');
    expect(await c.cmd('MAIL FROM:<a@sender.example> ENVID=x')).toBe('501 5.7.1 DSN support is disabled');
    expect(await c.cmd('MAIL FROM:<a@sender.example> BODY=8BITMIME SMTPUTF8')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@corp.example> NOTIFY=NEVER')).toBe('501 5.7.1 DSN support is disabled');
    expect(await c.cmd('RCPT TO:<bob@corp.example> ORCPT=rfc822;bob@corp.example')).toBe('501 5.7.1 DSN support is disabled');
    await c.quit();
  });

  it('SIZE at MAIL and a body over the limit after the final dot', async () => {
    // The limit bounds Postfix's queue file: envelope and Received: take about 1000 bytes of it.
    const small = await startTestRelay(
      makeConfig((c) => {
        c.mta.messageSizeLimit = 3000;
      }),
    );
    try {
      const c = await open(small);
      expect(await c.cmd('MAIL FROM:<a@sender.example> SIZE=3001')).toBe('552 5.3.4 Message size exceeds fixed limit');
      expect(await c.cmd('MAIL FROM:<a@sender.example> SIZE=abc')).toBe('501 5.5.4 Bad message size syntax');
      expect(await c.cmd('MAIL FROM:<a@sender.example> SIZE=3000')).toBe('250 2.1.0 Ok');
      expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
      expect(await c.cmd('DATA')).toMatch(/^354 /);
      expect(await c.cmd(`Subject: big\r\n\r\n${'x'.repeat(78)}\r\n`.repeat(25) + '.')).toBe('552 5.3.4 Error: message file too big');
      expect(await small.relay.spool.ids()).toEqual([]);
      // The session goes on: a small message is accepted afterwards.
      expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
      expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
      await c.cmd('DATA');
      expect(await c.cmd('Subject: small\r\n\r\nhi\r\n.')).toMatch(/^250 2\.0\.0 Ok: queued as /);
      await c.quit();
    } finally {
      await small.stop();
    }
  });

  it('VRFY disabled', async () => {
    const c = await open(f);
    expect(await c.cmd('VRFY bob@corp.example')).toBe('502 5.5.1 VRFY command is disabled');
    await c.quit();
  });

  it('XCLIENT: only once, only from --xclient-from, syntax checked', async () => {
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    expect(await c.cmd('XCLIENT')).toBe('501 5.5.4 Syntax: XCLIENT attribute=value...');
    expect(await c.cmd('XCLIENT FOO=bar')).toBe('501 5.5.4 Bad XCLIENT attribute name: FOO');
    expect(await c.cmd('XCLIENT ADDR=2001:db8::1')).toBe('501 5.5.4 Bad ADDR syntax: 2001:db8::1');
    expect(await c.cmd('XCLIENT ADDR=203.0.113.9 NAME=mail.sender.example HELO=mail.sender.example')).toBe(
      '220 ksmg.corp.example ESMTP MTA',
    );
    expect(await c.cmd('XCLIENT ADDR=203.0.113.10')).toBe('550 5.7.0 Error: insufficient authorization');
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    expect(f.logger.find(/: client=mail\.sender\.example\[203\.0\.113\.9\]$/)).toBeDefined();
    await c.quit();
  });

  it('XCLIENT from a peer not in --xclient-from is refused and not advertised', async () => {
    const c = await connectRaw({ port: f.relay.port, localAddress: '127.0.0.5' });
    expect(await c.read()).toBe('220 ksmg.corp.example ESMTP MTA');
    expect(await c.cmd('EHLO x.example')).not.toMatch(/XCLIENT/);
    expect(await c.cmd('XCLIENT ADDR=10.1.2.3')).toBe('550 5.7.0 Error: insufficient authorization');
    await c.quit();
  });

  it('a header line where a command belongs ends the session (Postfix is_header)', async () => {
    const c = await open(f);
    expect(await c.cmd('Subject: hello')).toBe('221 2.7.0 Error: I can break rules, too. Goodbye.');
    await c.closed;
  });

  it('too many errors → 421 4.7.0 and disconnect', async () => {
    const stop = tarpitClock(f);
    const c = await open(f);
    for (let i = 0; i < 19; i++) expect(await c.cmd('BOGUS')).toBe('500 5.5.2 Error: command not recognized');
    c.write('BOGUS\r\n');
    expect(await c.read()).toBe('500 5.5.2 Error: command not recognized');
    expect(await c.read()).toBe('421 4.7.0 ksmg.corp.example Error: too many errors');
    await c.closed;
    stop();
  });

  it('pipelined commands are answered in order', async () => {
    const c = await open(f);
    c.write('MAIL FROM:<a@sender.example>\r\nRCPT TO:<bob@corp.example>\r\nRCPT TO:<x@elsewhere.example>\r\nDATA\r\n');
    expect(await c.read()).toBe('250 2.1.0 Ok');
    expect(await c.read()).toBe('250 2.1.5 Ok');
    expect(await c.read()).toBe('554 5.7.1 <x@elsewhere.example>: Relay access denied');
    expect(await c.read()).toMatch(/^354 /);
    c.write('Subject: p\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(await c.read()).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]{11}$/);
    expect(await c.read()).toBe('221 2.0.0 Bye');
  });
});

describe('protocol replies with VRFY, DSN and SIZE enabled, non-strict envelopes', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.messageSizeLimit = 0;
        c.mta.advanced = { disableVrfy: false, discardEhloKeywords: [], strictRfc821Envelopes: false, alwaysBcc: 'archive@corp.example' };
      }),
      { recipientLimit: 2 },
    );
  });
  afterAll(async () => {
    await f.stop();
  });

  it('EHLO lists VRFY, ETRN, DSN; SIZE without a number when the limit is 0', async () => {
    const c = await open(f, '203.0.113.7', '');
    expect(await c.cmd('EHLO x.example')).toBe(
      '250-ksmg.corp.example\n250-PIPELINING\n250-SIZE\n250-VRFY\n250-ETRN\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-DSN\n250-SMTPUTF8\n250 CHUNKING',
    );
    await c.quit();
  });

  it('VRFY answers 252 for a local address and applies relay control', async () => {
    const c = await open(f);
    expect(await c.cmd('VRFY <bob@corp.example>')).toBe('252 2.0.0 <bob@corp.example>');
    expect(await c.cmd('VRFY bob@elsewhere.example')).toBe('554 5.7.1 <bob@elsewhere.example>: Relay access denied');
    expect(await c.cmd('VRFY')).toBe('501 5.5.4 Syntax: VRFY address [SMTPUTF8]');
    expect(await c.cmd('VRFY postmaster')).toBe('252 2.0.0 postmaster');
    expect(await c.cmd('VRFY nobody')).toBe('550 5.1.1 <nobody>: Recipient address rejected: User unknown in local recipient table');
    await c.quit();
  });

  it('DSN parameters are accepted and spooled; recipient limit', async () => {
    const c = await open(f);
    expect(await c.cmd('MAIL FROM:a@sender.example RET=HDRS ENVID=abc+2Bdef')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<bob@corp.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40corp.example')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<carol@corp.example> NOTIFY=NEVER,DELAY')).toBe('501 5.5.4 Error: Bad NOTIFY parameter syntax');
    expect(await c.cmd('RCPT TO:carol@corp.example')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<dave@corp.example>')).toBe('452 4.5.3 Error: too many recipients');
    await c.cmd('DATA');
    const r = await c.cmd('Subject: dsn\r\n\r\nhi\r\n.');
    const { meta, data } = await f.relay.spool.readFile(r.slice(-11));
    expect(meta.ret).toBe('HDRS');
    expect(meta.envid).toBe('abc+def');
    expect(meta.recipients).toEqual([
      { address: 'bob@corp.example', notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;bob@corp.example' },
      { address: 'carol@corp.example' },
    ]);
    // Two recipients: no "for <…>" clause, the date on its own line.
    expect(data.toString()).toMatch(
      /^Received: from mail\.sender\.example \(unknown \[203\.0\.113\.7\]\)\r\n\tby ksmg\.corp\.example \(Postfix\) with ESMTP id [0-9A-F]{11};\r\n\t\w{3}, /,
    );
    await c.quit();
  });

  it('ETRN is processed: local domain → 250, other → 459', async () => {
    const c = await open(f);
    expect(await c.cmd('ETRN corp.example')).toBe('250 Queuing started');
    expect(await c.cmd('ETRN elsewhere.example')).toBe('459 <elsewhere.example>: service unavailable');
    await c.quit();
  });
});

describe('more smtpd behaviours', () => {
  let f: RelayFixture | null = null;
  afterAll(async () => {
    await f?.stop();
  });

  it('discarding ENHANCEDSTATUSCODES hides the keyword; replies keep their codes (as Postfix 3.7)', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { discardEhloKeywords: ['enhancedstatuscodes', 'dsn'] };
      }),
    );
    const c = await open(f, '203.0.113.7', '');
    expect(await c.cmd('EHLO x.example')).not.toMatch(/ENHANCEDSTATUSCODES/);
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<x@elsewhere.example>')).toBe('554 5.7.1 <x@elsewhere.example>: Relay access denied');
    await c.quit();
    await f.stop();
    f = null;
  });

  it('junk commands past smtpd_junk_command_limit count as errors', async () => {
    f = await startTestRelay();
    const stop = tarpitClock(f);
    const c = await open(f);
    const replies: string[] = [];
    for (let i = 0; i < 130; i++) c.write('NOOP\r\n');
    for (let i = 0; i < 130; i++) replies.push(await c.read());
    expect(replies.filter((r) => r === '250 2.0.0 Ok').length).toBe(120);
    expect(replies[120]).toBe('421 4.7.0 ksmg.corp.example Error: too many errors');
    stop();
    await f.stop();
    f = null;
  });

  it('SMTPUTF8 addresses are kept as UTF-8; HELO is neutered like Postfix in Received:', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.domains.push({ name: 'пример.example' });
      }),
    );
    const c = await open(f, '203.0.113.7', 'EHLO bad<helo> name;x');
    // Sent as UTF-8 bytes (raw-smtp writes strings as latin1, which is invalid UTF-8 here).
    c.write(Buffer.from('MAIL FROM:<ålice@sender.example> SMTPUTF8\r\n', 'utf8'));
    expect(await c.read()).toBe('250 2.1.0 Ok');
    c.write(Buffer.from('MAIL FROM:<ålice@sender.example>\r\n', 'latin1'));
    expect(await c.read()).toBe('500 5.5.2 Error: bad UTF-8 syntax');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    await c.cmd('DATA');
    const r = await c.cmd('Subject: u\r\n\r\nhi\r\n.');
    const { meta, data } = await f.relay.spool.readFile(r.slice(-11));
    expect(meta.sender).toBe('ålice@sender.example');
    expect(data.toString()).toMatch(/^Received: from bad\?helo\?\?name\?x \(unknown \[203\.0\.113\.7\]\)/);
    await c.quit();
  });
});

describe('overlong command lines', () => {
  it('are truncated to 2048 bytes like Postfix (line_length_limit), not dropped', async () => {
    const f = await startTestRelay();
    try {
      const c = await open(f);
      expect(await c.cmd(`MAIL FROM:<${'a'.repeat(5000)}@sender.example>`)).toBe('501 5.1.7 Bad sender address syntax');
      expect(await c.cmd(`NOOP ${'x'.repeat(20000)}`)).toBe('250 2.0.0 Ok');
      await c.quit();
    } finally {
      await f.stop();
    }
  });
});
