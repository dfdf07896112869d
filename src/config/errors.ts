// Errors a mail admin reads when ksmg.yaml cannot be used. Every problem names the file, the
// line and column, the key path, what was found and what is allowed.

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
    super(problems.length === 1 && first ? formatProblem(first) : `${problems.length} problems in ${first?.file ?? 'the configuration'}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** All problems, one per line, in file order: `ksmg.yaml:12:7: mta.port: expected … found …`. */
  format(): string {
    const head =
      this.problems.length === 1
        ? `The configuration cannot be used (1 problem):`
        : `The configuration cannot be used (${this.problems.length} problems):`;
    return [head, ...this.problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
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
