// The one SMTP reply parser (src/policy/smtp-reply.ts) the lab client, the delivery client and the
// tests' raw socket share.
import { describe, expect, it } from 'vitest';
import { replyFromLines, SmtpReplyParser } from '../../../src/policy/smtp-reply.js';

describe('SmtpReplyParser', () => {
  it('a multi-line reply split across chunks, bare LF accepted', () => {
    const p = new SmtpReplyParser();
    expect(p.feed('250-gw.example\r\n250-SI')).toEqual([]);
    expect(p.pending).toBe(true);
    const [r] = p.feed('ZE 1000\n250 ENHANCEDSTATUSCODES\r\n');
    expect(r).toEqual({
      code: 250,
      enhanced: '',
      lines: ['gw.example', 'SIZE 1000', 'ENHANCEDSTATUSCODES'],
      text: '250 gw.example SIZE 1000 ENHANCEDSTATUSCODES',
      raw: '250-gw.example\n250-SIZE 1000\n250 ENHANCEDSTATUSCODES',
    });
    expect(p.pending).toBe(false);
  });

  it('several replies in one chunk (pipelining), enhanced codes, a bare code', () => {
    const p = new SmtpReplyParser();
    const rs = p.feed('250 2.1.0 Ok\r\n550 5.1.1 <a@b>: Recipient address rejected\r\n354\r\n');
    expect(rs.map((r) => [r.code, r.enhanced, r.text])).toEqual([
      [250, '2.1.0', '250 2.1.0 Ok'],
      [550, '5.1.1', '550 5.1.1 <a@b>: Recipient address rejected'],
      [354, '', '354'],
    ]);
  });

  it('a line without a code ends the reply with code 0 instead of stalling', () => {
    expect(new SmtpReplyParser().feed('HTTP/1.1 400 Bad Request\r\n')[0]).toMatchObject({ code: 0, raw: 'HTTP/1.1 400 Bad Request' });
  });

  it('replyFromLines keeps what was received', () => {
    expect(replyFromLines(['421 4.4.2 gw.example Error: timeout exceeded'])).toMatchObject({ code: 421, enhanced: '4.4.2' });
  });
});
