// `/expr/flags` entries of a rule's sender and recipient lists, compiled for RE2 (re2js): its
// matching time is linear in the input, so no pattern and no address can stall the relay (a
// backtracking `(a+)+$` doubles its time with every character). What RE2 cannot express —
// backreferences, lookaround — is refused when the config is loaded, with the file and line.
// Pure: no I/O; shared by the schema (refusal) and the rule engine (matching).
import { RE2JS } from 're2js';

/** Looks like a regular-expression entry (`/…/` with optional flags). */
export function isRegexEntry(pattern: string): boolean {
  return /^\/.+\/[a-z]*$/s.test(pattern.trim());
}

export interface CompiledPattern {
  test(text: string): boolean;
}

const cache = new Map<string, CompiledPattern | string>();

/**
 * The compiled pattern, or the reason RE2 refuses it. Always case-insensitive (addresses are);
 * `s` = dot matches newline, `m` = multi-line anchors; g/y/u/d/v change nothing for a test.
 */
export function compileRegexEntry(pattern: string): CompiledPattern | string {
  const p = pattern.trim();
  const hit = cache.get(p);
  if (hit !== undefined) return hit;
  const m = p.match(/^\/(.+)\/([a-z]*)$/s);
  let out: CompiledPattern | string;
  if (!m) out = 'not a /regular expression/';
  else {
    const unknown = [...m[2]!].filter((f) => !'gimsuyvd'.includes(f));
    if (unknown.length) out = `unknown flag "${unknown.join('')}" (allowed: i, m, s)`;
    else {
      let flags = RE2JS.CASE_INSENSITIVE;
      if (m[2]!.includes('s')) flags |= RE2JS.DOTALL;
      if (m[2]!.includes('m')) flags |= RE2JS.MULTILINE;
      try {
        const re = RE2JS.compile(m[1]!, flags);
        out = { test: (text: string) => re.test(text) };
      } catch (e) {
        out = (e as Error).message.replace(/^error parsing regexp: /, '');
      }
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(p, out);
  return out;
}

/** Why a list entry cannot be used, or null. Masks and addresses are always usable. */
export function regexEntryProblem(pattern: string): string | null {
  if (!isRegexEntry(pattern)) return null;
  const c = compileRegexEntry(pattern);
  return typeof c === 'string'
    ? `"${pattern}" is refused: the rule engine runs regular expressions in linear time (RE2 syntax) and cannot use it: ${c}`
    : null;
}
