// Writes a Config back to ksmg.yaml. Only the keys whose value changed are touched, so the
// user's comments, key order and spelling (durations like `3d`, IDN names) stay as written and
// defaults are not dumped into a short file. The write is atomic (temp file, fsync, rename) and
// the previous file is kept as `<file>.bak`; a failed save leaves the old file as it was.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Document, isCollection, isMap, isScalar, isSeq, type Node, type YAMLSeq } from 'yaml';
import { configSchema, DURATION_KEYS, formatDuration, type Config } from './schema.js';
import { parseConfigText } from './load.js';
import { schemaAt } from './schema-walk.js';
import { ConfigError } from './errors.js';

export interface SaveIo {
  rename: typeof fsp.rename;
  copyFile: typeof fsp.copyFile;
}

export interface SaveOptions {
  /** Keep the previous file as `<file>.bak` (default true). */
  backup?: boolean;
  /** A comment block written at the top of a NEW file (ignored when the file exists). */
  header?: string;
  /** File operations, replaceable in tests to simulate a failure half-way. */
  io?: Partial<SaveIo>;
}

export interface SaveResult {
  path: string;
  /** Path of the copy of the previous file, when there was one. */
  backupPath?: string;
  /** The text written. */
  text: string;
}

export async function saveConfig(path: string, config: Config, opts: SaveOptions = {}): Promise<SaveResult> {
  const io: SaveIo = { rename: fsp.rename, copyFile: fsp.copyFile, ...opts.io };
  // Write through a symlink to its target, so the link itself survives.
  const target = await fsp.realpath(path).catch(() => path);
  const existing = await fsp.readFile(target, 'utf8').then(
    (t) => t,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    },
  );
  let text = renderConfig(config, existing, opts.header);
  // Keep Windows line endings if the file had them.
  if (existing?.includes('\r\n') && text !== existing) text = text.replace(/\r?\n/g, '\r\n');
  const mode = await fsp.stat(target).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );

  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let backupPath: string | undefined;
  try {
    const fh = await fsp.open(tmp, 'wx', mode);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (existing !== undefined && opts.backup !== false) {
      backupPath = `${target}.bak`;
      await io.copyFile(target, backupPath);
    }
    await io.rename(tmp, target);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
  return { path: target, backupPath, text };
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open a directory, which is harmless.
  const fh = await fsp.open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}

/**
 * The YAML text for `config`: the existing text with only the changed keys rewritten, or a new
 * minimal file (only what differs from the defaults) when there is none or it cannot be parsed.
 */
export function renderConfig(config: Config, existingText?: string, header?: string): string {
  let doc: Document;
  let base: Config;
  const parsed = existingText !== undefined ? tryParse(existingText) : undefined;
  if (parsed) {
    if (deepEqual(parsed.config, config)) return existingText!;
    doc = parsed.source.doc as unknown as Document;
    base = parsed.config;
    applyDiff(doc, [], base, config);
  } else {
    doc = new Document(freshFile(config));
    if (header)
      doc.commentBefore = header
        .split('\n')
        .map((l) => (l ? ` ${l}` : ''))
        .join('\n');
  }
  // Values derived at load time (host name, destination mode, the Default rule) may come out
  // differently from the rewritten file; write those explicitly until the file reads back as `config`.
  const toString = { ...TO_STRING, flowCollectionPadding: prefersPadding(existingText ?? '') };
  for (let i = 0; i < 4; i++) {
    const text = doc.toString(toString);
    const back = parseConfigText(text, 'ksmg.yaml (being saved)').config;
    if (deepEqual(back, config)) return text;
    applyDiff(doc, [], back, config);
  }
  throw new ConfigError([
    {
      file: 'ksmg.yaml (being saved)',
      line: 0,
      column: 0,
      path: '',
      message: 'internal error: the configuration does not read back the same after saving; nothing was written',
    },
  ]);
}

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * The yaml library writes every flow collection one way; pick the way most of the user's
 * `[a, b]` / `{ a: 1 }` collections are written (comments and quoted text ignored).
 */
function prefersPadding(text: string): boolean {
  let padded = 0;
  let tight = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s#.*$/, '').replace(/"[^"]*"|'[^']*'/g, '""');
    padded += (line.match(/[[{] [^\]}]/g) ?? []).length;
    tight += (line.match(/[[{][^\s\]}]/g) ?? []).length;
  }
  return padded > tight;
}

/** A new file: version, integration, the domains, and only what differs from the defaults. */
function freshFile(config: Config): Plain {
  const defaults = configSchema.parse({ version: 1, integration: config.integration, mta: { domains: config.mta.domains } });
  const body = minimal(config, defaults, []) as Plain;
  const changed = (body.mta ?? {}) as Plain;
  // Keep the schema's key order, with the domains always written.
  const mta: Plain = {};
  for (const k of Object.keys(config.mta)) {
    if (k === 'domains') mta.domains = minimal(config.mta.domains, undefined, ['mta', 'domains']);
    else if (k in changed) mta[k] = changed[k];
  }
  return { version: 1, integration: config.integration, ...body, mta };
}

function tryParse(text: string) {
  try {
    return parseConfigText(text);
  } catch {
    return undefined;
  }
}

type Path = Array<string | number>;
type Plain = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function applyDiff(doc: Document, path: Path, oldV: unknown, newV: unknown): void {
  if (deepEqual(oldV, newV)) return;
  if (isPlainObject(oldV) && isPlainObject(newV)) {
    for (const [k, v] of Object.entries(newV)) {
      if (v === undefined) {
        if (oldV[k] !== undefined && doc.hasIn([...path, k])) doc.deleteIn([...path, k]);
      } else applyDiff(doc, [...path, k], oldV[k], v);
    }
    for (const k of Object.keys(oldV)) {
      if (!(k in newV) && doc.hasIn([...path, k])) doc.deleteIn([...path, k]);
    }
    return;
  }
  if (Array.isArray(oldV) && Array.isArray(newV)) {
    reconcileList(doc, path, oldV, newV);
    return;
  }
  setValue(doc, path, newV);
}

/** Identity of a list item, so an entry that stays keeps its node (and its comments). */
function itemKey(v: unknown): string | undefined {
  if (isPlainObject(v)) return typeof v.name === 'string' ? `name:${v.name}` : undefined;
  if (v === null || typeof v !== 'object') return `value:${JSON.stringify(v)}`;
  return undefined;
}

function reconcileList(doc: Document, path: Path, oldList: unknown[], newList: unknown[]): void {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) {
    setValue(doc, path, newList);
    return;
  }
  const s = seq as YAMLSeq;
  const used = new Set<number>();
  const nextItems: unknown[] = [];
  const recurse: Array<{ index: number; old: unknown; now: unknown }> = [];
  newList.forEach((item, j) => {
    const key = itemKey(item);
    let i = -1;
    if (key !== undefined) i = oldList.findIndex((o, k) => !used.has(k) && itemKey(o) === key);
    else if (j < oldList.length && !used.has(j)) i = j;
    if (i !== -1 && i < s.items.length) {
      used.add(i);
      nextItems.push(s.items[i]);
      recurse.push({ index: j, old: oldList[i], now: item });
    } else {
      if (i !== -1) used.add(i);
      nextItems.push(doc.createNode(minimal(item, itemDefaults([...path, j], item), [...path, j])));
    }
  });
  s.items = nextItems;
  for (const r of recurse) applyDiff(doc, [...path, r.index], r.old, r.now);
}

const lastKey = (path: Path): string | undefined => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
};

/** The defaults of a new list entry (e.g. a rule with only its name), to write only what differs. */
function itemDefaults(path: Path, item: unknown): unknown {
  if (!isPlainObject(item) || typeof item.name !== 'string') return undefined;
  const schema = schemaAt(
    configSchema,
    path.map((s) => (typeof s === 'number' ? 0 : s)),
  );
  if (!schema) return undefined;
  const r = (schema as unknown as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse({ name: item.name });
  return r.success ? r.data : undefined;
}

/** `value` as written in YAML, leaving out keys equal to `defaults`; durations in units. */
function minimal(value: unknown, defaults: unknown, path: Path): unknown {
  if (isPlainObject(value)) {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const d = isPlainObject(defaults) ? defaults[k] : undefined;
      if (k !== 'name' && defaults !== undefined && deepEqual(v, d)) continue;
      out[k] = minimal(v, d, [...path, k]);
    }
    return out;
  }
  if (Array.isArray(value)) {
    return value.map((item, j) => minimal(item, itemDefaults([...path, j], item), [...path, j]));
  }
  const key = lastKey(path);
  if (key && DURATION_KEYS.has(key) && typeof value === 'number') return formatDuration(value);
  return value;
}

function setValue(doc: Document, path: Path, value: unknown): void {
  const key = lastKey(path);
  const existing = doc.getIn(path, true) as Node | undefined;
  ensureParents(doc, path);
  if (isScalar(existing) && (value === null || typeof value !== 'object')) {
    // Keep the node (its comment and quoting); keep a duration in the form it was written.
    if (key && DURATION_KEYS.has(key) && typeof value === 'number') {
      existing.value = typeof existing.value === 'number' ? value : formatDuration(value);
    } else existing.value = value;
    return;
  }
  const node = doc.createNode(minimal(value, undefined, path));
  if (isCollection(existing) && isCollection(node) && existing.flow) node.flow = true;
  doc.setIn(path, node);
}

/** Makes every ancestor of `path` a collection (an empty `mta:` reads as null, for example). */
function ensureParents(doc: Document, path: Path): void {
  if (!isCollection(doc.contents)) doc.contents = doc.createNode({}) as never;
  for (let i = 1; i < path.length; i++) {
    const prefix = path.slice(0, i);
    const node = doc.getIn(prefix, true);
    if (!isCollection(node)) doc.setIn(prefix, doc.createNode(typeof path[i] === 'number' ? [] : {}));
    else if (isMap(node) && typeof path[i] === 'number') doc.setIn(prefix, doc.createNode([]));
  }
}
