// Errors a mail admin reads when ksmg.yaml cannot be used. Every problem names the file, the
// line and column, the key path, what was found and what is allowed. The loader and the schema
// write the message in English; formatting in another language reads it back into the catalogue
// (src/i18n/known.ts), so the structure (file:line:col: path: message) is the same in every language.
import { t, type Lang } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';

export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. the file could not be read). */
  line: number;
  column: number;
  /** Key path such as `mta.domains[0].route.host`; '' for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const first = problems[0];
    super(
      problems.length === 1 && first
        ? formatProblem(first)
        : t('en', 'config.problemsIn', { count: problems.length, file: first?.file ?? 'ksmg.yaml' }),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** All problems, one per line, in file order: `ksmg.yaml:12:7: mta.port: expected … found …`. */
  format(lang: Lang = 'en'): string {
    return [this.heading(lang), ...this.problems.map((p) => `  ${formatProblem(p, lang)}`)].join('\n');
  }

  /** "The configuration cannot be used (2 problems):" in `lang`. */
  heading(lang: Lang = 'en'): string {
    return t(lang, 'config.cannotUse', { count: this.problems.length });
  }
}

export function formatProblem(p: ConfigProblem, lang: Lang = 'en'): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const message = translateKnown(lang, p.message);
  return p.path ? `${where}: ${p.path}: ${message}` : `${where}: ${message}`;
}

/** `['mta', 'domains', 0, 'name']` → `mta.domains[0].name`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** `mta.domains[0].name` → `['mta', 'domains', 0, 'name']`. */
export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}
