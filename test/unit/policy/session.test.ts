import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../helpers/relay-fixture.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { ClientLimits, ErrorCounter } from '../../../src/policy/limits.js';
import { parseXclient, validHostname, validMailhostAddr } from '../../../src/policy/xclient.js';
import {
  messageIdOf,
  expandBanner,
  looksLikeHeader,
  mailDate,
  normaliseLineEnds,
  quoteLocal,
  receivedHeader,
  tooBig,
} from '../../../src/policy/message.js';
import { formatReply, REPLIES, reply } from '../../../src/policy/replies.js';

describe('ClientLimits', () => {
  it('counts concurrent connections and releases them', () => {
    const clock = new ManualClock();
    const l = new ClientLimits(clock);
    const c = makeConfig((x) => {
      x.mta.advanced = { connectionCountLimit: 2 };
    });
    expect(l.connect(c, 'a').ok).toBe(true);
    expect(l.connect(c, 'a').ok).toBe(true);
    expect(l.connect(c, 'a')).toEqual({ ok: false, reason: 'count', count: 3, rate: 3 });
    expect(l.connect(c, 'b').ok).toBe(true);
    l.disconnect('a');
    l.disconnect('a');
    expect(l.connections('a')).toBe(1);
    expect(l.connect(c, 'a').ok).toBe(true);
  });
  it('connection rate in a 60 s window; 0 means unlimited', async () => {
    const clock = new ManualClock();
    const l = new ClientLimits(clock);
    const c = makeConfig((x) => {
      x.mta.advanced = { connectionRateLimit: 1, connectionCountLimit: 0 };
    });
    expect(l.connect(c, 'a').ok).toBe(true);
    await clock.advance(59_999);
    expect(l.connect(c, 'a')).toMatchObject({ ok: false, reason: 'rate' });
    await clock.advance(1);
    expect(l.connect(c, 'a').ok).toBe(true);
    const unlimited = makeConfig((x) => {
      x.mta.advanced = { connectionCountLimit: 0 };
    });
    for (let i = 0; i < 100; i++) expect(l.connect(unlimited, 'z').ok).toBe(true);
  });
  it('message rate counts every MAIL', async () => {
    const clock = new ManualClock();
    const l = new ClientLimits(clock);
    const c = makeConfig((x) => {
      x.mta.advanced = { messageRateLimit: 2 };
    });
    expect([l.mail(c, 'a'), l.mail(c, 'a'), l.mail(c, 'a'), l.mail(c, 'b')]).toEqual([true, true, false, true]);
    await clock.advance(60_000);
    expect(l.mail(c, 'a')).toBe(true);
    expect(l.mail(makeConfig(), 'a')).toBe(true);
  });
});

describe('ErrorCounter', () => {
  it('counts 4xx/5xx, forgives on reset, trips at 20', () => {
    const e = new ErrorCounter();
    for (let i = 0; i < 19; i++) e.record(500);
    e.record(250);
    expect(e.exceeded()).toBe(false);
    e.record(451);
    expect(e.exceeded()).toBe(true);
    e.reset();
    expect(e.count).toBe(0);
  });
});

describe('XCLIENT parsing', () => {
  it.each([
    ['ADDR=203.0.113.7', { addr: '203.0.113.7' }],
    ['addr=IPV6:2001:DB8::1 name=Mail.Example port=4000', { addr: '2001:db8::1', name: 'Mail.Example', port: '4000' }],
    ['NAME=[UNAVAILABLE] ADDR=[UNAVAILABLE]', { name: 'unknown', addr: 'unknown' }],
    ['HELO=x.example PROTO=esmtp LOGIN=bob', { helo: 'x.example', proto: 'ESMTP', login: 'bob' }],
    ['LOGIN=[UNAVAILABLE]', {}],
    ['LOGIN=bob+40corp.example DESTADDR=10.0.0.1 DESTPORT=25', { login: 'bob@corp.example' }],
    ['ADDR=203.0.113.7 NAME=a+2Eexample', { addr: '203.0.113.7', name: 'a.example' }],
  ])('%s', (args, update) => {
    expect(parseXclient(args)).toEqual({ ok: true, update });
  });
  it.each([
    ['', '501 5.5.4 Syntax: XCLIENT attribute=value...'],
    ['ADDR', '501 5.5.4 Error: attribute=value expected'],
    ['ADDR=', '501 5.5.4 Error: attribute=value expected'],
    ['ADDR=2001:db8::1', '501 5.5.4 Bad ADDR syntax: 2001:db8::1'],
    ['ADDR=1.2.3', '501 5.5.4 Bad ADDR syntax: 1.2.3'],
    ['NAME=-bad-', '501 5.5.4 Bad NAME syntax: -bad-'],
    ['PORT=x', '501 5.5.4 Bad PORT syntax: x'],
    ['PROTO=LMTP', '501 5.5.4 Bad PROTO syntax: LMTP'],
    ['COLOUR=red', '501 5.5.4 Bad XCLIENT attribute name: COLOUR'],
    [`NAME=${'a'.repeat(256)}`, '501 5.5.4 Error: attribute value too long'],
  ])('%s → %s', (args, expected) => {
    const r = parseXclient(args);
    expect(r.ok ? 'ok' : formatReply(r.reply)).toBe(expected);
  });
  it('helpers', () => {
    expect(validHostname('mail.example')).toBe(true);
    expect(validHostname('192.0.2.1')).toBe(false);
    expect(validMailhostAddr('IPv6:::1')).toBe('::1');
    expect(validMailhostAddr('::1')).toBeNull();
  });
});

describe('message handling', () => {
  const n = (s: string) => normaliseLineEnds(Buffer.from(s, 'latin1')).toString('latin1');
  it.each([
    ['a\r\nb\r\n', 'a\r\nb\r\n'],
    ['a\nb\n', 'a\r\nb\r\n'],
    ['a\rb\r', 'a\r\nb\r\n'],
    ['a\r\r\nb', 'a\r\n\r\nb'],
    ['a\n.\nb\r\n', 'a\r\nb\r\n'],
    ['a\r\n.\nb\r\n', 'a\r\nb\r\n'],
    ['a\n.\r\nb\r\n', 'a\r\nb\r\n'],
    ['a\r.\rb\r\n', 'a\r\nb\r\n'],
    ['a\r\n.\r\r\nb\r\n', 'a\r\n\r\nb\r\n'],
    ['a\r\n\x00.\r\n', 'a\r\n\x00.\r\n'],
    ['a\r\n.x\r\n', 'a\r\n.x\r\n'],
    ['', ''],
    ['a\r\n.\r\nb', 'a\r\n.\r\nb'],
    ['\nx\r\n', '\r\nx\r\n'],
    ['x\r\ny\r', 'x\r\ny\r\n'],
  ])('normalise %j → %j', (input, expected) => expect(n(input)).toBe(expected));

  it('Message-ID for the log', () => {
    expect(messageIdOf(Buffer.from('Subject: x\r\nmessage-id:\r\n <a@b>\r\n\r\nMessage-ID: <no>\r\n'))).toBe('<a@b>');
    expect(messageIdOf(Buffer.from('Subject: x\r\n\r\nbody'))).toBe('');
  });

  it('size limit', () => {
    const c = makeConfig((x) => {
      x.mta.messageSizeLimit = 10;
    });
    expect(tooBig(c, 10)).toBe(false);
    expect(tooBig(c, 11)).toBe(true);
    expect(
      tooBig(
        makeConfig((x) => {
          x.mta.messageSizeLimit = 0;
        }),
        1e9,
      ),
    ).toBe(false);
  });

  it('Received: header as Postfix writes it', () => {
    const c = makeConfig();
    const base = {
      helo: 'mail.sender.example',
      clientName: 'unknown',
      clientAddress: '203.0.113.7',
      protocol: 'ESMTP',
      queueId: '4F2A01B3C9D',
      arrival: Date.UTC(2026, 10, 23, 9, 39, 6),
    };
    expect(receivedHeader(c, { ...base, recipients: ['bob@corp.example'] })).toBe(
      'Received: from mail.sender.example (unknown [203.0.113.7])\r\n\tby ksmg.corp.example (Postfix) with ESMTP id 4F2A01B3C9D\r\n\tfor <bob@corp.example>; Mon, 23 Nov 2026 09:39:06 +0000 (UTC)\r\n',
    );
    expect(receivedHeader(c, { ...base, helo: null, clientAddress: '2001:db8::5', recipients: ['a@x', 'b@x'] })).toBe(
      'Received: from unknown (unknown [IPv6:2001:db8::5])\r\n\tby ksmg.corp.example (Postfix) with ESMTP id 4F2A01B3C9D;\r\n\tMon, 23 Nov 2026 09:39:06 +0000 (UTC)\r\n',
    );
    expect(quoteLocal('a b@x')).toBe('"a b"@x');
    expect(mailDate(Date.UTC(2026, 0, 5, 1, 2, 3))).toBe('Mon,  5 Jan 2026 01:02:03 +0000 (UTC)'); // strftime %e, as mail_date()
  });

  it('banner expansion and header detection', () => {
    expect(
      expandBanner(
        makeConfig((x) => {
          x.mta.advanced = { greeting: '$myhostname ESMTP ${mail_name} for $mydomain' };
        }),
      ),
    ).toBe('ksmg.corp.example ESMTP Postfix for corp.example');
    expect(looksLikeHeader('Subject:')).toBe(true);
    expect(looksLikeHeader('MAIL')).toBe(false);
  });

  it('replies: enhanced class follows the code', () => {
    expect(formatReply(reply(550, '4.1.1', 'x'))).toBe('550 5.1.1 x');
    expect(formatReply(REPLIES.greeting('h ESMTP'))).toBe('220 h ESMTP');
  });
});
