// `npm run build` runs this (node dist/lab/compile-packs.js) after tsc: it validates every
// built-in scenario file and writes their validated forms to builtin-packs.json (pack-cache.ts).
// A scenario that does not validate, or whose validated form does not survive JSON unchanged, is
// left out (parsed at run time, which reports its problems as it always did).
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { PACK_CACHE_URL, textHash, type PackCacheFile } from './pack-cache.js';
import { readScenarioFiles, parseScenario } from './scenario.js';
import { BUILTIN_SCENARIOS } from './builtin.js';

const out: PackCacheFile = { format: 1, scenarios: {} };
let skipped = 0;
for (const { file, text, error } of await readScenarioFiles(BUILTIN_SCENARIOS)) {
  // A file that does not read or validate is left to run time, which reports it at its line.
  if (text === undefined) {
    process.stderr.write(`compile-packs: ${file}: ${error}\n`);
    skipped++;
    continue;
  }
  let scenario;
  try {
    ({ scenario } = parseScenario(text, file));
  } catch (e) {
    process.stderr.write(`compile-packs: ${(e as Error).message}\n`);
    skipped++;
    continue;
  }
  const copy = JSON.parse(JSON.stringify(scenario)) as unknown;
  if (isDeepStrictEqual(copy, scenario)) out.scenarios[textHash(text)] = scenario;
  else skipped++;
}
writeFileSync(PACK_CACHE_URL, JSON.stringify(out));
process.stdout.write(
  `compiled ${Object.keys(out.scenarios).length} built-in scenarios${skipped ? ` (${skipped} left to run-time parsing)` : ''}\n`,
);
