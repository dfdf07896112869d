// Web-UI wording of the advanced MTA settings' values (reference/ksmg-product.md §3.2), per language.
import { ADVANCED_DURATION_KEYS, formatDuration } from '../config/schema.js';
import type { Advanced } from '../config/schema.js';
import { t, type Lang, type MessageId } from '../i18n/index.js';

/** The labels come from the one web-UI table the audit uses too. */
export { ADVANCED_FIELDS as ADVANCED_LABELS } from '../audit/ui.js';

const DURATION_FIELDS: ReadonlySet<string> = new Set(ADVANCED_DURATION_KEYS);

const UNIT_IDS: Record<string, MessageId> = { s: 'runbook.unit.s', m: 'runbook.unit.m', h: 'runbook.unit.h', d: 'runbook.unit.d' };

/** 259200 → "3 days", 4000 → "4000 seconds", 300 → "5 minutes (300 seconds)" (Czech: "5 minut (300 s)"). */
export function durationWords(seconds: number, lang: Lang = 'en'): string {
  const f = formatDuration(seconds);
  const n = Number(f.slice(0, -1));
  const main = t(lang, UNIT_IDS[f.slice(-1)]!, { count: n });
  return f.endsWith('s') ? main : t(lang, 'runbook.value.inSeconds', { main, seconds });
}

export function advancedValue(key: keyof Advanced, value: unknown, lang: Lang = 'en'): string {
  if (DURATION_FIELDS.has(key) && typeof value === 'number') return durationWords(value, lang);
  if (typeof value === 'boolean') {
    return key === 'disableVrfy' || key === 'strictRfc821Envelopes' || key === 'rejectUnknownRecipientDomains'
      ? t(lang, value ? 'runbook.value.yes' : 'runbook.value.no')
      : String(value);
  }
  if (Array.isArray(value)) return value.length ? value.join(', ') : t(lang, 'runbook.value.none');
  if (value === null) return t(lang, 'runbook.value.empty');
  if (typeof value === 'number' && value === 0 && /Limit$/.test(key)) return t(lang, 'runbook.value.unlimited');
  return String(value);
}
