// bounce(8)'s report, smtp(8)'s envelope parameters and verify(8)'s probe size, checked against
// what a private Postfix 3.7.11 produced (test/fixtures/postfix/bounce-5xx.eml is a bounce it
// sent, unstuffed, CRLF).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src/config/schema.js';
import { queueFileSize } from '../../../../src/policy/content.js';
import { compareRecipients } from '../../../../src/relay/delivery/deliver.js';
import { orcptParam, xtextQuote } from '../../../../src/relay/delivery/smtp-client.js';
import { buildBounce, lineWrap } from '../../../../src/relay/queue/bounce.js';
import { probeSender, probeSize } from '../../../../src/relay/verify.js';

const FIXTURE = readFileSync(new URL('../../../fixtures/postfix/bounce-5xx.eml', import.meta.url));
const NOW = 1796160494 * 1000; // Tue,  1 Dec 2026 21:28:14 UTC
const BOUNDARY_END = '\r\n--9561F20C042.1796160494/ksmg.corp.example--\r\n';

/** The original message inside the fixture (after bounce(8)'s Return-Path: line). */
function originalOf(report: Buffer): Buffer {
  const text = report.toString('latin1');
  const start = text.indexOf('Return-Path: <alice@sender.example>\r\n') + 'Return-Path: <alice@sender.example>\r\n'.length;
  return Buffer.from(text.slice(start, text.length - BOUNDARY_END.length), 'latin1');
}

const input = () => ({
  hostname: 'ksmg.corp.example',
  queueId: '9561F20C042',
  bounceId: 'A26DB20C066',
  sender: 'alice@sender.example',
  arrivalTime: NOW,
  now: NOW,
  original: originalOf(FIXTURE),
  recipients: [
    {
      address: 'reject-me@corp.example',
      status: '5.1.1',
      remoteMta: '127.0.0.1',
      diagnostic: '550 5.1.1 <reject-me@corp.example>: Recipient address rejected: User unknown',
      reason:
        'host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <reject-me@corp.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
    },
  ],
});

describe('bounce(8) report', () => {
  it('is byte for byte what Postfix 3.7.11 sent, and has its SIZE', () => {
    const ours = buildBounce(input());
    expect(ours.toString('latin1')).toBe(FIXTURE.toString('latin1'));
    expect(queueFileSize(ours)).toBe(2472); // Postfix: MAIL FROM:<> SIZE=2472 BODY=8BITMIME
  });

  it('RET=HDRS returns the headers only; ENVID is reported; a large original is cut to its headers', () => {
    const hdrs = buildBounce({ ...input(), ret: 'HDRS', envid: 'env-42' }).toString('latin1');
    expect(hdrs).toContain(
      '\r\nReporting-MTA: dns; ksmg.corp.example\r\nOriginal-Envelope-Id: env-42\r\nX-Postfix-Queue-ID: 9561F20C042\r\n',
    );
    expect(hdrs).toContain(
      'Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n',
    );
    expect(hdrs).not.toContain('body line');
    expect(hdrs).toMatch(/Date: Tue, 1 Dec 2026 21:00:00 \+0000\r\n\r\n--9561F20C042\.1796160494\/ksmg\.corp\.example--\r\n$/);
    const big = { ...input(), original: Buffer.concat([originalOf(FIXTURE), Buffer.from(`${'x'.repeat(990)}\r\n`.repeat(60))]) };
    expect(buildBounce(big).toString('latin1')).toContain('Content-Description: Undelivered Message Headers');
  });

  it("an ORCPT is the Original-Recipient; KSMG's NDR has the same structure", () => {
    const r = { ...input().recipients[0]!, orcpt: 'rfc822;Reject-Me@corp.example' };
    expect(buildBounce({ ...input(), recipients: [r] }).toString('latin1')).toContain(
      'Original-Recipient: rfc822;Reject-Me@corp.example\r\n',
    );
    const ksmg = buildBounce({ ...input(), kind: 'ksmg' }).toString('latin1');
    expect(ksmg).toContain('Subject: Message rejected by Kaspersky Secure Mail Gateway\r\n');
    expect(ksmg).toContain('Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; ksmg.corp.example\r\n');
    expect(ksmg).toContain('Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n');
  });

  it('the success notice (NOTIFY=SUCCESS, next hop without DSN): Action relayed, headers only even with RET=FULL', () => {
    const relayed = {
      address: 'bob@corp.example',
      orcpt: 'rfc822;Bob@corp.example',
      action: 'relayed' as const,
      status: '2.0.0',
      remoteMta: '127.0.0.1',
      diagnostic: '250 2.0.0 Ok: queued as SINKQUEUEID',
      reason: 'delivery via 127.0.0.1[127.0.0.1]:25: 250 2.0.0 Ok: queued as SINKQUEUEID',
    };
    const notice = buildBounce({ ...input(), kind: 'success', ret: 'FULL', recipients: [relayed] }).toString('latin1');
    expect(notice).toContain('\r\nSubject: Successful Mail Delivery Report\r\n');
    expect(notice).toContain(
      '\r\nYour message was successfully delivered to the destination(s)\r\nlisted below. If the message was delivered to mailbox you will\r\n' +
        'receive no further notifications. Otherwise you may still receive\r\nnotifications of mail delivery errors from other systems.\r\n\r\n' +
        '                   The mail system\r\n\r\n<bob@corp.example>: delivery via 127.0.0.1[127.0.0.1]:25: 250 2.0.0 Ok: queued\r\n    as SINKQUEUEID\r\n',
    );
    expect(notice).toContain(
      '\r\nFinal-Recipient: rfc822; bob@corp.example\r\nOriginal-Recipient: rfc822;Bob@corp.example\r\nAction: relayed\r\nStatus: 2.0.0\r\n' +
        'Remote-MTA: dns; 127.0.0.1\r\nDiagnostic-Code: smtp; 250 2.0.0 Ok: queued as SINKQUEUEID\r\n',
    );
    expect(notice).toContain('Content-Description: Message Headers\r\nContent-Type: text/rfc822-headers\r\n');
    expect(notice).not.toContain('body line');
  });

  it('line_wrap(79, 4) folds like Postfix', () => {
    expect(lineWrap('Diagnostic-Code: smtp; 550 5.1.1 <reject-me@corp.example>: Recipient address rejected: User unknown')).toEqual([
      'Diagnostic-Code: smtp; 550 5.1.1 <reject-me@corp.example>: Recipient address',
      '    rejected: User unknown',
    ]);
    expect(lineWrap('short')).toEqual(['short']);
    expect(lineWrap(`x ${'y'.repeat(100)} z`)).toEqual(['x', `    ${'y'.repeat(100)}`, '    z']);
  });
});

describe('smtp(8) envelope parameters', () => {
  it("ORCPT: the client's (xtext), else rfc822;<address>", () => {
    expect(orcptParam({ address: 'bob@corp.example' }, false)).toBe('rfc822;bob@corp.example');
    expect(orcptParam({ address: 'john doe@corp.example' }, false)).toBe('rfc822;"john+20doe"@corp.example');
    expect(orcptParam({ address: 'b@x', orcpt: 'rfc822;Bob+1=@x' }, false)).toBe('rfc822;Bob+2B1+3D@x');
    expect(orcptParam({ address: 'jürgen@x' }, true)).toBe('rfc822;j+C3+BCrgen@x');
    expect(xtextQuote('e+1=x', '+=')).toBe('e+2B1+3Dx');
  });
  it('recipients in qmgr order: domain, then address bytes', () => {
    const sorted = ['p9-bob@corp.example', 'archive@corp.example', 'a@B.example', 'z@a.example']
      .map((address) => ({ address }))
      .sort(compareRecipients);
    expect(sorted.map((r) => r.address)).toEqual(['z@a.example', 'a@B.example', 'archive@corp.example', 'p9-bob@corp.example']);
  });
});

describe('verify(8) probe', () => {
  it('comes from double-bounce@$myhostname with the SIZE Postfix announces (242 for ksmg.corp.example)', () => {
    const config = configSchema.parse({ version: 1, integration: 'behind-edge-no-verify', mta: { hostname: 'ksmg.corp.example' } });
    expect(probeSender(config)).toBe('double-bounce@ksmg.corp.example');
    expect(probeSize(config, NOW)).toBe(242);
  });
});
