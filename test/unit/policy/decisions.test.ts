import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../helpers/relay-fixture.js';
import { openRelayForms } from '../../helpers/open-relay-forms.js';
import { bareAddress, classifyClient, compileNetworks, rfcAddress } from '../../../src/policy/client.js';
import { isLocalDomain, relayDecision } from '../../../src/policy/relay.js';
import { parseEnvelopeCommand } from '../../../src/policy/address.js';
import {
  isListedRecipient,
  planRecipientChecks,
  unknownDomainDecision,
  unlistedDecision,
  verificationDecision,
} from '../../../src/policy/recipient.js';
import { ehloKeywords } from '../../../src/policy/ehlo.js';
import { parseMailParams, parseRcptParams, sizeDecision, xtextDecode } from '../../../src/policy/params.js';
import { formatReply, type Reply } from '../../../src/policy/replies.js';

const line = (r: Reply | null) => (r ? formatReply(r) : null);
const config = makeConfig();

describe('client class', () => {
  const nets = compileNetworks(['10.0.0.0/8', '192.168.10.25', '2001:db8:10::/48']);
  it.each([
    ['10.1.2.3', 'trusted'],
    ['192.168.10.25', 'trusted'],
    ['192.168.10.26', 'untrusted'],
    ['::ffff:10.1.2.3', 'trusted'],
    ['::FFFF:10.1.2.3', 'trusted'],
    ['IPv6:2001:db8:10::5', 'trusted'],
    ['2001:db8:10:ffff::1', 'trusted'],
    ['2001:db8:11::1', 'untrusted'],
    ['[2001:db8:10::1]', 'trusted'],
    ['fe80::1%eth0', 'untrusted'],
    ['203.0.113.7', 'untrusted'],
    ['unknown', 'untrusted'],
    ['', 'untrusted'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyClient(nets, ip)).toBe(cls);
  });
  it('formats addresses like Postfix', () => {
    expect(rfcAddress('2001:DB8::5')).toBe('IPv6:2001:db8::5');
    expect(rfcAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(bareAddress('IPV6:2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('relay control', () => {
  it('local domains match exactly', () => {
    expect(isLocalDomain(config, 'corp.example')).toBe(true);
    expect(isLocalDomain(config, 'CORP.EXAMPLE.')).toBe(true);
    expect(isLocalDomain(config, 'sub.corp.example')).toBe(true);
    expect(isLocalDomain(config, 'x.corp.example')).toBe(false);
    expect(isLocalDomain(config, 'example')).toBe(false);
    const nonLocal = makeConfig((c) => {
      c.mta.domains.push({ name: 'routed.example', local: false });
    });
    expect(isLocalDomain(nonLocal, 'routed.example')).toBe(false);
  });

  const forms = openRelayForms({
    srv: 'ksmg.corp.example',
    ip: '192.0.2.10',
    ext: 'elsewhere.example',
    local: 'corp.example',
    thirdPartyIp: '198.51.100.1',
  });
  it.each(forms)('form $n ($what) is refused untrusted and allowed trusted', ({ to }) => {
    const parsed = parseEnvelopeCommand('RCPT', `TO:${to}`, true);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const a = parsed.value.address;
    expect(line(relayDecision(config, 'untrusted', a))).toBe(`554 5.7.1 <${a}>: Relay access denied`);
    expect(relayDecision(config, 'trusted', a)).toBeNull();
  });

  it.each(['bob@corp.example', 'bob@Corp.Example', 'bob@corp.example.', 'bob@sub.corp.example', 'Bob.Smith+tag@corp.example'])(
    'untrusted may send to %s',
    (a) => expect(relayDecision(config, 'untrusted', a)).toBeNull(),
  );
  it.each(['bob@x.corp.example', 'bob@corp.example.evil', 'user@192.0.2.1', 'user@', 'bob%elsewhere.example@ksmg.corp.example'])(
    'untrusted may not send to %s',
    (a) => expect(relayDecision(config, 'untrusted', a)?.code).toBe(554),
  );
  // The gateway's own names are local (mydestination); an empty local part of a local domain is
  // still that domain (Postfix accepts it; the recipient checks decide).
  it.each(['postmaster', 'postmaster@ksmg.corp.example', 'postmaster@localhost', 'x@ksmg.corp.example', '@corp.example'])(
    'untrusted may send to the own name or local domain in %s',
    (a) => expect(relayDecision(config, 'untrusted', a)).toBeNull(),
  );
  it('an [address literal] of the gateway itself is local', () => {
    expect(relayDecision(config, 'untrusted', 'postmaster@[192.0.2.10]', ['192.0.2.10'])).toBeNull();
    expect(relayDecision(config, 'untrusted', 'postmaster@[192.0.2.11]', ['192.0.2.10'])?.code).toBe(554);
  });
});

describe('recipient checks', () => {
  const v = (p: object) =>
    makeConfig((c) => {
      c.mta.advanced = p;
    });
  it('plans per client class and setting', () => {
    expect(planRecipientChecks(config, 'untrusted', 'a@corp.example')).toEqual({
      local: false,
      unlisted: false,
      verify: false,
      domainCheck: null,
    });
    expect(planRecipientChecks(config, 'trusted', 'a@ksmg.corp.example')).toEqual({
      local: true,
      unlisted: false,
      verify: false,
      domainCheck: null,
    });
    expect(planRecipientChecks(v({ recipientVerification: 'reject-unlisted' }), 'trusted', 'a@corp.example').unlisted).toBe(true);
    expect(planRecipientChecks(v({ recipientVerification: 'reject-unlisted' }), 'untrusted', 'a@corp.example').unlisted).toBe(true);
    expect(planRecipientChecks(v({ recipientVerification: 'reject-unverified' }), 'untrusted', 'a@corp.example').verify).toBe(true);
    expect(planRecipientChecks(v({ recipientVerification: 'reject-unverified' }), 'trusted', 'a@corp.example').verify).toBe(false);
    expect(planRecipientChecks(config, 'trusted', 'a@Ext.Example.').domainCheck).toBe('ext.example');
    expect(planRecipientChecks(config, 'trusted', 'a@corp.example').domainCheck).toBeNull();
    expect(planRecipientChecks(config, 'trusted', 'a@[192.0.2.1]').domainCheck).toBeNull();
    expect(planRecipientChecks(v({ rejectUnknownRecipientDomains: false }), 'trusted', 'a@ext.example').domainCheck).toBeNull();
  });

  it('validRecipients: user@domain and @domain', () => {
    const c = v({ validRecipients: ['alice@corp.example', '@sub.corp.example'] });
    expect(isListedRecipient(c, 'ALICE@corp.example')).toBe(true);
    expect(isListedRecipient(c, 'x@sub.corp.example')).toBe(true);
    expect(isListedRecipient(c, 'x@corp.example')).toBe(false);
    expect(isListedRecipient(c, 'x@deep.sub.corp.example')).toBe(false);
    expect(line(unlistedDecision(c, 'x@corp.example'))).toBe(
      '550 5.1.1 <x@corp.example>: Recipient address rejected: User unknown in relay recipient table',
    );
  });

  it.each([
    [{ status: 'deliverable' }, 450, null],
    [
      { status: 'pending' },
      550,
      '450 4.1.1 <a@corp.example>: Recipient address rejected: unverified address: Address verification in progress',
    ],
    [
      { status: 'deferred', reply: 'conn refused' },
      550,
      '450 4.1.1 <a@corp.example>: Recipient address rejected: unverified address: conn refused',
    ],
    [
      { status: 'undeliverable', code: 550, reply: 'said: 550 no' },
      450,
      '450 4.1.1 <a@corp.example>: Recipient address rejected: unverified address: said: 550 no',
    ],
    [
      { status: 'undeliverable', code: 550, reply: 'said: 550 no' },
      550,
      '550 5.1.1 <a@corp.example>: Recipient address rejected: undeliverable address: said: 550 no',
    ],
    [{ status: 'undeliverable', code: 550 }, 550, '550 5.1.1 <a@corp.example>: Recipient address rejected: undeliverable address: 550'],
    [null, 450, '450 4.1.1 <a@corp.example>: Recipient address rejected: unverified address: address verification problem'],
  ] as const)('verify %j with code %i', (result, code, expected) => {
    expect(line(verificationDecision('a@corp.example', result as never, code))).toBe(expected);
  });

  it.each([
    ['found', null],
    ['not-found', '450 4.1.2 <a@x.example>: Recipient address rejected: Domain not found'],
    ['tempfail', '450 4.1.2 <a@x.example>: Recipient address rejected: Domain not found'],
    ['malformed', '450 4.1.2 <a@x.example>: Recipient address rejected: Malformed DNS server reply'],
    ['null-mx', '556 5.1.10 <a@x.example>: Recipient address rejected: Domain x.example does not accept mail (nullMX)'],
  ] as const)('domain lookup %s', (lookup, expected) => {
    expect(line(unknownDomainDecision('a@x.example', 'x.example', lookup))).toBe(expected);
  });
});

describe('EHLO keywords', () => {
  it('defaults: dsn and etrn discarded, VRFY disabled', () => {
    expect(ehloKeywords(config, { xclientAllowed: false })).toEqual([
      'PIPELINING',
      'SIZE 20971520',
      'STARTTLS',
      'ENHANCEDSTATUSCODES',
      '8BITMIME',
      'SMTPUTF8',
      'CHUNKING',
    ]);
  });
  it('nothing discarded, VRFY enabled, XCLIENT allowed, no size limit', () => {
    const c = makeConfig((x) => {
      x.mta.messageSizeLimit = 0;
      x.mta.advanced = { discardEhloKeywords: [], disableVrfy: false };
    });
    expect(ehloKeywords(c, { xclientAllowed: true })).toEqual([
      'PIPELINING',
      'SIZE',
      'VRFY',
      'ETRN',
      'STARTTLS',
      'XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT',
      'ENHANCEDSTATUSCODES',
      '8BITMIME',
      'DSN',
      'SMTPUTF8',
      'CHUNKING',
    ]);
  });
  it('discard list is case-insensitive and can hide anything', () => {
    const c = makeConfig((x) => {
      x.mta.advanced = { discardEhloKeywords: ['PIPELINING', 'Size', '8bitmime', 'smtputf8', 'enhancedstatuscodes'] };
    });
    expect(ehloKeywords(c, { xclientAllowed: false })).toEqual(['ETRN', 'STARTTLS', 'DSN', 'CHUNKING']);
  });
  it('STARTTLS: offered under may and encrypt until TLS is active, never under none or when discarded', () => {
    const level = (securityLevel: string, discard: string[] = []) =>
      makeConfig((x) => {
        x.mta.tls = { securityLevel };
        x.mta.advanced = { discardEhloKeywords: discard };
      });
    const has = (c: ReturnType<typeof level>, tlsActive = false) =>
      ehloKeywords(c, { xclientAllowed: false, tlsActive }).includes('STARTTLS');
    expect(has(level('may'))).toBe(true);
    expect(has(level('encrypt'))).toBe(true);
    expect(has(level('none'))).toBe(false);
    expect(has(level('may'), true)).toBe(false);
    expect(has(level('encrypt'), true)).toBe(false);
    expect(has(level('may', ['starttls']))).toBe(false);
    // After SIZE/VRFY/ETRN, before XCLIENT (smtpd.c ehlo_cmd).
    const all = makeConfig((x) => {
      x.mta.advanced = { discardEhloKeywords: [], disableVrfy: false };
    });
    expect(ehloKeywords(all, { xclientAllowed: true }).slice(2, 5)).toEqual(['VRFY', 'ETRN', 'STARTTLS']);
  });
});

describe('ESMTP parameters', () => {
  const dsnOn = makeConfig((x) => {
    x.mta.advanced = { discardEhloKeywords: [] };
  });
  const mail = (c: typeof config, p: string[]) => {
    const r = parseMailParams(c, p);
    return r.ok ? r.value : formatReply(r.reply);
  };
  const rcpt = (c: typeof config, p: string[]) => {
    const r = parseRcptParams(c, p);
    return r.ok ? r.value : formatReply(r.reply);
  };
  it.each([
    [['SIZE=100'], { size: 100 }],
    [['size=0', 'body=7bit'], { size: 0, body: '7BIT' }],
    [['SMTPUTF8'], { smtputf8: true }],
    [['SIZE=1x'], '501 5.5.4 Bad message size syntax'],
    [['SIZE=99999999999999999999'], '552 5.3.4 Message size exceeds file system imposed limit'],
    [['BODY=BINARYMIME'], '555 5.5.4 Unsupported option: BODY=BINARYMIME'],
    // smtpd_sasl_mail_opt(): AUTH= is accepted without SASL; a second non-empty one is refused.
    [['AUTH=<>'], {}],
    [['AUTH=a@b.example', 'AUTH=c@d.example'], '503 5.5.4 Error: multiple AUTH= options'],
    [['RET=FULL'], '501 5.7.1 DSN support is disabled'],
    [['ENVID=x'], '501 5.7.1 DSN support is disabled'],
  ])('MAIL %j (dsn discarded)', (p, expected) => expect(mail(config, p)).toEqual(expected));
  it.each([
    [['RET=FULL', 'ENVID=a+2Bb'], { ret: 'FULL', envid: 'a+b' }],
    [['RET=ALL'], '501 5.5.4 Bad RET parameter syntax'],
    [['RET=FULL', 'RET=HDRS'], '501 5.5.4 Bad RET parameter syntax'],
    [['ENVID=a+zz'], '501 5.5.4 Bad ENVID parameter syntax'],
  ])('MAIL %j (dsn on)', (p, expected) => expect(mail(dsnOn, p)).toEqual(expected));
  it.each([
    [['NOTIFY=SUCCESS,DELAY'], { notify: ['SUCCESS', 'DELAY'] }],
    [['NOTIFY=NEVER'], { notify: ['NEVER'] }],
    [['NOTIFY=NEVER,SUCCESS'], '501 5.5.4 Error: Bad NOTIFY parameter syntax'],
    [['NOTIFY=SOMETIMES'], '501 5.5.4 Error: Bad NOTIFY parameter syntax'],
    [['ORCPT=rfc822;a+40b'], { orcpt: 'rfc822;a@b' }],
    [['ORCPT=a@b'], '501 5.5.4 Error: Bad ORCPT parameter syntax'],
    [['X=1'], '555 5.5.4 Unsupported option: X=1'],
  ])('RCPT %j (dsn on)', (p, expected) => expect(rcpt(dsnOn, p)).toEqual(expected));
  it('RCPT DSN parameters with dsn discarded', () => {
    expect(rcpt(config, ['NOTIFY=NEVER'])).toBe('501 5.7.1 DSN support is disabled');
    expect(rcpt(config, ['ORCPT=rfc822;a@b'])).toBe('501 5.7.1 DSN support is disabled');
  });
  it('SIZE against the limit', () => {
    expect(sizeDecision(config, 20971520)).toBeNull();
    expect(line(sizeDecision(config, 20971521))).toBe('552 5.3.4 Message size exceeds fixed limit');
    expect(sizeDecision(config, undefined)).toBeNull();
    expect(
      sizeDecision(
        makeConfig((x) => {
          x.mta.messageSizeLimit = 0;
        }),
        1e12,
      ),
    ).toBeNull();
  });
  it('xtext', () => {
    expect(xtextDecode('a+2B+3Db')).toBe('a+=b');
    expect(xtextDecode('a+2')).toBeNull();
    expect(xtextDecode('a=b')).toBe('a=b'); // Postfix xtext_unquote() takes '=' as itself (ENVID=e=x is accepted)
  });
});
