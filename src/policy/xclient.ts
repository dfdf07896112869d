// XCLIENT attribute parsing (Postfix smtpd.c xclient_cmd). Pure; the session applies the result.
import { isIPv4, isIPv6 } from '../config/net.js';
import { xtextDecode } from './params.js';
import { REPLIES, type Reply } from './replies.js';

export interface XclientUpdate {
  addr?: string;
  name?: string;
  port?: string;
  helo?: string;
  proto?: 'SMTP' | 'ESMTP';
  /** LOGIN=: the SASL user name smtpd records (smtpd_sasl_auth_extern); absent or [UNAVAILABLE] = none. */
  login?: string;
}

const UNAVAILABLE = '[UNAVAILABLE]';
const TEMPUNAVAIL = '[TEMPUNAVAIL]';

/** Postfix valid_hostname(): letters, digits, hyphens, dots; ≤ 255; not all-numeric TLD. */
export function validHostname(name: string): boolean {
  if (!name || name.length > 255 || name.startsWith('.') || name.endsWith('.') || name.includes('..')) return false;
  const labels = name.split('.');
  if (!labels.every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l))) return false;
  return !/^[\d.]+$/.test(name); // an all-numeric name would be an address
}

/** Postfix valid_mailhost_addr(): `1.2.3.4` or `IPv6:2001:db8::1` → the bare address, else null. */
export function validMailhostAddr(value: string): string | null {
  if (/^ipv6:/i.test(value)) {
    const a = value.slice(5);
    return isIPv6(a) ? a.toLowerCase() : null;
  }
  return isIPv4(value) ? value : null;
}

export function parseXclient(args: string): { ok: true; update: XclientUpdate } | { ok: false; reply: Reply } {
  const items = args
    .trim()
    .split(/[ \t]+/)
    .filter(Boolean);
  if (!items.length) return { ok: false, reply: REPLIES.xclientSyntax() };
  const u: XclientUpdate = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const attr = eq === -1 ? item : item.slice(0, eq);
    const raw = eq === -1 ? '' : item.slice(eq + 1);
    if (eq === -1 || !raw) return { ok: false, reply: REPLIES.xclientAttrExpected() };
    if (raw.length > 255) return { ok: false, reply: REPLIES.xclientValueTooLong() };
    const value = (xtextDecode(raw) ?? raw).replace(/[^\x20-\x7e]/g, '?');
    const A = attr.toUpperCase();
    if (A === 'NAME' || A === 'REVERSE_NAME') {
      if (value === UNAVAILABLE || value === TEMPUNAVAIL) {
        if (A === 'NAME') u.name = 'unknown';
      } else if (!validHostname(value)) {
        return { ok: false, reply: REPLIES.xclientBadValue(A, value) };
      } else if (A === 'NAME') {
        u.name = value;
      }
    } else if (A === 'ADDR') {
      if (value === UNAVAILABLE) u.addr = 'unknown';
      else {
        const bare = validMailhostAddr(value);
        if (!bare) return { ok: false, reply: REPLIES.xclientBadValue(A, value) };
        u.addr = bare;
      }
    } else if (A === 'PORT') {
      if (value === UNAVAILABLE) u.port = 'unknown';
      else if (!/^\d{1,5}$/.test(value)) return { ok: false, reply: REPLIES.xclientBadValue(A, value) };
      else u.port = value;
    } else if (A === 'HELO') {
      if (value === UNAVAILABLE) u.helo = '';
      else if (value.length > 255) return { ok: false, reply: REPLIES.xclientBadValue(A, value) };
      else u.helo = value.replace(/[<>()\\"]/g, '?');
    } else if (A === 'PROTO') {
      const p = value.toUpperCase();
      if (p !== 'SMTP' && p !== 'ESMTP') return { ok: false, reply: REPLIES.xclientBadValue(A, value) };
      u.proto = p;
    } else if (A === 'LOGIN') {
      // Recorded as if authenticated (Received: "with ESMTPA"); grants nothing here, as the
      // exported restrictions have no permit_sasl_authenticated.
      if (value !== UNAVAILABLE) u.login = value;
    } else if (A === 'DESTADDR' || A === 'DESTPORT') {
      // Accepted and ignored: the destination is ours.
    } else {
      return { ok: false, reply: REPLIES.xclientBadAttr(attr) };
    }
  }
  return { ok: true, update: u };
}
