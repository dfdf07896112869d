// RSET, NOOP, QUIT, ETRN, STARTTLS, AUTH — the small commands, with smtpd.c's texts.
import { REPLIES } from '../../../policy/replies.js';
import { isLocalDomain } from '../../../policy/relay.js';
import { validHostname } from '../../../policy/xclient.js';
import { starttlsAnswer } from '../../../policy/tls.js';
import type { SmtpSession } from '../session.js';

export function handleRset(s: SmtpSession, args: string): void {
  if (args.trim()) {
    s.wire.reply(REPLIES.rsetSyntax());
    return;
  }
  s.resetTransaction();
  s.wire.reply(REPLIES.ok());
}

export function handleNoop(s: SmtpSession): void {
  s.wire.reply(REPLIES.ok());
}

export function handleQuit(s: SmtpSession): void {
  s.wire.reply(REPLIES.bye());
  s.wire.close();
}

/** ETRN is still processed when hidden from EHLO (Postfix has no mask check in etrn_cmd). */
export function handleEtrn(s: SmtpSession, args: string): void {
  if (s.tx) {
    s.wire.reply(REPLIES.etrnNotInTransaction());
    return;
  }
  const words = args
    .trim()
    .split(/[ \t]+/)
    .filter(Boolean);
  if (words.length !== 1) {
    s.wire.reply(REPLIES.etrnSyntax());
    return;
  }
  let site = words[0]!;
  if (site.startsWith('@') || site.startsWith('#')) site = site.slice(1);
  if (!validHostname(site) && !/^\[.+\]$/.test(site)) {
    s.wire.reply(REPLIES.etrnBadDomain());
    return;
  }
  // fast_flush_domains = $relay_domains
  s.wire.reply(isLocalDomain(s.ctx.config, site) ? REPLIES.etrnStarted() : REPLIES.etrnDenied(site));
}

/**
 * STARTTLS (smtpd.c starttls_cmd): 220, then the handshake. Like smtpd it resets the HELO name
 * and the transaction first (RFC 3207 §4.2: nothing learned before TLS is kept).
 */
export async function handleStarttls(s: SmtpSession, args: string): Promise<void> {
  const answer = starttlsAnswer(s.ctx.config, args, s.tls !== null);
  s.wire.reply(answer.reply);
  if (!answer.handshake) return;
  s.helo = null;
  s.resetTransaction();
  await s.wire.startTls();
}

/** SASL is not enabled on a gateway's port 25. */
export function handleAuth(s: SmtpSession): void {
  s.wire.reply(REPLIES.authNotEnabled());
}
