// HELO / EHLO (smtpd.c helo_cmd / ehlo_cmd): both reset the transaction.
import { REPLIES } from '../../../policy/replies.js';
import { ehloLines } from '../../../policy/ehlo.js';
import type { SmtpSession } from '../session.js';

export function handleHelo(s: SmtpSession, args: string, verb: string): void {
  const v = verb === 'EHLO' ? 'EHLO' : 'HELO';
  const name = args.trim().replace(/[ \t]+/g, ' ');
  if (!name) {
    s.wire.reply(REPLIES.heloSyntaxPlain(v));
    return;
  }
  // Postfix: printable(…, '?') then neuter(NEUTER_CHARACTERS = " <>()\\\";@", '?').
  s.helo = name.replace(/[^\x20-\x7e]/g, '?').replace(/[ <>()\\";@]/g, '?');
  s.resetTransaction();
  if (v === 'HELO') {
    if (s.protocol !== 'ESMTP') s.protocol = 'SMTP';
    s.wire.reply(REPLIES.heloOk(s.ctx.config.mta.hostname));
    return;
  }
  s.protocol = 'ESMTP';
  s.wire.replyLines(250, ehloLines(s.ctx.config, { xclientAllowed: s.xclientAllowed, tlsActive: s.tls !== null }));
}
