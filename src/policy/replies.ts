// Every SMTP reply the relay gives, in one place, Postfix-exact (reference/postfix-and-peers.md §1,
// Postfix smtpd.c / smtpd_check.c). `<h>` is $myhostname, `<a>` the address as parsed, `<ip>` the client.
// Per Postfix's smtpd_check_reject(), the enhanced status class always follows the reply code.

export interface Reply {
  code: number;
  /** RFC 3463 enhanced status, e.g. "5.7.1"; empty for replies Postfix sends without one. */
  enhanced: string;
  text: string;
}

export function reply(code: number, enhanced: string, text: string): Reply {
  // Keep the DSN class consistent with the SMTP code, as Postfix does.
  const fixed = enhanced ? `${String(code)[0]}${enhanced.slice(1)}` : '';
  return { code, enhanced: fixed, text };
}

/** The reply as it goes on the wire (single line, without CRLF). */
export function formatReply(r: Reply): string {
  return r.enhanced ? `${r.code} ${r.enhanced} ${r.text}` : `${r.code} ${r.text}`;
}

export const REPLIES = {
  // Session
  greeting: (banner: string) => reply(220, '', banner),
  bye: () => reply(221, '2.0.0', 'Bye'),
  ok: () => reply(250, '2.0.0', 'Ok'),
  mailOk: () => reply(250, '2.1.0', 'Ok'),
  rcptOk: () => reply(250, '2.1.5', 'Ok'),
  dataGoAhead: () => reply(354, '', 'End data with <CR><LF>.<CR><LF>'),
  queued: (id: string) => reply(250, '2.0.0', `Ok: queued as ${id}`),
  vrfyDisabled: () => reply(502, '5.5.1', 'VRFY command is disabled'),
  vrfyAnswer: (addr: string) => reply(252, '2.0.0', addr),
  timeout: (h: string) => reply(421, '4.4.2', `${h} Error: timeout exceeded`),
  tooManyErrors: (h: string) => reply(421, '4.7.0', `${h} Error: too many errors`),
  tooManyConnections: (h: string, ip: string) => reply(421, '4.7.0', `${h} Error: too many connections from ${ip}`),
  tooMuchMail: (ip: string) => reply(450, '4.7.1', `Error: too much mail from ${ip}`),
  /** smtpd_check_queue() at MAIL: free space < queue_minfree or < 1.5 × message_size_limit. */
  insufficientStorage: () => reply(452, '4.3.1', 'Insufficient system storage'),

  // Protocol errors
  commandNotRecognized: () => reply(500, '5.5.2', 'Error: command not recognized'),
  needHelo: () => reply(503, '5.5.1', 'Error: send HELO/EHLO first'),
  needMail: () => reply(503, '5.5.1', 'Error: need MAIL command'),
  needRcpt: () => reply(503, '5.5.1', 'Error: need RCPT command'),
  nestedMail: () => reply(503, '5.5.1', 'Error: nested MAIL command'),
  noValidRecipients: () => reply(554, '5.5.1', 'Error: no valid recipients'),
  tooManyRecipients: () => reply(452, '4.5.3', 'Error: too many recipients'),
  pipeliningSync: () => reply(554, '5.5.0', 'Error: SMTP protocol synchronization'),
  mailSyntax: () => reply(501, '5.5.4', 'Syntax: MAIL FROM:<address>'),
  rcptSyntax: () => reply(501, '5.5.4', 'Syntax: RCPT TO:<address>'),
  heloSyntax: (verb: string) => reply(501, '5.5.4', `Syntax: ${verb} hostname`),
  badSenderSyntax: () => reply(501, '5.1.7', 'Bad sender address syntax'),
  badRecipientSyntax: () => reply(501, '5.1.3', 'Bad recipient address syntax'),
  dsnDisabled: () => reply(501, '5.7.1', 'DSN support is disabled'),
  bareNewline: (h: string) => reply(550, '5.5.2', `${h} Error: bare <LF> received`),

  // Size
  sizeExceedsLimit: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
  messageTooBig: () => reply(552, '5.3.4', 'Error: message file too big'),

  // Relay control and recipient checks
  relayDenied: (a: string) => reply(554, '5.7.1', `<${a}>: Relay access denied`),
  unknownRecipientDomain: (a: string) => reply(450, '4.1.2', `<${a}>: Recipient address rejected: Domain not found`),
  malformedDnsReply: (a: string) => reply(450, '4.1.2', `<${a}>: Recipient address rejected: Malformed DNS server reply`),
  nullMx: (a: string, domain: string) =>
    reply(556, '5.1.10', `<${a}>: Recipient address rejected: Domain ${domain} does not accept mail (nullMX)`),
  unlistedRecipient: (a: string) => reply(550, '5.1.1', `<${a}>: Recipient address rejected: User unknown in relay recipient table`),
  verifyInProgress: (a: string) =>
    reply(450, '4.1.1', `<${a}>: Recipient address rejected: unverified address: Address verification in progress`),
  /** The probe was deferred or bounced, answered with unverified_recipient_reject_code = 450. */
  unverifiedRecipient: (a: string, detail: string) =>
    reply(450, '4.1.1', `<${a}>: Recipient address rejected: unverified address: ${detail}`),
  /** The probe bounced and unverified_recipient_reject_code = 550. */
  undeliverableRecipient: (a: string, detail: string) =>
    reply(550, '5.1.1', `<${a}>: Recipient address rejected: undeliverable address: ${detail}`),
  verifyProblem: (a: string) => reply(450, '4.1.1', `<${a}>: Recipient address rejected: unverified address: address verification problem`),

  // Content scan after DATA (KSMG Reject action; KSMG states no exact text, ksmg-product.md §5.2)
  scanRejected: (reason: string) => reply(550, '5.7.1', `Message rejected by Kaspersky Secure Mail Gateway: ${reason}`),
  /** The Diagnostic-Code of the delayed-reject NDR for a recipient a scan rule rejected after the 250. */
  delayedReject: (rule: string, reason?: string) =>
    reply(550, '5.7.1', `Message rejected by Kaspersky Secure Mail Gateway rule "${rule}"${reason ? `: ${reason}` : ''}`),

  // XCLIENT (Postfix smtpd_xclient)
  xclientNotAuthorized: () => reply(550, '5.7.0', 'Error: insufficient authorization'),
  xclientNested: () => reply(503, '5.5.1', 'Error: MAIL transaction in progress'),
  xclientSyntax: () => reply(501, '5.5.4', 'Syntax: XCLIENT attribute=value...'),
  xclientAttrExpected: () => reply(501, '5.5.4', 'Error: attribute=value expected'),
  xclientValueTooLong: () => reply(501, '5.5.4', 'Error: attribute value too long'),
  xclientBadValue: (attr: string, value: string) => reply(501, '5.5.4', `Bad ${attr} syntax: ${value}`),
  xclientBadAttr: (attr: string) => reply(501, '5.5.4', `Bad XCLIENT attribute name: ${attr}`),

  // Further smtpd.c texts: HELO/EHLO replies carry no enhanced status (RFC 2034).
  heloOk: (h: string) => reply(250, '', h),
  heloSyntaxPlain: (verb: 'HELO' | 'EHLO') => reply(501, '', `Syntax: ${verb} hostname`),
  badSizeSyntax: () => reply(501, '5.5.4', 'Bad message size syntax'),
  sizeOverflow: () => reply(552, '5.3.4', 'Message size exceeds file system imposed limit'),
  unsupportedOption: (arg: string) => reply(555, '5.5.4', `Unsupported option: ${arg}`),
  badRetSyntax: () => reply(501, '5.5.4', 'Bad RET parameter syntax'),
  badEnvidSyntax: () => reply(501, '5.5.4', 'Bad ENVID parameter syntax'),
  badNotifySyntax: () => reply(501, '5.5.4', 'Error: Bad NOTIFY parameter syntax'),
  badOrcptSyntax: () => reply(501, '5.5.4', 'Error: Bad ORCPT parameter syntax'),
  dataSyntax: () => reply(501, '5.5.4', 'Syntax: DATA'),
  rsetSyntax: () => reply(501, '5.5.4', 'Syntax: RSET'),
  vrfySyntax: () => reply(501, '5.5.4', 'Syntax: VRFY address [SMTPUTF8]'),
  // ETRN replies carry no enhanced status code in Postfix (smtpd.c etrn_cmd).
  etrnSyntax: () => reply(500, '', 'Syntax: ETRN domain'),
  etrnBadDomain: () => reply(501, '', 'Error: invalid parameter syntax'),
  etrnNotInTransaction: () => reply(503, '', 'Error: MAIL transaction in progress'),
  etrnStarted: () => reply(250, '', 'Queuing started'),
  etrnDenied: (d: string) => reply(459, '', `<${d}>: service unavailable`),
  badSyntax: () => reply(500, '5.5.2', 'Error: bad syntax'),
  /** A header or HTTP verb where a command should be (smtpd_forbid_cmds / is_header()). */
  nonSmtpCommand: () => reply(221, '2.7.0', 'Error: I can break rules, too. Goodbye.'),
  /** AUTH= on MAIL while SASL is off (smtpd_sasl_mail_opt). */
  authDisabled: () => reply(503, '5.5.4', 'Error: authentication disabled'),
  starttlsNotImplemented: () => reply(502, '5.5.1', 'Error: command not implemented'),
  /** STARTTLS with an argument (smtpd.c starttls_cmd). */
  starttlsSyntax: () => reply(501, '5.5.4', 'Syntax: STARTTLS'),
  /** STARTTLS accepted; the handshake follows (smtpd.c starttls_cmd). */
  starttlsReady: () => reply(220, '2.0.0', 'Ready to start TLS'),
  /** STARTTLS inside a TLS session. */
  tlsAlreadyActive: () => reply(554, '5.5.1', 'Error: TLS already active'),
  /** smtpd_tls_security_level = encrypt: a command other than HELO/EHLO/XCLIENT/STARTTLS/NOOP/QUIT before TLS. */
  mustStartTls: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
  /** AUTH while SASL is off, as on a gateway's port 25 (smtpd_sasl_auth_enable = no). */
  authNotEnabled: () => reply(503, '5.5.1', 'Error: authentication not enabled'),
  /** Write or fsync failure of the spool (cleanup CLEANUP_STAT_WRITE). */
  queueFileWriteError: () => reply(451, '4.3.0', 'Error: queue file write error'),
  /** Anything else that went wrong after DATA (cleanup CLEANUP_STAT_BAD). */
  internalError: () => reply(451, '4.3.0', 'Error: internal error'),
  /** Server stopping while a client is connected. */
  shuttingDown: (h: string) => reply(421, '4.3.2', `${h} Service shutting down, closing transmission channel`),

  // Receive side, Postfix 3.7 smtpd.c (command bytes, local recipients, BDAT)
  badUtf8: () => reply(500, '5.5.2', 'Error: bad UTF-8 syntax'),
  multipleAuth: () => reply(503, '5.5.4', 'Error: multiple AUTH= options'),
  /** mydestination recipient not in local_recipient_maps. */
  unknownLocalRecipient: (a: string) => reply(550, '5.1.1', `<${a}>: Recipient address rejected: User unknown in local recipient table`),
  bdatSyntax: () => reply(521, '5.5.4', 'Syntax: BDAT count [LAST]'),
  bdatNotImplemented: () => reply(521, '5.5.1', 'Error: command not implemented'),
  bdatChunkTooBig: () => reply(552, '5.3.4', 'Chunk exceeds message size limit'),
  bdatNull: () => reply(551, '5.7.1', 'Null BDAT request'),
  bdatDiscarded: (bytes: number) => reply(551, '5.0.0', `Discarded ${bytes} bytes after earlier error`),
  bdatChunkOk: (bytes: number) => reply(250, '2.0.0', `Ok: ${bytes} bytes`),
  bdatQueued: (bytes: number, id: string) => reply(250, '2.0.0', `Ok: ${bytes} bytes queued as ${id}`),
  dataAfterBdat: () => reply(503, '5.5.1', 'Error: DATA after BDAT'),
  mailAfterBdat: () => reply(503, '5.5.1', 'Error: MAIL after BDAT'),
  rcptAfterBdat: () => reply(503, '5.5.1', 'Error: RCPT after BDAT'),
} as const;

export type ReplyName = keyof typeof REPLIES;

/**
 * The notification texts of the gateway's own bounces. 'postfix' is bounce(8)'s default failure
 * template (bounce_template.c, "Undelivered Mail Returned to Sender"), line for line; 'ksmg' is
 * our wording for KSMG's delayed-reject NDR (KSMG does not document its text), in the same shape.
 */
export const BOUNCE_TEXTS = {
  postfix: {
    subject: 'Undelivered Mail Returned to Sender',
    from: (host: string) => `Mail Delivery System <MAILER-DAEMON@${host}>`,
    body: (host: string) => [
      `This is the mail system at host ${host}.`,
      '',
      "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.",
      '',
      'For further assistance, please send mail to postmaster.',
      '',
      'If you do so, please include this problem report. You can',
      'delete your own text from the attached returned message.',
      '',
      '                   The mail system',
    ],
  },
  // bounce(8)'s success template: NOTIFY=SUCCESS through a next hop that could not take DSN.
  success: {
    subject: 'Successful Mail Delivery Report',
    from: (host: string) => `Mail Delivery System <MAILER-DAEMON@${host}>`,
    body: (host: string) => [
      `This is the mail system at host ${host}.`,
      '',
      'Your message was successfully delivered to the destination(s)',
      'listed below. If the message was delivered to mailbox you will',
      'receive no further notifications. Otherwise you may still receive',
      'notifications of mail delivery errors from other systems.',
      '',
      '                   The mail system',
    ],
  },
  ksmg: {
    subject: 'Message rejected by Kaspersky Secure Mail Gateway',
    from: (host: string) => `Mail Delivery System <MAILER-DAEMON@${host}>`,
    body: (host: string) => [
      `This is the mail system at host ${host}.`,
      '',
      'Your message was scanned by Kaspersky Secure Mail Gateway and was rejected',
      'for one or more recipients by a content filtering rule. It was not delivered',
      'to the recipients listed below.',
      '',
      'For further assistance, please send mail to postmaster.',
      '',
      '                   The mail system',
    ],
  },
} as const;

/**
 * What smtp(8) logs and bounces with when a next hop's TLS does not meet the level
 * (smtp_proto.c, Postfix 3.7): `namaddr` is "host[address]", `reply` the server's reply as one line.
 * `status` is the DSN status; texts without one take the server's reply status.
 */
export const DELIVERY_TLS_TEXTS = {
  notOffered: (namaddr: string) => ({ status: '4.7.4', text: `TLS is required, but was not offered by host ${namaddr}` }),
  refused: (namaddr: string, reply: string) => `TLS is required, but host ${namaddr} refused to start TLS: ${reply}`,
  handshakeFailure: () => ({ status: '4.7.5', text: 'Cannot start TLS: handshake failure' }),
  notVerified: () => ({ status: '4.7.5', text: 'Server certificate not verified' }),
  engineUnavailable: () => ({ status: '4.7.5', text: 'TLS is required, but our TLS engine is unavailable' }),
} as const;
