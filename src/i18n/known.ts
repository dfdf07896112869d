// Messages written in English by code that has no language of its own (the config schema's zod
// messages, the loader's problem texts, src/config/net.ts's reasons), read back into their
// catalogue id and parameters and rendered in another language. Each English template of a
// section (`config.`) becomes an anchored pattern; a parameter is translated the same way in
// turn, so "is required: expected a port number 1–65535" becomes Czech in both parts. A text that
// matches no template is returned as it is (a library's own message, a user's value).
import { en, type MessageId } from './en.js';
import { t, type Lang, type Params } from './index.js';

interface Matcher {
  id: MessageId;
  re: RegExp;
  names: string[];
}

const PLACEHOLDER = /\{(\w+)(?::number)?\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matcherFor(id: MessageId, template: string): Matcher {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    source += escape(template.slice(last, m.index));
    const name = m[1]!;
    // A placeholder written twice ("… {v4} written as IPv6; enter {v4}") must match the same text.
    source += names.includes(name) ? `\\k<${name}>` : `(?<${name}>[\\s\\S]+?)`;
    if (!names.includes(name)) names.push(name);
    last = m.index + m[0].length;
  }
  source += escape(template.slice(last));
  return { id, re: new RegExp(`^${source}$`), names };
}

const literalLength = (template: string) => template.replace(PLACEHOLDER, '').length;

/** The sections whose English texts are written outside the catalogue's callers: config errors and option values. */
export const KNOWN_SECTIONS = ['config.', 'cli.known.'] as const;

let matchers: Matcher[] | undefined;

/**
 * The templates in the order they are tried: the wrappers (`config.wrap.*`, which put words
 * around another message) first, then the most specific (longest literal text) first, so
 * "expected {what}" is the last resort.
 */
function allMatchers(): Matcher[] {
  if (matchers) return matchers;
  const entries = (Object.entries(en) as Array<[MessageId, unknown]>).filter(
    (e): e is [MessageId, string] => KNOWN_SECTIONS.some((p) => e[0].startsWith(p)) && typeof e[1] === 'string',
  );
  const isWrap = (id: string) => id.includes('.wrap.');
  const wraps = entries.filter(([id]) => isWrap(id));
  const rest = entries.filter(([id]) => !isWrap(id)).sort((a, b) => literalLength(b[1]) - literalLength(a[1]));
  matchers = [...wraps, ...rest].map(([id, text]) => matcherFor(id, text));
  return matchers;
}

/** The catalogue id and parameters an English text was made from, or undefined. */
export function parseKnown(text: string): { id: MessageId; params: Record<string, string> } | undefined {
  for (const m of allMatchers()) {
    const r = m.re.exec(text);
    if (!r) continue;
    const params: Record<string, string> = {};
    for (const name of m.names) params[name] = r.groups![name]!;
    return { id: m.id, params };
  }
  return undefined;
}

/** An English message of these sections in `lang` (unchanged for English or an unknown text). */
export function translateKnown(lang: Lang, text: string, depth = 0): string {
  if (lang === 'en' || depth > 6) return text;
  const found = parseKnown(text);
  if (!found) return text;
  const params: Params = {};
  for (const [k, v] of Object.entries(found.params)) params[k] = translateKnown(lang, v, depth + 1);
  return t(lang, found.id, params);
}
