// The EHLO keyword list in Postfix's order (smtpd.c ehlo_cmd), minus smtpd_discard_ehlo_keywords.
import type { Config } from '../config/schema.js';

/** smtpd_use_tls: the server has TLS on (security level may or encrypt). */
export function offersStarttls(config: Config): boolean {
  return config.mta.tls.securityLevel !== 'none';
}

export function isDiscarded(config: Config, keyword: string): boolean {
  return config.mta.advanced.discardEhloKeywords.includes(keyword.toLowerCase());
}

export interface EhloState {
  xclientAllowed: boolean;
  /** The session is already inside TLS (STARTTLS done): STARTTLS is not offered again. */
  tlsActive?: boolean;
}

/**
 * The lines after `250-<hostname>`, as smtpd.c ehlo_cmd builds them: SIZE without a number when
 * there is no limit, VRFY only when the command is enabled, STARTTLS when TLS is on
 * (smtpd_tls_security_level may or encrypt) and not yet active, XCLIENT only for an authorised
 * client (with LOGIN, as Debian's SASL-enabled build announces it), CHUNKING last.
 */
export function ehloKeywords(config: Config, opts: EhloState): string[] {
  const limit = config.mta.messageSizeLimit;
  const candidates: Array<[string, string | null]> = [
    ['pipelining', 'PIPELINING'],
    ['size', limit > 0 ? `SIZE ${limit}` : 'SIZE'],
    ['vrfy', config.mta.advanced.disableVrfy ? null : 'VRFY'],
    ['etrn', 'ETRN'],
    ['starttls', offersStarttls(config) && !opts.tlsActive ? 'STARTTLS' : null],
    ['xclient', opts.xclientAllowed ? 'XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT' : null],
    ['enhancedstatuscodes', 'ENHANCEDSTATUSCODES'],
    ['8bitmime', '8BITMIME'],
    ['dsn', 'DSN'],
    ['smtputf8', 'SMTPUTF8'],
    ['chunking', 'CHUNKING'],
  ];
  return candidates.filter(([k, line]) => line !== null && !isDiscarded(config, k)).map(([, line]) => line!);
}

/** The full multi-line EHLO reply text lines (first is the host name). */
export function ehloLines(config: Config, opts: EhloState): string[] {
  return [config.mta.hostname, ...ehloKeywords(config, opts)];
}
