// STARTTLS policy of the receiving side (smtpd.c: smtpd_cmd_table's SMTPD_CMD_FLAG_PRE_TLS and
// the smtpd_enforce_tls check in smtpd_proto; starttls_cmd). Pure.
import type { Config } from '../config/schema.js';
import { REPLIES, type Reply } from './replies.js';
import { isDiscarded, offersStarttls } from './ehlo.js';

/**
 * Commands smtpd allows before STARTTLS under smtpd_tls_security_level = encrypt (Postfix 3.7;
 * HELP joins them only in 3.9, and is no command in 3.7).
 */
export const PRE_TLS_COMMANDS: ReadonlySet<string> = new Set(['HELO', 'EHLO', 'XCLIENT', 'STARTTLS', 'NOOP', 'QUIT']);

/** The 530 refusal when `verb` (a known command, upper case) needs TLS first; null when it may run. */
export function tlsRequiredRefusal(config: Config, verb: string, tlsActive: boolean): Reply | null {
  if (config.mta.tls.securityLevel !== 'encrypt' || tlsActive || PRE_TLS_COMMANDS.has(verb)) return null;
  return REPLIES.mustStartTls();
}

/**
 * The answer to STARTTLS: in starttls_cmd's order, a syntax error for any argument, "already
 * active" inside TLS, "not implemented" when TLS is off or the keyword is discarded from EHLO,
 * else 220 and the handshake (null reply = go ahead).
 */
export function starttlsAnswer(config: Config, args: string, tlsActive: boolean): { reply: Reply; handshake: boolean } {
  if (args.trim()) return { reply: REPLIES.starttlsSyntax(), handshake: false };
  if (tlsActive) return { reply: REPLIES.tlsAlreadyActive(), handshake: false };
  if (!offersStarttls(config) || isDiscarded(config, 'starttls')) return { reply: REPLIES.starttlsNotImplemented(), handshake: false };
  return { reply: REPLIES.starttlsReady(), handshake: true };
}
