// Where the built-in scenario packs are: `scenarios/` at the package root (from src/lab or dist/lab).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILTIN_SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
