// Messages in the admin's language: one catalogue per language (./en.ts, ./cs.ts) with stable ids,
// a `t(lang, id, params)` that fills `{name}` placeholders (`{name:number}` formats a number for the
// locale with Intl.NumberFormat) and picks a plural form by Intl.PluralRules (Czech: one/few/many/other),
// and the language choice from --lang or the locale variables. Pure: the environment is passed in.
import { en, type MessageId } from './en.js';
import { cs } from './cs.js';
import type { Catalogue, Message } from './types.js';

export type { Catalogue, Message, PluralForms } from './types.js';
export type { MessageId };

export type Lang = 'en' | 'cs';
export const LANGS: readonly Lang[] = ['en', 'cs'];

export const CATALOGUES: Record<Lang, Catalogue<MessageId>> = { en, cs };

const LOCALES: Record<Lang, string> = { en: 'en-US', cs: 'cs-CZ' };

export type Params = Record<string, string | number>;

const pluralRules = new Map<Lang, Intl.PluralRules>();
const numberFormats = new Map<Lang, Intl.NumberFormat>();

function rulesFor(lang: Lang): Intl.PluralRules {
  let r = pluralRules.get(lang);
  if (!r) pluralRules.set(lang, (r = new Intl.PluralRules(LOCALES[lang])));
  return r;
}

/** A number as the locale writes it: 20,971,520 (en) or 20 971 520 (cs). */
export function formatNumber(lang: Lang, n: number): string {
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(LOCALES[lang])));
  return f.format(n);
}

const decimalFormats = new Map<string, Intl.NumberFormat>();

/** A number with exactly `digits` fraction digits as the locale writes it: 1.5 (en), 1,5 (cs). */
export function formatDecimal(lang: Lang, n: number, digits: number): string {
  const key = `${lang}:${digits}`;
  let f = decimalFormats.get(key);
  if (!f)
    decimalFormats.set(
      key,
      (f = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })),
    );
  return f.format(n);
}

const dateFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A moment as the locale writes a date and time (UTC, said so): "Dec 1, 2026, 23:42:05 UTC" / "1. 12. 2026 23:42:05 UTC". */
export function formatDateTime(lang: Lang, when: Date | number): string {
  let f = dateFormats.get(lang);
  if (!f)
    dateFormats.set(
      lang,
      (f = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC', hourCycle: 'h23' })),
    );
  return `${f.format(when)} UTC`;
}

/** The form of a plural message for `count` (falling back to `other`). */
function pick(lang: Lang, msg: Message, params: Params): string {
  if (typeof msg === 'string') return msg;
  const count = params.count;
  if (typeof count !== 'number') throw new Error('a plural message needs a numeric "count" parameter');
  const category = rulesFor(lang).select(count) as keyof typeof msg;
  return msg[category] ?? msg.other;
}

/** Placeholders: `{name}` (as given) and `{name:number}` (locale number format). */
const PLACEHOLDER = /\{(\w+)(?::(number))?\}/g;

export function t(lang: Lang, id: MessageId, params: Params = {}): string {
  const text = pick(lang, CATALOGUES[lang][id], params);
  return text.replace(PLACEHOLDER, (_whole, name: string, format?: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`message ${id} (${lang}) needs the parameter "${name}"`);
    return format === 'number' && typeof v === 'number' ? formatNumber(lang, v) : String(v);
  });
}

/** `t` bound to one language, for modules that build many messages. */
export type Translate = ((id: MessageId, params?: Params) => string) & { readonly lang: Lang };
export const translator = (lang: Lang): Translate => Object.assign((id: MessageId, params?: Params) => t(lang, id, params), { lang });

/** English, the default wherever no language is passed. */
export const tEn: Translate = translator('en');

/** The placeholder names a message uses (every plural form), for the catalogue test. */
export function placeholdersOf(msg: Message): string[] {
  const forms = typeof msg === 'string' ? [msg] : Object.values(msg).filter((s): s is string => typeof s === 'string');
  const names = new Set<string>();
  for (const f of forms) for (const m of f.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names].sort();
}

export const isLang = (s: unknown): s is Lang => s === 'en' || s === 'cs';

/**
 * The language from the locale variables, in POSIX precedence (LC_ALL, then LC_MESSAGES, then
 * LANG; the first one set wins): `cs`, `cs_CZ`, `cs_CZ.UTF-8` → cs; anything else (C, POSIX,
 * en_US.UTF-8, unset) → en.
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale && /^cs(?:[_.@-]|$)/i.test(locale) ? 'cs' : 'en';
}

/** `--lang` when given, else the locale. */
export function chooseLang(flag: Lang | undefined, env: Readonly<Record<string, string | undefined>>): Lang {
  return flag ?? langFromEnv(env);
}
