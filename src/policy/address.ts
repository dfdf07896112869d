// Envelope address parsing the way Postfix smtpd does it (smtpd.c extract_addr + tok822), and the
// address resolution that relay control relies on (trivial-rewrite resolve.c). Pure.
//
// Parsing yields the *internal* form Postfix uses in replies and logs: angle brackets removed,
// an RFC 821 source route ("@a,@b:") truncated, a quoted local part dequoted ("a b"@x → a b@x).
import { isIPv4 } from '../config/net.js';
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

/**
 * `FROM:<a> SIZE=1` (everything after the verb) → address + parameters, or Postfix's reply for
 * the syntax error. `strict` = strict_rfc821_envelopes.
 */
export function parseEnvelopeCommand(verb: EnvelopeVerb, rest: string, strict: boolean): EnvelopeParse {
  const keyword = verb === 'MAIL' ? 'FROM:' : 'TO:';
  const syntax = verb === 'MAIL' ? REPLIES.mailSyntax() : REPLIES.rcptSyntax();
  const badAddress = verb === 'MAIL' ? REPLIES.badSenderSyntax() : REPLIES.badRecipientSyntax();
  const s = rest.replace(/^[ \t]+/, '');
  if (s.slice(0, keyword.length).toUpperCase() !== keyword) return { ok: false, reply: syntax };
  const after = s.slice(keyword.length).replace(/^[ \t]+/, '');
  if (!after) return { ok: false, reply: syntax };
  const tokenEnd = addressTokenEnd(after);
  if (tokenEnd < 0) return { ok: false, reply: badAddress };
  const raw = after.slice(0, tokenEnd);
  const params = after.slice(tokenEnd).split(/[ \t]+/).filter(Boolean);
  const address = extractAddress(raw, strict, verb === 'MAIL');
  if (address === null) return { ok: false, reply: badAddress };
  return { ok: true, value: { raw, address, params } };
}

/** End of the address token: the matching `>` for a bracketed form, else the first blank. */
function addressTokenEnd(s: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') { i++; continue; }
    if (c === '"') { quoted = !quoted; continue; }
    if (quoted) continue;
    if (s[0] === '<') {
      if (c === '>') return i + 1;
    } else if (c === ' ' || c === '\t') {
      return i;
    }
  }
  if (quoted) return -1;
  return s[0] === '<' ? -1 : s.length;
}

/**
 * The internal form of an address token, or null for bad syntax. In strict RFC 821 mode the
 * token must be `<…>` and contain nothing but the address (no comments, phrases or groups).
 */
export function extractAddress(token: string, strict: boolean, allowEmpty: boolean): string | null {
  const bracketed = token.startsWith('<') && token.endsWith('>') && token.length >= 2;
  if (strict && !bracketed) return null;
  let text = bracketed ? token.slice(1, -1) : token;
  // Truncate the deprecated route address form, as smtpd does before parsing.
  if (text.startsWith('@')) {
    const colon = text.indexOf(':');
    if (colon !== -1) text = text.slice(colon + 1);
  }
  if (!strict) text = stripComments(text).trim();
  else if (hasNonAddressParts(text)) return null;
  if (!bracketed && !strict && /[<>]/.test(text)) {
    // Non-strict mode tolerates `Name <a@b>`; keep the address part.
    const m = text.match(/<([^<>]*)>/);
    if (!m) return null;
    text = m[1]!;
  }
  if (hasNonAddressParts(text)) return null;
  const internal = internalize(text);
  if (internal === null) return null;
  if (internal === '' && !allowEmpty) return null;
  if (strict && internal.startsWith('@')) return null;
  return internal;
}

/** Characters that make an RFC 822 token stream more than one address (outside quotes and []). */
function hasNonAddressParts(text: string): boolean {
  let quoted = false;
  let literal = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') { i++; continue; }
    if (quoted) { if (c === '"') quoted = false; continue; }
    if (literal) { if (c === ']') literal = false; continue; }
    if (c === '"') { quoted = true; continue; }
    if (c === '[') { literal = true; continue; }
    if (/[\s()<>,;:\]]/.test(c) || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) return true;
  }
  return quoted || literal;
}

function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) { if (depth === 0) out += c + text[i + 1]; i++; continue; }
    if (!depth && c === '"') quoted = !quoted;
    if (!quoted && c === '(') { depth++; continue; }
    if (!quoted && c === ')' && depth) { depth--; continue; }
    if (!depth) out += c;
  }
  return out;
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
    if (c === '"') { quoted = !quoted; continue; }
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
