// The built-in packs compiled once, when the package is built (compile-packs.ts writes
// builtin-packs.json next to this module): every built-in scenario file's validated form, by the
// SHA-256 of its text. Reading ~90 YAML files and validating them cost verify ~0.25 s of CPU at
// each start (a cold YAML parser and zod), more than all the lab's hosts take to start. A file
// whose text is not the one compiled (edited after the build, or no cache: the TypeScript sources)
// is parsed as before, so what a scenario says is always what its file says now.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Scenario } from './scenario.js';

export const PACK_CACHE_URL = new URL('./builtin-packs.json', import.meta.url);

export interface PackCacheFile {
  format: 1;
  /** SHA-256 (base64) of a scenario file's text → what parseScenario made of it. */
  scenarios: Record<string, Scenario>;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** A cache file's entries, or null when there is none (or it is of another format or unreadable). */
export function readPackCache(url: URL = PACK_CACHE_URL): Map<string, Scenario> | null {
  try {
    const file = JSON.parse(readFileSync(url, 'utf8')) as PackCacheFile;
    return file.format === 1 ? new Map(Object.entries(file.scenarios)) : null;
  } catch {
    return null;
  }
}

/** This process's cache: read once (null when there is none, and then not looked for again). */
let compiled: { cache: Map<string, Scenario> | null } | undefined;

/** The compiled form of a built-in scenario file with exactly this text (a copy of its own), if any. */
export function compiledScenario(
  text: string,
  cache: Map<string, Scenario> | null = (compiled ??= { cache: readPackCache() }).cache,
): Scenario | undefined {
  const hit = cache?.get(textHash(text));
  return hit ? structuredClone(hit) : undefined;
}
