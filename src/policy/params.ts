// ESMTP parameters of MAIL and RCPT, checked in smtpd.c order (mail_cmd / rcpt_cmd).
import type { Config } from '../config/schema.js';
import { REPLIES, type Reply } from './replies.js';
import { isDiscarded } from './ehlo.js';

export interface MailParams {
  size?: number;
  body?: '7BIT' | '8BITMIME';
  smtputf8?: boolean;
  ret?: 'FULL' | 'HDRS';
  envid?: string;
}

export interface RcptParams {
  notify?: string[];
  orcpt?: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** xtext (RFC 3461) → text; null when malformed. */
export function xtextDecode(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else {
      const code = c.charCodeAt(0);
      // Postfix xtext_unquote() takes any other character as itself, '=' included.
      if (code < 33 || code > 126) return null;
      out += c;
    }
  }
  return out;
}

const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);

export function parseMailParams(config: Config, params: readonly string[]): Parsed<MailParams> {
  const dsnOff = isDiscarded(config, 'dsn');
  const utf8Offered = !isDiscarded(config, 'smtputf8');
  const v: MailParams = {};
  let authSender = false;
  for (const arg of params) {
    const upper = arg.toUpperCase();
    if (upper === 'BODY=8BITMIME') v.body = '8BITMIME';
    else if (upper === 'BODY=7BIT') v.body = '7BIT';
    else if (upper === 'SMTPUTF8' && utf8Offered) v.smtputf8 = true;
    else if (upper.startsWith('AUTH=')) {
      // smtpd_sasl_mail_opt(): accepted (and only noted) even without SASL; AUTH=<> is nothing.
      if (authSender) return { ok: false, reply: REPLIES.multipleAuth() };
      if (arg.slice(5) !== '<>') authSender = true;
    } else if (upper.startsWith('SIZE=')) {
      const n = arg.slice(5);
      if (!/^\d+$/.test(n)) return { ok: false, reply: REPLIES.badSizeSyntax() };
      const size = Number(n);
      if (!Number.isSafeInteger(size)) return { ok: false, reply: REPLIES.sizeOverflow() };
      v.size = size;
    } else if (upper.startsWith('RET=')) {
      if (dsnOff) return { ok: false, reply: REPLIES.dsnDisabled() };
      const r = upper.slice(4);
      if (v.ret || (r !== 'FULL' && r !== 'HDRS')) return { ok: false, reply: REPLIES.badRetSyntax() };
      v.ret = r;
    } else if (upper.startsWith('ENVID=')) {
      if (dsnOff) return { ok: false, reply: REPLIES.dsnDisabled() };
      const e = xtextDecode(arg.slice(6));
      if (v.envid !== undefined || e === null || !printable(e)) return { ok: false, reply: REPLIES.badEnvidSyntax() };
      v.envid = e;
    } else {
      return { ok: false, reply: REPLIES.unsupportedOption(arg) };
    }
  }
  return { ok: true, value: v };
}

/** SIZE= at MAIL against message_size_limit (0 = no limit). */
export function sizeDecision(config: Config, declared: number | undefined): Reply | null {
  const limit = config.mta.messageSizeLimit;
  if (!limit || declared === undefined) return null;
  return declared > limit ? REPLIES.sizeExceedsLimit() : null;
}

const NOTIFY_WORDS = new Set(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY']);

export function parseRcptParams(config: Config, params: readonly string[]): Parsed<RcptParams> {
  const dsnOff = isDiscarded(config, 'dsn');
  const v: RcptParams = {};
  for (const arg of params) {
    const upper = arg.toUpperCase();
    if (upper.startsWith('NOTIFY=')) {
      if (dsnOff) return { ok: false, reply: REPLIES.dsnDisabled() };
      const words = upper.slice(7).split(',');
      const valid = words.every((w) => NOTIFY_WORDS.has(w)) && (!words.includes('NEVER') || words.length === 1);
      if (v.notify || !valid) return { ok: false, reply: REPLIES.badNotifySyntax() };
      v.notify = words;
    } else if (upper.startsWith('ORCPT=')) {
      if (dsnOff) return { ok: false, reply: REPLIES.dsnDisabled() };
      const value = arg.slice(6);
      const semi = value.indexOf(';');
      const decoded = semi > 0 ? xtextDecode(value.slice(semi + 1)) : null;
      if (v.orcpt !== undefined || decoded === null) return { ok: false, reply: REPLIES.badOrcptSyntax() };
      v.orcpt = `${value.slice(0, semi)};${decoded}`;
    } else {
      return { ok: false, reply: REPLIES.unsupportedOption(arg) };
    }
  }
  return { ok: true, value: v };
}
