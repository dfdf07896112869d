// The message bytes as Postfix 3.7.11 handles them (policy/content.ts, policy/received.ts). The
// expected values were taken from a private Postfix 3.7.11 on loopback (see
// test/differential/delivery-probes.test.ts, which compares the two sides continuously).
import { describe, expect, it } from 'vitest';
import {
  addsMissingHeaders,
  canonicalRecipient,
  cleanupContent,
  declares8bit,
  queueFileSize,
  smtpWire,
} from '../../../src/policy/content.js';
import { compactTime, localReceivedHeader, mailDate, receivedHeader, withProtocol } from '../../../src/policy/received.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const clean = (raw: string, opts: Parameters<typeof cleanupContent>[1] = { unstuff: true }) =>
  cleanupContent(b(raw), opts).toString('latin1');
const T = Date.UTC(2026, 11, 1, 21, 25, 0);

describe('smtpd and cleanup line rules (normalize mode)', () => {
  it.each([
    ['CRLF lines are kept', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['every leading dot is removed: "..x", ". ", ".x"', 'S: x\r\n\r\n..x\r\n. \r\n.x\r\n...\r\n', 'S: x\r\n\r\n.x\r\n \r\nx\r\n..\r\n'],
    ['a bare LF ends a line', 'S: x\r\n\r\none\ntwo\r\n', 'S: x\r\n\r\none\r\ntwo\r\n'],
    ['a stray CR becomes a space', 'S: x\r\n\r\none\rtwo\r\n', 'S: x\r\n\r\none two\r\n'],
    ['CR CR LF: one CR belongs to the line end, the other is a space', 'S: x\r\n\r\none\r\r\ntwo\r\n', 'S: x\r\n\r\none \r\ntwo\r\n'],
    [
      'a "." line after a bare LF is dropped (smuggling)',
      'S: x\r\n\r\nl1\n.\nMAIL FROM:<e@x>\r\n',
      'S: x\r\n\r\nl1\r\nMAIL FROM:<e@x>\r\n',
    ],
    ['a "." line ending in a bare LF is dropped', 'S: x\r\n\r\nl1\r\n.\nrest\r\n', 'S: x\r\n\r\nl1\r\nrest\r\n'],
    ['CRLF . CR CRLF is a line of one space', 'S: x\r\n\r\nl1\r\n.\r\r\nrest\r\n', 'S: x\r\n\r\nl1\r\n \r\nrest\r\n'],
    ['NUL . is content', 'S: x\r\n\r\n\x00.\r\n', 'S: x\r\n\r\n\x00.\r\n'],
    ['content starting with a blank: an empty line first', ' x\r\nS: y\r\n', '\r\n x\r\nS: y\r\n'],
    [
      'an mbox From_ line becomes X-Mailbox-Line:',
      'From a@b Tue\r\nS: y\r\n\r\nz\r\n',
      'X-Mailbox-Line: From a@b Tue\r\nS: y\r\n\r\nz\r\n',
    ],
    ['headers ended by a body line get the blank line', 'S: x\r\nnot a header\r\n', 'S: x\r\n\r\nnot a header\r\n'],
    [
      'message_drop_headers, folded lines included',
      'Bcc: a\r\n b\r\nReturn-Path: <x>\r\nContent-Length: 1\r\nResent-Bcc: c\r\nS: y\r\n\r\nBcc: body\r\n',
      'S: y\r\n\r\nBcc: body\r\n',
    ],
    ['only the header block is looked at', 'S: y\r\n\r\nReturn-Path: <x>\r\n', 'S: y\r\n\r\nReturn-Path: <x>\r\n'],
    ['the empty message', '', ''],
  ])('%s', (_name, raw, out) => expect(clean(raw)).toBe(out));

  it('a first line of ".." is "." and starts the body, after our Received: and a blank line', () => {
    expect(clean('..\r\nS: x\r\n', { unstuff: true, received: 'Received: r\r\n' })).toBe('Received: r\r\n\r\n.\r\nS: x\r\n');
  });

  it('BDAT content is not unstuffed', () => {
    expect(clean('S: x\r\n\r\n..x\r\n', { unstuff: false })).toBe('S: x\r\n\r\n..x\r\n');
  });

  it('prepends the Received: header, as UTF-8 bytes', () => {
    const received = 'Received: from h (unknown [192.0.2.1])\r\n\tby m (Postfix) with UTF8SMTP id 1\r\n\tfor <jürgen@x>; d\r\n';
    const out = cleanupContent(b('S: x\r\n\r\nb\r\n'), { unstuff: true, received });
    expect(out.toString('utf8')).toBe(`${received}S: x\r\n\r\nb\r\n`);
  });
});

describe('missing headers (local_header_rewrite_clients)', () => {
  const ctx = { queueId: '9259D20C801', hostname: 'ksmg.corp.example', arrival: T, sender: 'alice@sender.example' };
  it('adds Message-Id, Date and From at the end of the header block, in that order', () => {
    expect(clean('Subject: t\r\n\r\nhello\r\n', { unstuff: true, addMissing: ctx })).toBe(
      'Subject: t\r\nMessage-Id: <20261201212500.9259D20C801@ksmg.corp.example>\r\nDate: Tue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\n' +
        'From: alice@sender.example\r\n\r\nhello\r\n',
    );
  });
  it('adds nothing that is there; MAILER-DAEMON for the null sender; Resent- when a Resent- header is present', () => {
    expect(clean('From: a\r\nDate: d\r\nMessage-ID: <m>\r\n\r\nx\r\n', { unstuff: true, addMissing: ctx })).toBe(
      'From: a\r\nDate: d\r\nMessage-ID: <m>\r\n\r\nx\r\n',
    );
    expect(clean('S: t\r\n\r\nx\r\n', { unstuff: true, addMissing: { ...ctx, sender: '' } })).toContain('From: MAILER-DAEMON\r\n\r\nx');
    expect(clean('Resent-To: r\r\n\r\nx\r\n', { unstuff: true, addMissing: ctx })).toMatch(
      /^Resent-To: r\r\nResent-Message-Id: <[^>]+>\r\nResent-Date: [^\r]+\r\nResent-From: alice@sender\.example\r\n\r\nx\r\n$/,
    );
  });
  it("only for clients on the gateway's own (loopback) addresses", () => {
    expect(addsMissingHeaders('127.0.0.1')).toBe(true);
    expect(addsMissingHeaders('::1')).toBe(true);
    expect(addsMissingHeaders('203.0.113.7')).toBe(false);
    expect(addsMissingHeaders('10.0.0.25')).toBe(false);
  });
});

describe('SIZE= as smtp(8) announces it (queue file records)', () => {
  it('short lines count as with CRLF', () => {
    // Postfix said SIZE=344 for this message (11 lines, all shorter than 128 bytes).
    const msg =
      'Received: from mail.sender.example (localhost [127.0.0.1])\r\n\tby ksmg.corp.example (Postfix) with ESMTP id 9259D20C801\r\n' +
      '\tfor <bob@corp.example>; Tue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\nSubject: t\r\nMessage-Id: <20261201212500.9259D20C801@ksmg.corp.example>\r\n' +
      'Date: Tue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\nFrom: alice@sender.example\r\n\r\nhello\r\n.x\r\n \r\n';
    expect(queueFileSize(b(msg))).toBe(344);
  });
  it('a line of 128 bytes or more needs a second length byte; body lines split every 2048 bytes', () => {
    const head = 'S: x\r\n\r\n'; // records of 6 and 2 bytes
    expect(queueFileSize(b(`${head}${'a'.repeat(127)}\r\n`))).toBe(6 + 2 + 129);
    expect(queueFileSize(b(`${head}${'a'.repeat(128)}\r\n`))).toBe(6 + 2 + 131);
    // exactly 2048: a full CONT record and an empty one, as smtpd reads it
    expect(queueFileSize(b(`${head}${'a'.repeat(2048)}\r\n`))).toBe(6 + 2 + 2051 + 2);
    expect(queueFileSize(b(`${head}${'a'.repeat(5000)}\r\n`))).toBe(6 + 2 + 2051 * 2 + 907);
  });
});

describe('the DATA bytes smtp(8) sends', () => {
  const lens = (s: Buffer) =>
    s
      .toString('latin1')
      .split('\r\n')
      .slice(0, -1)
      .map((l) => l.length);
  it('stuffs leading dots', () => {
    expect(smtpWire(b('S: x\r\n\r\n.x\r\n.\r\n')).toString('latin1')).toBe('S: x\r\n\r\n..x\r\n..\r\n');
  });
  it('breaks lines longer than 998 with CRLF SPACE (Postfix: 998, 998, 54 for 2048 bytes)', () => {
    expect(lens(smtpWire(b(`${'a'.repeat(998)}\r\n`)))).toEqual([998]);
    expect(lens(smtpWire(b(`${'a'.repeat(999)}\r\n`)))).toEqual([998, 2]);
    expect(lens(smtpWire(b(`${'a'.repeat(2048)}\r\n`)))).toEqual([998, 998, 54]);
    expect(lens(smtpWire(b(`${'a'.repeat(5000)}\r\n`)))).toEqual([998, 998, 998, 998, 998, 15]);
    expect(smtpWire(b(`${'a'.repeat(999)}\r\n`)).toString('latin1')).toBe(`${'a'.repeat(998)}\r\n a\r\n`);
  });
  it('a long line of dots: only its start is stuffed', () => {
    const out = smtpWire(b(`${'.'.repeat(1000)}\r\n`)).toString('latin1');
    expect(out).toBe(`.${'.'.repeat(998)}\r\n ..\r\n`);
  });
});

describe('trace headers', () => {
  it('mail_date pads the day like strftime %e', () => {
    expect(mailDate(T)).toBe('Tue,  1 Dec 2026 21:25:00 +0000 (UTC)');
    expect(mailDate(Date.UTC(2026, 10, 23, 9, 8, 7))).toBe('Mon, 23 Nov 2026 09:08:07 +0000 (UTC)');
    expect(compactTime(T)).toBe('20261201212500');
  });
  it('names the protocol as smtpd does', () => {
    expect(withProtocol({ protocol: 'ESMTP' })).toBe('ESMTP');
    expect(withProtocol({ protocol: 'SMTP' })).toBe('SMTP');
    expect(withProtocol({ protocol: 'ESMTP', smtputf8: true })).toBe('UTF8SMTP');
    expect(withProtocol({ protocol: 'ESMTP', tls: true })).toBe('ESMTPS');
    expect(withProtocol({ protocol: 'ESMTP', authenticated: true })).toBe('ESMTPA');
    expect(withProtocol({ protocol: 'ESMTP', tls: true, authenticated: true, smtputf8: true })).toBe('UTF8SMTPSA');
    expect(withProtocol({ protocol: 'SMTP', tls: true, authenticated: true })).toBe('SMTP');
  });
  it('Received: with the for clause only for one recipient', () => {
    const base = {
      hostname: 'ksmg.corp.example',
      helo: 'mail.sender.example',
      clientName: 'unknown',
      clientAddress: '203.0.113.7',
      protocol: 'ESMTP',
      queueId: '42E7C20CE84',
      arrival: T,
    };
    expect(receivedHeader({ ...base, recipients: ['john doe@corp.example'] })).toBe(
      'Received: from mail.sender.example (unknown [203.0.113.7])\r\n\tby ksmg.corp.example (Postfix) with ESMTP id 42E7C20CE84\r\n' +
        '\tfor <"john doe"@corp.example>; Tue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\n',
    );
    expect(receivedHeader({ ...base, helo: null, recipients: ['a@x', 'b@x'] })).toBe(
      'Received: from unknown (unknown [203.0.113.7])\r\n\tby ksmg.corp.example (Postfix) with ESMTP id 42E7C20CE84;\r\n\tTue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\n',
    );
    expect(localReceivedHeader('ksmg.corp.example', 'A26DB20C066', T)).toBe(
      'Received: by ksmg.corp.example (Postfix)\r\n\tid A26DB20C066; Tue,  1 Dec 2026 21:25:00 +0000 (UTC)\r\n',
    );
  });
});

describe('envelope details', () => {
  it('a trailing dot is dropped from the recipient domain', () => {
    expect(canonicalRecipient('bob@corp.example.')).toBe('bob@corp.example');
    expect(canonicalRecipient('bob@corp.example')).toBe('bob@corp.example');
    expect(canonicalRecipient('bob@corp.example..')).toBe('bob@corp.example..');
  });
  it('8-bit content is declared by a Content-Transfer-Encoding of 8bit or binary', () => {
    expect(declares8bit(b('MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\n\r\nx'))).toBe(true);
    expect(declares8bit(b('Content-Transfer-Encoding: BINARY\r\n\r\nx'))).toBe(true);
    expect(declares8bit(b('Content-Transfer-Encoding: quoted-printable\r\n\r\n\xe9'))).toBe(false);
  });
});
