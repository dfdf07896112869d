// Builds dist/ once per test run when it is missing or older than src/, so the e2e tests run the
// CLI exactly as a user does (bin/ksmg-setup.js → dist/cli.js) without each file racing to build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/cli.js')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs);
  if (built >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // As `npm run build`: the built-in packs compiled next to the built lab (src/lab/compile-packs.ts).
  execFileSync(process.execPath, [join(ROOT, 'dist/lab/compile-packs.js')], { cwd: ROOT, stdio: 'inherit' });
}
