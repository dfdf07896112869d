// Envelope address parsing the way Postfix smtpd does it (smtpd.c extract_addr + tok822), and the
// address resolution that relay control relies on (trivial-rewrite resolve.c). Pure.
//
// Parsing yields the *internal* form Postfix uses in replies and logs: angle brackets removed,
// an RFC 821 source route ("@a,@b:") truncated, a quoted local part dequoted ("a b"@x → a b@x).
import { domainToASCII } from 'node:url';
import { isIPv4, isIPv6 } from '../config/net.js';
import { REPLIES, type Reply } from './replies.js';

export type EnvelopeVerb = 'MAIL' | 'RCPT';

export interface EnvelopeCommand {
  /** The address token as sent, e.g. `<"a b"@x>` (Postfix keeps it for ORCPT). */
  raw: string;
  /** Internal form: `a b@x`; '' is the null sender. */
  address: string;
  /** ESMTP parameters as sent (`SIZE=100`, `NOTIFY=NEVER` …). */
  params: string[];
}

export type EnvelopeParse = { ok: true; value: EnvelopeCommand } | { ok: false; reply: Reply };

/** One word of a command line as smtpd_token() cuts it; `error` = an unterminated `<…>` or `"…"`. */
export interface SmtpdToken {
  text: string;
  error: boolean;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f';

/**
 * Postfix's command tokenizer (smtpd_token.c): words split at blanks, except that `<…>` and
 * `"…"` are kept whole (blanks inside included, `<` nesting and quotes honoured) and a word is
 * cut after a leading `TO:` or `FROM:`. `<bob@x >>` is one word.
 */
export function smtpdTokens(line: string): SmtpdToken[] {
  const out: SmtpdToken[] = [];
  let i = 0;
  while (i < line.length) {
    let text = '';
    let error = false;
    while (i < line.length) {
      const c = line[i++]!;
      if (isSpace(c)) {
        while (i < line.length && isSpace(line[i]!)) i++;
        if (text) break;
      } else if (c === '<' || c === '"') {
        const r = quoted(line, i, c, c === '<' ? '>' : '"');
        text += r.text;
        i = r.end;
        if (r.error) error = true;
      } else if (c === ':') {
        text += c;
        if (/^(to|from):$/i.test(text)) break;
      } else {
        if (c === '\\' && i < line.length) text += c + line[i++]!;
        else text += c;
      }
    }
    if (text) out.push({ text, error });
  }
  return out;
}

/** smtp_quoted(): from after `start` up to the matching `last`. */
function quoted(line: string, from: number, start: string, last: string): { text: string; end: number; error: boolean } {
  const stack = [last];
  let text = start;
  let i = from;
  while (i < line.length) {
    const c = line[i++]!;
    text += c;
    const wanted = stack[stack.length - 1]!;
    if (c === '\\') {
      if (i >= line.length) break;
      text += line[i++]!;
    } else if (c === wanted) {
      if (stack.length === 1) return { text, end: i, error: false };
      stack.pop();
    } else if (c === '"') {
      stack.push('"');
    } else if (c === '<' && wanted === '>') {
      stack.push('>');
    }
  }
  return { text, end: i, error: true };
}

/** `FROM:` (MAIL) or `TO:` (RCPT) and an address token follow the verb (else "Syntax: …"). */
export function hasEnvelopeKeyword(verb: EnvelopeVerb, rest: string): boolean {
  const tokens = smtpdTokens(rest);
  return tokens.length >= 2 && tokens[0]!.text.toLowerCase() === (verb === 'MAIL' ? 'from:' : 'to:');
}

export interface EnvelopeOptions {
  /** strict_rfc821_envelopes. */
  strict: boolean;
  /**
   * SMTPUTF8 in effect: for MAIL, undefined = "if SMTPUTF8 is among the parameters" (smtpd.c
   * reads it before the address); for RCPT, the MAIL command's.
   */
  smtputf8?: boolean;
  /** SMTPUTF8 is offered (not in smtpd_discard_ehlo_keywords): otherwise the parameter means nothing. */
  smtputf8Offered?: boolean;
}

/**
 * `FROM:<a> SIZE=1` (everything after the verb) → address + parameters, or Postfix's reply for
 * the syntax error (mail_cmd / rcpt_cmd: the tokens, extract_addr, smtpd_check_addr).
 */
export function parseEnvelopeCommand(verb: EnvelopeVerb, rest: string, opts: boolean | EnvelopeOptions): EnvelopeParse {
  const o: EnvelopeOptions = typeof opts === 'boolean' ? { strict: opts } : opts;
  const keyword = verb === 'MAIL' ? 'from:' : 'to:';
  const syntax = verb === 'MAIL' ? REPLIES.mailSyntax() : REPLIES.rcptSyntax();
  const badAddress = verb === 'MAIL' ? REPLIES.badSenderSyntax() : REPLIES.badRecipientSyntax();
  const tokens = smtpdTokens(rest);
  if (tokens.length < 2 || tokens[0]!.text.toLowerCase() !== keyword) return { ok: false, reply: syntax };
  const token = tokens[1]!;
  if (token.error) return { ok: false, reply: badAddress };
  const params = tokens.slice(2).map((t) => t.text);
  const offered = o.smtputf8Offered ?? true;
  const smtputf8 = offered && (o.smtputf8 ?? (verb === 'MAIL' && params.some((p) => p.toUpperCase() === 'SMTPUTF8')));
  const address = extractAddress(token.text, o.strict, verb === 'MAIL');
  if (address === null || !addressResolves(address, smtputf8)) return { ok: false, reply: badAddress };
  return { ok: true, value: { raw: token.text, address, params } };
}

/**
 * smtpd_check_addr(): trivial-rewrite flags the address as an error when its domain is not a
 * valid host name (two trailing dots, an empty domain), a bare IP address
 * (resolve_numeric_domain = no) or a malformed [literal]; a non-ASCII domain needs SMTPUTF8.
 */
export function addressResolves(address: string, smtputf8: boolean): boolean {
  if (address === '') return true;
  const at = address.lastIndexOf('@');
  if (at === -1) return true; // unqualified: @$myhostname is appended
  let domain = address.slice(at + 1);
  if (domain.startsWith('[')) return validMailhostLiteral(domain);
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (!domain) return false;
  const ascii = /^[\x00-\x7f]*$/.test(domain);
  if (!ascii && !smtputf8) return false;
  const name = ascii ? domain : domainToASCII(domain);
  if (!name) return false;
  return validHostname(name);
}

/** Postfix valid_hostname(): labels of letters, digits, `-` and `_`, not all numeric. */
function validHostname(name: string): boolean {
  if (name.length > 255) return false;
  const labels = name.split('.');
  if (!labels.every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l))) return false;
  return !/^[\d.]+$/.test(name);
}

/** `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
export function validMailhostLiteral(literal: string): boolean {
  const m = literal.match(/^\[(.*)\]$/);
  if (!m) return false;
  const v = m[1]!;
  if (/^ipv6:/i.test(v)) return isIPv6(v.slice(5));
  return isIPv4(v);
}

/**
 * The internal form of an address token, or null for bad syntax (extract_addr): one pair of
 * `<>` around it is removed, a source route truncated, blanks and stray brackets ignored, a
 * comment dropped (in strict RFC 821 mode a comment, or a token not starting with `<`, is an
 * error), quoting removed.
 */
export function extractAddress(token: string, strict: boolean, allowEmpty: boolean): string | null {
  const bracketed = token.startsWith('<') && token.endsWith('>') && token.length >= 2;
  if (strict && !token.startsWith('<')) return null;
  let text = bracketed ? token.slice(1, -1) : token;
  // Truncate the deprecated route address form, as smtpd does before parsing.
  if (text.startsWith('@')) {
    const colon = text.indexOf(':');
    if (colon !== -1) text = text.slice(colon + 1);
  }
  const scanned = scanAddress(text);
  if (!scanned || (strict && scanned.nonAddress)) return null;
  const internal = internalize(scanned.address);
  if (internal === null) return null;
  if (internal === '' && !allowEmpty) return null;
  if (strict && internal.startsWith('@')) return null;
  return internal;
}

/**
 * The tok822 view of an address text: the address characters with blanks, `<`, `>` and comments
 * taken out; null when it holds more than one address (a comma, a group).
 */
function scanAddress(text: string): { address: string; nonAddress: boolean } | null {
  let out = '';
  let nonAddress = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      const end = closing(text, i, '"');
      if (end === -1) return null;
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '[') {
      const end = text.indexOf(']', i);
      if (end === -1) return null;
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < text.length && depth; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '(') depth++;
        else if (text[j] === ')') depth--;
      }
      nonAddress = true;
      i = j - 1;
    } else if (c === '<' || c === '>' || isSpace(c)) {
      // ignored brackets and blanks
    } else if (c === ',' || c === ';' || c === ':') {
      return null;
    } else if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === ')') {
      return null;
    } else {
      out += c;
    }
  }
  return { address: out, nonAddress };
}

function closing(text: string, from: number, q: string): number {
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === q) return i;
  }
  return -1;
}

/** Removes quoting: `"a b"@x` → `a b@x`, `"a\"b"@x` → `a"b@x`. */
function internalize(text: string): string | null {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) return null;
      out += text[++i];
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
      continue;
    }
    out += c;
  }
  return quoted ? null : out;
}

/** What trivial-rewrite makes of a recipient, as far as relay control needs it. */
export interface ResolvedAddress {
  local: string;
  /** Lower-case, one trailing dot removed; `[1.2.3.4]` for an address literal. */
  domain: string;
  /** Anything routing-like left in the local part (`%`, `!`, `@`): allow_untrusted_routing=no refuses it. */
  routed: boolean;
  /** `[ip]` address literal. */
  literal: boolean;
  /** `user@1.2.3.4` without brackets (resolve_numeric_domain=no: not a valid domain). */
  numeric: boolean;
  /** `user@` (resolve_null_domain=no). */
  nullDomain: boolean;
}

/**
 * Resolves an internal-form address: a bang path (`site!user`) is swapped to `user@site`
 * (swap_bangpath), an unqualified address gets `@myorigin`, the trailing dot of the domain is
 * dropped. A quoted local part was already dequoted by the parser (resolve_dequoted_address).
 */
export function resolveAddress(address: string, myorigin: string): ResolvedAddress {
  let addr = address;
  if (!addr.includes('@')) {
    const bang = addr.indexOf('!');
    if (bang > 0) addr = `${addr.slice(bang + 1)}@${addr.slice(0, bang)}`;
    else addr = `${addr}@${myorigin}`;
  }
  const at = addr.lastIndexOf('@');
  const local = addr.slice(0, at);
  let domain = addr.slice(at + 1).toLowerCase();
  if (domain.endsWith('.') && !domain.endsWith('..')) domain = domain.slice(0, -1);
  const literal = /^\[.*\]$/.test(domain);
  return {
    local,
    domain,
    routed: /[@%!]/.test(local),
    literal,
    numeric: !literal && isIPv4(domain),
    nullDomain: domain === '',
  };
}

/** The domain part of an internal-form address (after the last @), lower-case; '' when none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : address.slice(at + 1).toLowerCase();
}
