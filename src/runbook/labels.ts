// Web-UI wording of the advanced MTA settings (reference/ksmg-product.md §3.2).
import { ADVANCED_DURATION_KEYS, formatDuration } from '../config/schema.js';
import type { Advanced } from '../config/schema.js';

/** The labels come from the one web-UI table the audit uses too. */
export { ADVANCED_FIELDS as ADVANCED_LABELS } from '../audit/ui.js';

const DURATION_FIELDS: ReadonlySet<string> = new Set(ADVANCED_DURATION_KEYS);

const UNIT_WORDS: Record<string, [string, string]> = { s: ['second', 'seconds'], m: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'] };

/** 259200 → "3 days", 4000 → "4000 seconds", 300 → "5 minutes (300 seconds)". */
export function durationWords(seconds: number): string {
  const f = formatDuration(seconds);
  const n = Number(f.slice(0, -1));
  const [one, many] = UNIT_WORDS[f.slice(-1)]!;
  const main = `${n} ${n === 1 ? one : many}`;
  return f.endsWith('s') ? main : `${main} (${seconds} seconds)`;
}

export function advancedValue(key: keyof Advanced, value: unknown): string {
  if (DURATION_FIELDS.has(key) && typeof value === 'number') return durationWords(value);
  if (typeof value === 'boolean') return key === 'disableVrfy' || key === 'strictRfc821Envelopes' || key === 'rejectUnknownRecipientDomains' ? (value ? 'Yes (on)' : 'No (off)') : String(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (value === null) return '(empty)';
  if (typeof value === 'number' && value === 0 && /Limit$/.test(key)) return '0 (unlimited)';
  return String(value);
}
