// Recipient verification (fake verifier), unlisted recipients, unknown recipient domains (fake
// resolver), the scanner hook and the queue notification.
import { afterEach, describe, expect, it } from 'vitest';
import { connectRaw, type RawSmtp } from '../../helpers/raw-smtp.js';
import { makeConfig, startTestRelay, type RelayFixture } from '../../helpers/relay-fixture.js';
import type { MessageScanner, RecipientVerifier, ScanInput, VerifyResult } from '../../../src/relay/smtp/ports.js';

let f: RelayFixture | null = null;
afterEach(async () => {
  await f?.stop();
  f = null;
});

async function session(fx: RelayFixture, addr: string): Promise<RawSmtp> {
  const c = await connectRaw({ port: fx.relay.port });
  await c.read();
  await c.cmd(`XCLIENT ADDR=${addr}`);
  await c.cmd('EHLO mail.sender.example');
  expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
  return c;
}

const table: Record<string, VerifyResult> = {
  'ok@corp.example': { status: 'deliverable', code: 250 },
  'new@corp.example': { status: 'pending' },
  'gone@corp.example': {
    status: 'undeliverable',
    code: 550,
    reply:
      'host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <gone@corp.example>: Recipient address rejected: User unknown in local recipient table',
  },
  'slow@corp.example': { status: 'deferred', code: 451, reply: 'host 10.0.0.25[10.0.0.25] said: 451 4.3.0 Try again later' },
};
const verifier: RecipientVerifier & { calls: string[] } = {
  calls: [],
  async verify(a) {
    this.calls.push(a);
    if (a === 'boom@corp.example') throw new Error('verify down');
    return table[a] ?? { status: 'deliverable' };
  },
};

describe('reject-unverified', () => {
  it.each([450, 550] as const)('maps verify results to Postfix texts with unverifiedRecipientRejectCode %i', async (code) => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: code };
      }),
      { verifier },
    );
    const c = await session(f, '203.0.113.7');
    expect(await c.cmd('RCPT TO:<ok@corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<new@corp.example>')).toBe(
      '450 4.1.1 <new@corp.example>: Recipient address rejected: unverified address: Address verification in progress',
    );
    expect(await c.cmd('RCPT TO:<slow@corp.example>')).toBe(
      '450 4.1.1 <slow@corp.example>: Recipient address rejected: unverified address: host 10.0.0.25[10.0.0.25] said: 451 4.3.0 Try again later',
    );
    expect(await c.cmd('RCPT TO:<gone@corp.example>')).toBe(
      code === 550
        ? '550 5.1.1 <gone@corp.example>: Recipient address rejected: undeliverable address: host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <gone@corp.example>: Recipient address rejected: User unknown in local recipient table'
        : '450 4.1.1 <gone@corp.example>: Recipient address rejected: unverified address: host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <gone@corp.example>: Recipient address rejected: User unknown in local recipient table',
    );
    expect(await c.cmd('RCPT TO:<boom@corp.example>')).toBe(
      '450 4.1.1 <boom@corp.example>: Recipient address rejected: unverified address: address verification problem',
    );
    // Relay control comes first: no callout for a foreign domain.
    verifier.calls.length = 0;
    expect(await c.cmd('RCPT TO:<x@elsewhere.example>')).toBe('554 5.7.1 <x@elsewhere.example>: Relay access denied');
    expect(verifier.calls).toEqual([]);
    await c.quit();
  });

  it('is never applied to trusted clients', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { recipientVerification: 'reject-unverified' };
      }),
      { verifier },
    );
    const c = await session(f, '10.1.2.3');
    expect(await c.cmd('RCPT TO:<gone@corp.example>')).toBe('250 2.1.5 Ok');
    await c.quit();
  });
});

describe('pipelining after DATA with a slow callout', () => {
  it('answers every pipelined command in order', async () => {
    const slow: RecipientVerifier = {
      verify: (a) =>
        new Promise((r) => setTimeout(() => r({ status: a.startsWith('slow') ? 'undeliverable' : 'deliverable', reply: 'no' }), 50)),
    };
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: 550 };
      }),
      { verifier: slow },
    );
    const c = await session(f, '203.0.113.7');
    expect(await c.cmd('RCPT TO:<ok@corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('DATA')).toMatch(/^354 /);
    c.write(
      'Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<a@sender.example>\r\nRCPT TO:<slow@corp.example>\r\nRCPT TO:<ok@corp.example>\r\nNOOP\r\nQUIT\r\n',
    );
    const replies = await c.drain(1000);
    expect(replies[0]).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(replies.slice(1)).toEqual([
      '250 2.1.0 Ok',
      '550 5.1.1 <slow@corp.example>: Recipient address rejected: undeliverable address: no',
      '250 2.1.5 Ok',
      '250 2.0.0 Ok',
      '221 2.0.0 Bye',
    ]);
  });
});

describe('reject-unlisted', () => {
  it('accepts listed users and @domain entries, refuses others with 550 5.1.1', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { recipientVerification: 'reject-unlisted', validRecipients: ['alice@corp.example', '@sub.corp.example'] };
      }),
    );
    const c = await session(f, '203.0.113.7');
    expect(await c.cmd('RCPT TO:<Alice@corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<anyone@sub.corp.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<mallory@corp.example>')).toBe(
      '550 5.1.1 <mallory@corp.example>: Recipient address rejected: User unknown in relay recipient table',
    );
    await c.quit();
    // relay_recipient_maps applies to trusted clients too (Postfix's smtpd_reject_unlisted_recipient;
    // only verification callouts are skipped for them), and so do the gateway's own names.
    const t = await session(f, '10.1.2.3');
    expect(await t.cmd('RCPT TO:<mallory@corp.example>')).toBe(
      '550 5.1.1 <mallory@corp.example>: Recipient address rejected: User unknown in relay recipient table',
    );
    expect(await t.cmd('RCPT TO:<mallory@elsewhere.example>')).toBe('250 2.1.5 Ok');
    expect(await t.cmd('RCPT TO:<mallory@ksmg.corp.example>')).toBe(
      '550 5.1.1 <mallory@ksmg.corp.example>: Recipient address rejected: User unknown in local recipient table',
    );
    await t.quit();
  });
});

describe('rejectUnknownRecipientDomains (trusted clients sending out)', () => {
  it('needs an MX or an A/AAAA record; null MX is 556; DNS trouble is 450', async () => {
    f = await startTestRelay();
    const c = await session(f, '10.1.2.3');
    expect(await c.cmd('RCPT TO:<x@elsewhere.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<x@a-only.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<x@aaaa-only.example>')).toBe('250 2.1.5 Ok');
    expect(await c.cmd('RCPT TO:<x@no-such-domain.example>')).toBe(
      '450 4.1.2 <x@no-such-domain.example>: Recipient address rejected: Domain not found',
    );
    expect(await c.cmd('RCPT TO:<x@nullmx.example>')).toBe(
      '556 5.1.10 <x@nullmx.example>: Recipient address rejected: Domain nullmx.example does not accept mail (nullMX)',
    );
    expect(await c.cmd('RCPT TO:<x@broken-dns.example>')).toBe(
      '450 4.1.2 <x@broken-dns.example>: Recipient address rejected: Domain not found',
    );
    // Local domains are not looked up (sub.corp.example has no records in the fake DNS).
    expect(await c.cmd('RCPT TO:<x@sub.corp.example>')).toBe('250 2.1.5 Ok');
    await c.quit();
  });

  it('is off when the setting is false', async () => {
    f = await startTestRelay(
      makeConfig((c) => {
        c.mta.advanced = { rejectUnknownRecipientDomains: false };
      }),
    );
    const c = await session(f, '10.1.2.3');
    expect(await c.cmd('RCPT TO:<x@no-such-domain.example>')).toBe('250 2.1.5 Ok');
    await c.quit();
  });
});

describe('after DATA: scanner, spool, queue', () => {
  it('calls the scanner, spools its data and verdicts, notifies the queue and emits queued', async () => {
    const seen: ScanInput[] = [];
    const scanner: MessageScanner = {
      async scan(input) {
        seen.push(input);
        return {
          data: Buffer.concat([Buffer.from('X-KSMG-Test: yes\r\n'), input.data]),
          recipients: input.recipients.map((a) => ({
            address: a,
            rule: 'Default',
            action: a.startsWith('del') ? ('delete' as const) : a.startsWith('rej') ? ('reject' as const) : ('deliver' as const),
          })),
          logLine: 'scanned: clean',
        };
      },
    };
    const notified: string[] = [];
    f = await startTestRelay(makeConfig(), { scanner, queue: { notify: (id) => notified.push(id) } });
    const queued: string[] = [];
    f.relay.events.on('queued', (e: { id: string }) => queued.push(e.id));
    const c = await session(f, '203.0.113.7');
    for (const r of ['bob', 'del', 'rej']) expect(await c.cmd(`RCPT TO:<${r}@corp.example>`)).toBe('250 2.1.5 Ok');
    await c.cmd('DATA');
    const reply = await c.cmd('Subject: s\r\n\r\nbody\r\n.');
    const id = reply.slice(-11);
    expect(reply).toBe(`250 2.0.0 Ok: queued as ${id}`);
    expect(seen[0]!.queueId).toBe(id);
    expect(seen[0]!.client).toEqual({ address: '203.0.113.7', helo: 'mail.sender.example' });
    expect(seen[0]!.data.toString()).toMatch(/^Received: from mail\.sender\.example /);
    const { data } = await f.relay.spool.readFile(id);
    expect(data.toString()).toMatch(/^X-KSMG-Test: yes\r\nReceived: /);
    const state = await f.relay.spool.readState(id);
    expect(state.recipients.map((r) => [r.address, r.status])).toEqual([
      ['bob@corp.example', 'pending'],
      ['del@corp.example', 'dropped'],
      ['rej@corp.example', 'rejected'],
    ]);
    expect(notified).toEqual([id]);
    expect(queued).toEqual([id]);
    expect(f.logger.find(new RegExp(`^${id}: scanned: clean$`))).toBeDefined();
    await c.quit();
  });

  it('a scanner reject is answered in-session and nothing is spooled', async () => {
    const scanner: MessageScanner = {
      async scan(input) {
        return { reject: { code: 554, enhanced: '5.7.1', text: 'Message rejected: infected' }, data: input.data, recipients: [] };
      },
    };
    f = await startTestRelay(makeConfig(), { scanner });
    const c = await session(f, '203.0.113.7');
    await c.cmd('RCPT TO:<bob@corp.example>');
    await c.cmd('DATA');
    expect(await c.cmd('Subject: s\r\n\r\nbody\r\n.')).toBe('554 5.7.1 Message rejected: infected');
    expect(await f.relay.spool.ids()).toEqual([]);
    await c.quit();
  });
});

describe('scanner failure', () => {
  it('answers 451 4.3.0, keeps nothing, and the pipelined QUIT is answered after it', async () => {
    const scanner: MessageScanner = {
      async scan() {
        throw new Error('scanner crashed');
      },
    };
    f = await startTestRelay(makeConfig(), { scanner });
    const c = await session(f, '203.0.113.7');
    await c.cmd('RCPT TO:<bob@corp.example>');
    await c.cmd('DATA');
    c.write('Subject: s\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(await c.read()).toBe('451 4.3.0 Error: internal error');
    expect(await c.read()).toBe('221 2.0.0 Bye');
    expect(await f.relay.spool.ids()).toEqual([]);
    expect(f.logger.find(/warning: [0-9A-F]{11}: scanner crashed/)).toBeDefined();
  });
});

describe('stopping', () => {
  it('close() lets a session in progress finish, then refuses, and ends stragglers with 421', async () => {
    f = await startTestRelay();
    const c = await session(f, '203.0.113.7');
    const closing = f.relay.close();
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    await c.cmd('DATA');
    expect(await c.cmd('Subject: s\r\n\r\nbody\r\n.')).toMatch(/^250 2\.0\.0 Ok: queued as /);
    // The fixture's grace is 200 ms: after it the session is ended.
    expect(await c.read(2000)).toBe('421 4.3.2 ksmg.corp.example Service shutting down, closing transmission channel');
    await closing;
  });
});
