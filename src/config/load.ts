// Reads ksmg.yaml into the one Config. YAML syntax errors and every schema problem are reported
// at once, each with file:line:column, the key path, what was found and what is allowed.
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { ConfigError, formatPath, parsePath, type ConfigProblem } from './errors.js';
import { allowedKeysAt, schemaAt } from './schema-walk.js';

export { ConfigError } from './errors.js';

export interface Position {
  line: number;
  column: number;
}

/** Where a Config came from: keeps the YAML document so findings can point at lines. */
export interface ConfigSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /**
   * Position of the value at `path` (`mta.domains[0].name` or segments). When the key is not in
   * the file (a default), the nearest ancestor that is written in the file, or undefined.
   */
  locate(path: string | ReadonlyArray<string | number>, opts?: { exact?: boolean }): Position | undefined;
}

export interface LoadedConfig {
  config: Config;
  source: ConfigSource;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'the file does not exist (create one with `ksmg-setup init`, or pass --config FILE)'
        : err.code === 'EISDIR'
          ? 'this is a directory, not a ksmg.yaml file'
          : err.code === 'EACCES'
            ? 'permission denied while reading the file'
            : `the file cannot be read (${err.code ?? err.message})`;
    throw new ConfigError([{ file: path, line: 0, column: 0, path: '', message: why }]);
  }
  return parseConfigText(text, path);
}

/** Parses YAML text; `file` is only used in messages. Throws ConfigError with all problems. */
export function parseConfigText(text: string, file = 'ksmg.yaml'): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const source = makeSource(file, text, doc, lineCounter);

  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : { line: 0, col: 0 });
        return {
          file,
          line: at.line,
          column: at.col,
          path: '',
          message: `YAML syntax error: ${yamlMessage(e.message, e.code)}`,
        };
      }),
    );
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias bomb ("Excessive alias count") or an unresolvable alias.
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: `YAML cannot be read: ${(e as Error).message.split('\n')[0]}` }]);
  }
  if (data === null || data === undefined) {
    throw new ConfigError([
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message: 'the file is empty; it needs at least `version: 1`, `integration:` and `mta.domains:`',
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const p = doc.contents ? pos(doc.contents.range[0]) : { line: 1, column: 1 };
    throw new ConfigError([
      {
        file,
        ...p,
        path: '',
        message: `expected a mapping of keys (version, integration, mta, …), found ${describeValue(data)}`,
      },
    ]);
  }

  dropEmptySections(data as Record<string, unknown>, []);
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => problemsFromIssue(issue, data, source));
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(problems);
  }
  return { config: result.data, source };
}

/**
 * A section or list whose entries are all commented out reads as null (`advanced:` alone on a
 * line); it means "the defaults", so it is removed before validation rather than reported.
 */
function dropEmptySections(obj: Record<string, unknown>, path: Array<string | number>): void {
  for (const [key, value] of Object.entries(obj)) {
    const here = [...path, key];
    if (value === null) {
      const type = (schemaAt(configSchema, here) as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type;
      if (type === 'object' || type === 'array' || type === 'record') delete obj[key];
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) dropEmptySections(item as Record<string, unknown>, [...here, i]);
      });
    } else if (typeof value === 'object') {
      dropEmptySections(value as Record<string, unknown>, here);
    }
  }
}

function makeSource(file: string, text: string, doc: Document.Parsed, lineCounter: LineCounter): ConfigSource {
  return {
    file,
    text,
    doc,
    lineCounter,
    locate(path, opts) {
      const segs = typeof path === 'string' ? parsePath(path) : [...path];
      const found = deepestNode(doc, segs);
      if (!found || (opts?.exact && found.depth < segs.length)) return undefined;
      // The document root is not a useful location for a key that is not written at all.
      if (found.depth === 0) return undefined;
      const p = lineCounter.linePos(found.offset);
      return { line: p.line, column: p.col };
    },
  };
}

/** Walks the document along `segs`; returns the deepest node found and its start offset. */
function deepestNode(doc: Document.Parsed, segs: ReadonlyArray<string | number>): { depth: number; offset: number } | null {
  let node: unknown = doc.contents;
  if (!node) return null;
  let offset = (node as Node).range?.[0] ?? 0;
  let depth = 0;
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      const value = pair.value as Node | null;
      // A scalar is shown where its value is; a mapping or list where its key is.
      const keyStart = (pair.key as Node).range?.[0];
      offset = (isScalar(value) ? value.range?.[0] : keyStart) ?? keyStart ?? offset;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
    depth++;
  }
  return { depth, offset };
}

/** Offset of the key `key` inside the map at `path` (for unknown keys). */
function keyOffset(doc: Document.Parsed, path: ReadonlyArray<string | number>, key: string): number | undefined {
  const map = path.length ? doc.getIn(path, true) : doc.contents;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
  return (pair?.key as Node | undefined)?.range?.[0];
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): { present: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !((seg as string) in (cur as object))) return { present: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return { present: true, value: cur };
}

/** `"reject"`, `true`, `a list`, … — how a found value is shown in a message. */
export function describeValue(v: unknown): string {
  if (v === null) return 'an empty value (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text value',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of keys',
  array: 'a list',
};

/** zod's own messages start like this; ours (from the schema) are already specific. */
const ZOD_DEFAULT = /^(Invalid input|Invalid option|Unrecognized key|Too small|Too big|Invalid string|Invalid element|Invalid key)/;

function problemsFromIssue(issue: z.core.$ZodIssue, data: unknown, source: ConfigSource): ConfigProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const at = (segs: ReadonlyArray<string | number>) => source.locate(segs) ?? { line: 1, column: 1 };
  const found = valueAt(data, path);
  const foundText = found.present ? `, found ${describeValue(found.value)}` : '';

  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(configSchema, path);
    return issue.keys.map((key) => {
      const off = keyOffset(source.doc, path, key);
      const p = off !== undefined ? source.lineCounter.linePos(off) : undefined;
      const hint = allowed ? suggest(key, allowed) : undefined;
      return {
        file: source.file,
        line: p?.line ?? at(path).line,
        column: p?.col ?? at(path).column,
        path: formatPath([...path, key]),
        message:
          `unknown key "${key}"` +
          (hint ? ` (did you mean "${hint}"?)` : '') +
          (allowed ? `; allowed keys here: ${allowed.join(', ')}` : ''),
      };
    });
  }

  let message: string;
  const custom = !ZOD_DEFAULT.test(issue.message);
  if (!found.present && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    message = `is required${issue.code === 'invalid_value' ? `: one of ${issue.values.map(String).join(', ')}` : ''}`;
    if (custom) message = `is required: ${issue.message}`;
  } else if (custom) {
    message = found.present ? `${issue.message} (found ${describeValue(found.value)})` : issue.message;
  } else if (issue.code === 'invalid_value') {
    message = `expected one of ${issue.values.map((v) => String(v)).join(', ')}${foundText}`;
  } else if (issue.code === 'invalid_type') {
    const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
    const yes =
      typeof found.value === 'string' && /^(yes|no|on|off|y|n)$/i.test(found.value) && issue.expected === 'boolean'
        ? ' (YAML 1.2 reads yes/no/on/off as text: write true or false)'
        : '';
    // A list entry written as a bare name where an object with `name:` is expected.
    const named =
      issue.expected === 'object' && typeof found.value === 'string' && allowedKeysAt(configSchema, path)?.includes('name')
        ? ` (write it as { name: ${found.value} })`
        : '';
    message = `expected ${expected}${foundText}${yes}${named}`;
  } else if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) {
    message = 'must not be empty';
  } else if (issue.code === 'too_small' || issue.code === 'too_big') {
    const rel = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
    message = `expected ${rel} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${unit}${foundText}`;
  } else {
    message = `${issue.message}${foundText}`;
  }
  const p = at(path);
  return [{ file: source.file, line: p.line, column: p.column, path: formatPath(path), message }];
}

/** The allowed key closest to a typo, when it is close enough to be a likely intent. */
function suggest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function yamlMessage(msg: string, code: string): string {
  // yaml appends "at line L, column C:" and a source excerpt; we give the position ourselves.
  const first = msg.split('\n')[0] ?? msg;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `${text} (each key may appear only once in a mapping)`;
  if (code === 'TAB_AS_INDENT') return `${text} (indent with spaces, not tabs)`;
  return text;
}
