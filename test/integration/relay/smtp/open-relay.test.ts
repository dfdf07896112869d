// The open-relay battery over real sockets: every form is refused 554 5.7.1 from an untrusted
// client, and the same forms pass from a trusted one (permit_mynetworks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw } from '../../../helpers/raw-smtp.js';
import { startTestRelay, type RelayFixture } from '../../../helpers/relay-fixture.js';
import { openRelayForms } from '../../../helpers/open-relay-forms.js';

const FORMS = openRelayForms({
  srv: 'ksmg.corp.example',
  ip: '127.0.0.1',
  ext: 'elsewhere.example',
  local: 'corp.example',
  thirdPartyIp: '192.0.2.99',
});

describe('open-relay battery', () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startTestRelay();
  });
  afterAll(async () => {
    await f.stop();
  });

  async function probe(clientAddr: string, from: string, to: string): Promise<[string, string]> {
    const c = await connectRaw({ port: f.relay.port });
    await c.read();
    await c.cmd(`XCLIENT ADDR=${clientAddr}`);
    await c.cmd('EHLO probe.example');
    const mail = await c.cmd(`MAIL FROM:${from}`);
    const rcpt = await c.cmd(`RCPT TO:${to}`);
    await c.quit();
    return [mail, rcpt];
  }

  it.each(FORMS)('untrusted form $n ($what): RCPT TO:$to → 554 5.7.1 Relay access denied', async ({ from, to }) => {
    const [mail, rcpt] = await probe('203.0.113.7', from, to);
    expect(mail).toBe('250 2.1.0 Ok');
    expect(rcpt).toMatch(/^554 5\.7\.1 <[^>]*>: Relay access denied$/);
  });

  it.each(FORMS)('trusted form $n ($what): RCPT TO:$to → 250 2.1.5 Ok', async ({ from, to }) => {
    const [mail, rcpt] = await probe('10.1.2.3', from, to);
    expect(mail).toBe('250 2.1.0 Ok');
    expect(rcpt).toBe('250 2.1.5 Ok');
  });

  it("echoes Postfix's internal form: source route stripped, quotes removed", async () => {
    expect((await probe('203.0.113.7', '<a@b.example>', '<@ksmg.corp.example:relaytest@elsewhere.example>'))[1]).toBe(
      '554 5.7.1 <relaytest@elsewhere.example>: Relay access denied',
    );
    expect((await probe('203.0.113.7', '<a@b.example>', '<"user@elsewhere.example"@corp.example>'))[1]).toBe(
      '554 5.7.1 <user@elsewhere.example@corp.example>: Relay access denied',
    );
  });

  it('an untrusted client may send to a local domain and to a subdomain only with its own entry', async () => {
    expect((await probe('203.0.113.7', '<a@b.example>', '<bob@corp.example>'))[1]).toBe('250 2.1.5 Ok');
    expect((await probe('203.0.113.7', '<a@b.example>', '<bob@CORP.Example.>'))[1]).toBe('250 2.1.5 Ok');
    expect((await probe('203.0.113.7', '<a@b.example>', '<bob@sub.corp.example>'))[1]).toBe('250 2.1.5 Ok');
    expect((await probe('203.0.113.7', '<a@b.example>', '<bob@other.corp.example>'))[1]).toBe(
      '554 5.7.1 <bob@other.corp.example>: Relay access denied',
    );
  });

  it('IPv6 clients through XCLIENT ADDR=IPV6:… are classified by trustedNetworks', async () => {
    expect((await probe('IPV6:2001:db8:10::5', '<a@corp.example>', '<x@elsewhere.example>'))[1]).toBe('250 2.1.5 Ok');
    expect((await probe('IPv6:2001:db8::5', '<a@corp.example>', '<x@elsewhere.example>'))[1]).toBe(
      '554 5.7.1 <x@elsewhere.example>: Relay access denied',
    );
    expect(f.logger.find(/^NOQUEUE: reject: RCPT from unknown\[2001:db8::5\]: 554 5\.7\.1/)).toBeDefined();
  });
});
