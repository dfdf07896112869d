// Delivery probes: one SMTP session each, sent to the relay and to a real Postfix; what reaches
// the loopback next hops (envelope and DATA bytes, bounces and verification probes included) is
// compared. `{n}` in an address becomes the probe's tag "p<N>-", which is how the sink's
// transactions are told apart: every address of a probe carries it, and so does every bounce
// (its recipient is the probe's sender).
import type { ClientKind } from './harness.js';

export interface DeliveryProbe {
  name: string;
  /** Who the client is (XCLIENT ADDR=); 'peer' = no XCLIENT, the loopback address itself. */
  as?: ClientKind;
  /** More XCLIENT attributes, e.g. "NAME=mail.sender.example". */
  xclient?: string;
  /** The greeting command; null = none. Default "EHLO client.example". */
  hello?: string | null;
  /** MAIL FROM argument with parameters; default "<{n}alice@sender.example>". */
  from?: string;
  /** RCPT TO arguments with parameters. */
  to: string[];
  /** The message as the client sends it, without the final ".\r\n" (sent as latin1). */
  data?: string;
  /** Variants it runs in (default: 'defaults'). */
  variants?: string[];
  /** STARTTLS after the greeting command, then that command again inside TLS. */
  starttls?: boolean;
  /** Also compare the delivery log lines' `to=<…>, orig_to=<…>` (status=sent) of both sides. */
  compareLog?: boolean;
}

const BODY = (body: string, headers = 'Subject: body\r\n') => `${headers}\r\n${body}`;
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const BOB = '<{n}bob@corp.example>';

// MIME messages for the 8BITMIME downgrade probes.
const MIME_FROM = '<{n}alice@sender.example> BODY=8BITMIME';
const mime = (cte: string, body: string, type = 'text/plain; charset=utf-8') =>
  `MIME-Version: 1.0\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: ${cte}\r\nSubject: mime\r\n\r\n${body}`;
const MIME_8BIT = mime('8bit', utf8('Grüße aus München = 100 €\r\nzweite Zeile\r\n'));
const MULTIPART = utf8(
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="=_outer"',
    'Content-Transfer-Encoding: 8bit',
    'Subject: parts',
    '',
    'Prolog: Grüße',
    '--=_outer',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Erster Teil: Äpfel',
    '--=_outer',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    'R3LDvMOfZQ==',
    '--=_outer',
    'Content-Type: multipart/alternative;',
    '\tboundary=inner',
    '',
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    '<p>Öl</p>',
    '--inner--',
    '--=_outer',
    '',
    'a part without headers: ß',
    '--=_outer--',
    'Epilog: ß',
    '',
  ].join('\r\n'),
);
const ATTACHED = utf8(
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=b1',
    'Subject: attached',
    '',
    '--b1',
    'Content-Type: message/rfc822',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Subject: inner',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Innen: Übel',
    '--b1--',
    '',
  ].join('\r\n'),
);
const DIGEST = utf8(
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/digest; boundary=d',
    'Subject: digest',
    '',
    '--d',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Subject: first',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Körper',
    '--d--',
    '',
  ].join('\r\n'),
);

export const DELIVERY_PROBES: DeliveryProbe[] = [
  // ── clients and the Received: header ──────────────────────────────────────────────────────
  { name: 'plain message, EHLO', to: [BOB] },
  { name: 'HELO client (with SMTP)', hello: 'HELO client.example', to: [BOB] },
  { name: 'no HELO at all', hello: null, to: [BOB] },
  { name: 'XCLIENT NAME', xclient: 'NAME=mail.sender.example', to: [BOB] },
  { name: 'XCLIENT HELO and PROTO, no EHLO after', xclient: 'HELO=helo.sender.example PROTO=ESMTP', hello: null, to: [BOB] },
  { name: 'XCLIENT NAME unavailable', xclient: 'NAME=[UNAVAILABLE]', to: [BOB] },
  { name: 'IPv6 client', as: 'untrusted6', to: [BOB] },
  { name: 'trusted client sends out via the edge', as: 'trusted', to: ['<{n}dave@ext.example>'] },
  { name: 'two recipients, one next hop (no for clause)', to: [BOB, '<{n}alice@corp.example>'] },
  { name: 'five recipients', to: [1, 2, 3, 4, 5].map((i) => `<{n}user${i}@corp.example>`) },
  { name: 'two next hops (route and edge)', as: 'trusted', to: [BOB, '<{n}dave@ext.example>'] },
  { name: 'null sender', from: '<>', to: [BOB] },
  { name: 'quoted local part', to: ['<"{n}john doe"@corp.example>'] },
  { name: 'recipient with a trailing dot', to: ['<{n}bob@corp.example.>'], compareLog: true },
  { name: 'trailing dot and a plain recipient', to: ['<{n}bob@corp.example.>', '<{n}alice@corp.example>'], compareLog: true },
  // XCLIENT LOGIN= records a SASL login (smtpd_sasl_auth_extern): RFC 3848 "A", for ESMTP only.
  { name: 'XCLIENT LOGIN, EHLO (with ESMTPA)', xclient: 'LOGIN=alice', to: [BOB] },
  { name: 'XCLIENT LOGIN, HELO (with SMTP)', xclient: 'LOGIN=alice', hello: 'HELO client.example', to: [BOB] },
  { name: 'XCLIENT LOGIN, SMTPUTF8 (with UTF8SMTPA)', xclient: 'LOGIN=alice', from: '<{n}alice@sender.example> SMTPUTF8', to: [BOB] },
  { name: 'XCLIENT LOGIN=[UNAVAILABLE] (no login)', xclient: 'LOGIN=[UNAVAILABLE]', to: [BOB] },
  // ── TLS (the Received: header's "with ESMTPS"; smtpd_tls_received_header = no: no cipher comment)
  { name: 'STARTTLS, then EHLO again (with ESMTPS)', starttls: true, to: [BOB] },
  { name: 'STARTTLS and SMTPUTF8 (with UTF8SMTPS)', starttls: true, from: '<{n}alice@sender.example> SMTPUTF8', to: [BOB] },
  { name: 'HELO, STARTTLS, HELO (with SMTP: RFC 3848 is ESMTP only)', hello: 'HELO client.example', starttls: true, to: [BOB] },
  // ── 8-bit and SMTPUTF8 ────────────────────────────────────────────────────────────────────
  { name: '8-bit body, undeclared', to: [BOB], data: BODY(utf8('Grüße\r\n')) },
  { name: '8-bit body, BODY=8BITMIME', from: '<{n}alice@sender.example> BODY=8BITMIME', to: [BOB], data: BODY(utf8('Grüße\r\n')) },
  { name: 'BODY=7BIT', from: '<{n}alice@sender.example> BODY=7BIT', to: [BOB] },
  {
    name: 'Content-Transfer-Encoding 8bit, undeclared',
    to: [BOB],
    data: BODY(utf8('Grüße\r\n'), 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n'),
  },
  { name: 'SMTPUTF8, ASCII addresses', from: '<{n}alice@sender.example> SMTPUTF8', to: [BOB] },
  { name: 'SMTPUTF8 sender', from: utf8('<{n}jörg@sender.example> SMTPUTF8'), to: [BOB] },
  { name: 'SMTPUTF8 recipient local part', from: '<{n}alice@sender.example> SMTPUTF8', to: [utf8('<{n}jürgen@corp.example>')] },
  // ── body bytes ────────────────────────────────────────────────────────────────────────────
  { name: 'dot-stuffed lines', to: [BOB], data: BODY('..x\r\n..\r\n...\r\nend\r\n') },
  { name: 'unstuffed dot lines ". " and ".x"', to: [BOB], data: BODY('. \r\n.x\r\nend\r\n') },
  { name: 'message starting with ".."', to: [BOB], data: '..\r\nSubject: dots\r\n\r\nbody\r\n' },
  { name: 'bare LF in the body', to: [BOB], data: BODY('one\ntwo\r\n') },
  { name: 'bare CR in the body', to: [BOB], data: BODY('one\rtwo\r\n') },
  { name: 'CR CR LF line end', to: [BOB], data: BODY('one\r\r\ntwo\r\n') },
  {
    name: 'smuggling LF . LF stays one message',
    to: [BOB],
    data: BODY('line1\n.\nMAIL FROM:<{n}evil@sender.example>\r\nRCPT TO:<{n}victim@corp.example>\r\nDATA\r\nSubject: s\r\n\r\nevil\r\n'),
  },
  { name: 'smuggling CRLF . CR CRLF', to: [BOB], data: BODY('line1\r\n.\r\r\nMAIL FROM:<{n}evil@sender.example>\r\n') },
  {
    name: 'long lines (998, 999, 2048, 5000)',
    to: [BOB],
    data: BODY(['a'.repeat(998), 'b'.repeat(999), 'c'.repeat(2048), 'd'.repeat(5000), '.'.repeat(1200), 'end', ''].join('\r\n')),
  },
  { name: 'a long header line', to: [BOB], data: `Subject: ${'s'.repeat(1500)}\r\nX-Long: ${'x '.repeat(1100)}\r\n\r\nbody\r\n` },
  {
    name: 'lines of 127, 128 and 16384 bytes (SIZE)',
    to: [BOB],
    data: BODY(['e'.repeat(127), 'f'.repeat(128), 'g'.repeat(16384), ''].join('\r\n')),
  },
  // ── headers ───────────────────────────────────────────────────────────────────────────────
  { name: 'no headers at all, remote client', to: [BOB], data: 'just a body line\r\n' },
  { name: 'only a Subject, remote client', to: [BOB], data: 'Subject: lonely\r\n\r\nbody\r\n' },
  { name: 'only a Subject, local client (missing headers added)', as: 'peer', to: [BOB], data: 'Subject: lonely\r\n\r\nbody\r\n' },
  { name: 'local client, null sender (From: MAILER-DAEMON)', as: 'peer', from: '<>', to: [BOB], data: 'Subject: n\r\n\r\nbody\r\n' },
  { name: 'local client, Resent- headers', as: 'peer', to: [BOB], data: 'Resent-To: x@corp.example\r\nSubject: r\r\n\r\nbody\r\n' },
  { name: 'local client, complete headers', as: 'peer', to: [BOB] },
  {
    name: 'Bcc, Return-Path and Content-Length are dropped',
    to: [BOB],
    data: 'Bcc: hidden@corp.example\r\nReturn-Path: <x@y>\r\nContent-Length: 5\r\nResent-Bcc: z@corp.example\r\nSubject: d\r\n\r\nbody\r\n',
  },
  { name: 'first line starts with a space', to: [BOB], data: ' indented\r\nSubject: x\r\n\r\nbody\r\n' },
  { name: 'mbox From_ line first', to: [BOB], data: 'From alice@sender.example Tue Dec  1 10:00:00 2026\r\nSubject: x\r\n\r\nbody\r\n' },
  { name: 'headers only, no body', to: [BOB], data: 'Subject: x\r\nFrom: a@sender.example\r\n' },
  { name: 'empty message', to: [BOB], data: '' },
  { name: 'folded header', to: [BOB], data: 'Subject: one\r\n two\r\n\tthree\r\nBcc: a\r\n  b\r\n\r\nbody\r\n' },
  // ── bounces, delays ───────────────────────────────────────────────────────────────────────
  { name: 'bounce: 5xx at the next hop', to: ['<{n}reject-me@corp.example>'] },
  { name: 'bounce with an 8-bit original', to: ['<{n}reject-me@corp.example>'], data: BODY(utf8('Grüße\r\n')) },
  { name: 'mixed delivered and bounced', to: [BOB, '<{n}reject-x@corp.example>'] },
  { name: 'two bounced recipients, one report', to: ['<{n}reject-a@corp.example>', '<{n}reject-b@corp.example>'] },
  { name: 'null sender bounces: no report', from: '<>', to: ['<{n}reject-me@corp.example>'] },
  { name: 'deferred (4xx): no report yet', to: ['<{n}defer-me@corp.example>'] },
  {
    name: 'bounce of a large message returns the headers only',
    to: ['<{n}reject-me@corp.example>'],
    data: BODY(`${'z'.repeat(900)}\r\n`.repeat(60)),
  },
  // ── queue lifetime (a variant with seconds instead of days) ───────────────────────────────
  { name: 'deferred until the queue lifetime ends, then bounced', variants: ['expire'], to: ['<{n}defer-me@corp.example>'] },
  { name: 'expired and delivered recipients of one message', variants: ['expire'], to: [BOB, '<{n}defer-x@corp.example>'] },
  // ── DSN (a variant that offers DSN to clients) ────────────────────────────────────────────
  {
    name: 'DSN: ORCPT (xtext) and NOTIFY order',
    variants: ['dsn'],
    to: ['<{n}bob@corp.example> NOTIFY=DELAY,SUCCESS ORCPT=rfc822;{n}Bob+2B1@corp.example'],
  },
  { name: 'DSN: ENVID and RET passed on', variants: ['dsn'], from: '<{n}alice@sender.example> RET=HDRS ENVID=e+2B1=x+3D', to: [BOB] },
  {
    name: 'DSN: RET=HDRS bounce with ENVID',
    variants: ['dsn'],
    from: '<{n}alice@sender.example> RET=HDRS ENVID=env-42',
    to: ['<{n}reject-me@corp.example> ORCPT=rfc822;{n}Reject-Me@corp.example'],
  },
  { name: 'DSN: RET=FULL bounce', variants: ['dsn'], from: '<{n}alice@sender.example> RET=FULL', to: ['<{n}reject-me@corp.example>'] },
  { name: 'DSN: NOTIFY=NEVER, no report', variants: ['dsn'], to: ['<{n}reject-me@corp.example> NOTIFY=NEVER'] },
  { name: 'DSN: NOTIFY=SUCCESS passed on, no notice', variants: ['dsn'], to: ['<{n}bob@corp.example> NOTIFY=SUCCESS'] },
  {
    name: 'DSN: NOTIFY=FAILURE, mixed',
    variants: ['dsn'],
    to: ['<{n}bob@corp.example> NOTIFY=FAILURE', '<{n}reject-x@corp.example> NOTIFY=FAILURE'],
  },
  // ── a next hop without ESMTP extensions ───────────────────────────────────────────────────
  {
    name: 'plain next hop: no SIZE, no DSN parameters',
    variants: ['plain-next-hop'],
    from: '<{n}alice@sender.example> RET=HDRS ENVID=e1',
    to: ['<{n}bob@corp.example> NOTIFY=FAILURE,DELAY ORCPT=rfc822;{n}Bob@corp.example'],
  },
  { name: 'plain next hop: an undeclared 8-bit body as it is', variants: ['plain-next-hop'], to: [BOB], data: BODY(utf8('Grüße\r\n')) },
  {
    name: 'plain next hop: a long line still broken, dots still stuffed',
    variants: ['plain-next-hop'],
    to: [BOB],
    data: BODY(`${'q'.repeat(1500)}\r\n.hidden\r\n`),
  },
  // NOTIFY=SUCCESS through a next hop without DSN: smtp(8) cannot pass the request on, so the
  // gateway reports "Action: relayed" itself (bounce(8)'s success notice).
  {
    name: 'plain next hop: NOTIFY=SUCCESS, a "relayed" notice',
    variants: ['plain-next-hop'],
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS'],
  },
  {
    name: 'plain next hop: NOTIFY=SUCCESS with ENVID, ORCPT and RET=FULL',
    variants: ['plain-next-hop'],
    from: '<{n}alice@sender.example> RET=FULL ENVID=env-7',
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;{n}Bob@corp.example'],
  },
  {
    name: 'plain next hop: two NOTIFY=SUCCESS recipients, one notice',
    variants: ['plain-next-hop'],
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS', '<{n}alice@corp.example> NOTIFY=SUCCESS,DELAY'],
  },
  {
    name: 'plain next hop: relayed and bounced, two notices',
    variants: ['plain-next-hop'],
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS', '<{n}reject-x@corp.example> NOTIFY=SUCCESS,FAILURE'],
  },
  {
    name: 'plain next hop: NOTIFY=SUCCESS for an 8-bit message',
    variants: ['plain-next-hop'],
    from: '<{n}alice@sender.example> BODY=8BITMIME',
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS'],
    data: BODY(utf8('Grüße\r\n')),
  },
  {
    name: 'plain next hop: NOTIFY=SUCCESS, null sender: no notice',
    variants: ['plain-next-hop'],
    from: '<>',
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS'],
  },
  { name: 'plain next hop: NOTIFY=FAILURE only: no notice', variants: ['plain-next-hop'], to: ['<{n}bob@corp.example> NOTIFY=FAILURE'] },
  // ── a next hop without 8BITMIME: smtp(8)'s MIME downgrade (mime_state.c), no SIZE= then ──────
  {
    name: 'no 8BITMIME: an 8bit text part becomes quoted-printable',
    variants: ['no-8bitmime'],
    from: MIME_FROM,
    to: [BOB],
    data: MIME_8BIT,
  },
  {
    name: 'no 8BITMIME: the same, undeclared at MAIL FROM',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: MIME_8BIT,
  },
  {
    name: 'no 8BITMIME: BODY=8BITMIME without MIME headers goes as it is',
    variants: ['no-8bitmime'],
    from: MIME_FROM,
    to: [BOB],
    data: BODY(utf8('Grüße\r\n')),
  },
  { name: 'no 8BITMIME: BODY=7BIT keeps SIZE', variants: ['no-8bitmime'], from: '<{n}alice@sender.example> BODY=7BIT', to: [BOB] },
  { name: 'no 8BITMIME: an undeclared 7-bit message (no SIZE)', variants: ['no-8bitmime'], to: [BOB] },
  {
    name: 'no 8BITMIME: Content-Transfer-Encoding binary',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: mime('binary', utf8('Bin\xe4r = ja\r\n')),
  },
  {
    name: 'cleanup: "Name :" headers in the message and in a MIME part',
    to: [BOB],
    data: [
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      'Subject : spaced',
      '',
      '--b1',
      'Content-Type : text/plain',
      'X-Part :\t value',
      '',
      'part',
      '--b1--',
      '',
    ].join('\r\n'),
  },
  {
    name: 'cleanup: header_size_limit cuts a MIME part header and a nested message header',
    to: [BOB],
    data: [
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      'Subject: big part headers',
      '',
      '--b1',
      'Content-Type: text/plain',
      `X-Big: a${'\r\n ' + 'b'.repeat(75)}`.repeat(1) + ('\r\n ' + 'c'.repeat(75)).repeat(1500),
      'X-After: kept',
      '',
      'part',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      `Subject: nested${('\r\n ' + 'd'.repeat(75)).repeat(1500)}`,
      'From: n@sender.example',
      '',
      'nested body',
      '--b1--',
      '',
    ].join('\r\n'),
  },
  {
    name: 'no 8BITMIME: a folded Content-Transfer-Encoding and "Name :" headers',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: utf8(
      'MIME-Version: 1.0\r\nContent-Type : text/plain;\r\n charset="utf-8"\r\nContent-Transfer-Encoding:\r\n 8bit\r\nSubject: folded\r\n\r\nÄ\r\n',
    ),
  },
  {
    name: 'no 8BITMIME: 8BIT (comment) converted, not BODY=8BITMIME',
    variants: ['no-8bitmime', 'defaults'],
    to: [BOB],
    data: mime('8BIT (raw)', utf8('Ö\r\n')),
  },
  {
    name: 'no 8BITMIME: soft breaks, "=", trailing blanks, dots, tabs, a 3000-byte line',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: mime(
      '8bit',
      [
        'a'.repeat(72),
        'b'.repeat(73),
        'c'.repeat(74),
        'd'.repeat(72) + '\xe9',
        '='.repeat(30),
        'trailing space ',
        'trailing tab\t',
        // as the client sends them: stuffed
        '..starts with a dot',
        '..',
        'tab\there',
        utf8('ü').repeat(40),
        'x'.repeat(3000),
        '',
        'after a blank line',
        '',
      ].join('\r\n'),
    ),
  },
  { name: 'no 8BITMIME: multipart with 8bit, base64 and 7bit parts', variants: ['no-8bitmime'], to: [BOB], data: MULTIPART },
  { name: 'no 8BITMIME: multipart, SMTPUTF8-only next hop (taken as 8BITMIME)', variants: ['smtputf8-only'], to: [BOB], data: MULTIPART },
  { name: 'no 8BITMIME: an attached message/rfc822 with an 8bit body', variants: ['no-8bitmime'], to: [BOB], data: ATTACHED },
  { name: 'no 8BITMIME: multipart/digest parts default to message/rfc822', variants: ['no-8bitmime'], to: [BOB], data: DIGEST },
  {
    name: 'no 8BITMIME: a long 7-bit line of a converted message still broken',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: mime('7bit', `${'q'.repeat(1500)}\r\n.hidden\r\n`),
  },
  {
    name: 'no 8BITMIME: headers only, 8bit declared',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: 'MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\nSubject: h\r\n',
  },
  {
    name: 'no 8BITMIME: message/partial labelled 7bit, message/global converted whole',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: utf8(
      [
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary=p',
        '',
        '--p',
        'Content-Type: message/partial; id="x"; number=1',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Teil: ä',
        '--p',
        'Content-Type: message/global',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Subject: ö',
        '',
        'Körper',
        '--p--',
        '',
      ].join('\r\n'),
    ),
  },
  {
    name: 'no 8BITMIME: two encodings (the last decides), a part header cut short',
    variants: ['no-8bitmime'],
    to: [BOB],
    data: utf8(
      [
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary=q',
        'Content-Transfer-Encoding: 8bit',
        'Content-Transfer-Encoding: 7bit',
        '',
        '--q',
        'Content-Transfer-Encoding: 8bit',
        'no blank line: ü',
        '--q--',
        '',
      ].join('\r\n'),
    ),
  },
  {
    name: 'no 8BITMIME: MIME nested deeper than mime_nesting_limit bounces',
    variants: ['no-8bitmime'],
    to: [BOB],
    data:
      'MIME-Version: 1.0\r\nSubject: deep\r\n' +
      Array.from({ length: 103 }, (_, i) => `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n`).join('') +
      'Content-Transfer-Encoding: 8bit\r\n\r\nx\r\n',
  },
  {
    name: 'no 8BITMIME: a bounce goes without SIZE= or BODY=',
    variants: ['no-8bitmime'],
    to: ['<{n}reject-me@corp.example>'],
    data: MIME_8BIT,
  },
  {
    name: 'plain next hop: NOTIFY=SUCCESS for SMTPUTF8 mail with ASCII addresses',
    variants: ['plain-next-hop'],
    from: '<{n}alice@sender.example> SMTPUTF8',
    to: ['<{n}bob@corp.example> NOTIFY=SUCCESS'],
  },
  {
    name: 'plain next hop: a bounce of an 8-bit message, downgraded',
    variants: ['plain-next-hop'],
    to: ['<{n}reject-me@corp.example>'],
    data: MIME_8BIT,
  },
  { name: 'body text naming an 8bit encoding is no MIME header', to: [BOB], data: BODY('Content-Transfer-Encoding: 8bit\r\n') },
  // ── always_bcc ────────────────────────────────────────────────────────────────────────────
  { name: 'always_bcc copy', variants: ['bcc'], to: [BOB] },
  { name: 'always_bcc with a bounced recipient', variants: ['bcc'], to: ['<{n}reject-me@corp.example>'] },
  // ── verification probes (reject-unverified) ───────────────────────────────────────────────
  { name: 'verify: known recipient, probe then delivery', variants: ['verify', 'verify-no-8bitmime'], to: [BOB] },
  { name: 'verify: unknown recipient, probe only', variants: ['verify'], to: ['<{n}reject-x@corp.example>'] },
  {
    name: 'verify: the cache key is the exact address',
    variants: ['verify'],
    to: ['<{n}reject-case@corp.example>', '<{n}REJECT-CASE@corp.example>'],
  },
  { name: 'verify: known plus unknown', variants: ['verify'], to: [BOB, '<{n}reject-y@corp.example>'] },
];
