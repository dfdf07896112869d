// Applying the mechanical fixes findings carry (Finding.patch) to a Config, and describing them
// as a diff. The result is validated by the schema again, so a patch can never produce a file
// the loader would refuse.
import { configSchema, type Config } from '../config/schema.js';
import type { Finding, PatchOp } from './types.js';

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

type Key = string | number;

/** `mta.domains[2].route.host` → ['mta', 'domains', 2, 'route', 'host']. */
export function parsePath(path: string): Key[] {
  const keys: Key[] = [];
  for (const part of path.split('.')) {
    const m = part.match(/^([^[\]]*)((?:\[\d+\])*)$/);
    if (!m) throw new PatchError(`cannot read the key path "${path}"`);
    if (m[1]) keys.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  return keys;
}

export function getPath(root: unknown, path: string): unknown {
  return parsePath(path).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<Key, unknown>)[k] : undefined), root);
}

function parentOf(root: unknown, keys: Key[], path: string): Record<Key, unknown> {
  let o = root as Record<Key, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === undefined || o[k] === null) o[k] = typeof k === 'number' ? [] : {};
    o = o[k] as Record<Key, unknown>;
    if (typeof o !== 'object') throw new PatchError(`"${path}" does not lead to a setting`);
  }
  return o;
}

/** The ops of several findings, de-duplicated, with removals last and from the highest index down. */
function ordered(ops: PatchOp[]): PatchOp[] {
  const seen = new Set<string>();
  const unique = ops.filter((op) => {
    const k = JSON.stringify(op);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const removals = unique.filter((o) => o.op === 'remove');
  const rest = unique.filter((o) => o.op !== 'remove');
  // Removing mta.trustedNetworks[3] before [1] keeps the other indexes valid.
  removals.sort((a, b) => b.path.localeCompare(a.path, 'en', { numeric: true }));
  return [...rest, ...removals];
}

/** The configuration with every op applied, validated again; throws PatchError when it is not valid. */
export function applyPatches(config: Config, ops: PatchOp[]): Config {
  const doc = structuredClone(config) as unknown as Record<string, unknown>;
  for (const op of ordered(ops)) {
    const keys = parsePath(op.path);
    const parent = parentOf(doc, keys, op.path);
    const last = keys[keys.length - 1]!;
    if (op.op === 'set') parent[last] = structuredClone(op.value);
    else if (op.op === 'add') {
      const list = (parent[last] ?? []) as unknown[];
      if (!Array.isArray(list)) throw new PatchError(`"${op.path}" is not a list`);
      if (!list.some((v) => JSON.stringify(v) === JSON.stringify(op.value))) list.push(structuredClone(op.value));
      parent[last] = list;
    } else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
  }
  const r = configSchema.safeParse(doc);
  if (!r.success) {
    throw new PatchError(
      `the fixes do not make a valid ksmg.yaml: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

const show = (v: unknown): string => (v === undefined ? '(unset)' : JSON.stringify(v));

/** One line per op, as a diff of the settings: `- mta.trustedNetworks[1]: "0.0.0.0/0"`, `~ protection.spf: true → false`. */
export function describePatch(config: Config, ops: PatchOp[]): string[] {
  return ordered(ops).map((op) => {
    const before = getPath(config, op.path);
    if (op.op === 'remove') return `- ${op.path}: ${show(before)}`;
    if (op.op === 'add') return `+ ${op.path}: ${show(op.value)}`;
    return `~ ${op.path}: ${show(before)} → ${show(op.value)}`;
  });
}

/** Every op of these findings. */
export function patchesOf(findings: readonly Finding[]): PatchOp[] {
  return findings.flatMap((f) => f.patch ?? []);
}
