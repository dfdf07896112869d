// Assembles src/policy/line-scan.wat into src/policy/line-scan-wasm.ts (the module's bytes,
// base64), so neither the build nor a user's install needs an assembler: `npm run build:wasm`.
// test/unit/policy/line-facts.test.ts assembles the source the same way and compares.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../src/policy/line-scan.wat', import.meta.url));
const TARGET = fileURLToPath(new URL('../src/policy/line-scan-wasm.ts', import.meta.url));

/** The module's bytes, assembled by wabt with SIMD on. */
export async function assemble(text) {
  const { default: wabt } = await import('wabt');
  const w = await wabt();
  const mod = w.parseWat('line-scan.wat', text, { simd: true });
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** The TypeScript file that carries `bytes`. */
export function render(bytes) {
  return `// Generated from line-scan.wat by scripts/build-wasm.mjs (npm run build:wasm): do not edit.
export const LINE_SCAN_WASM =
  '${bytes.toString('base64')}';
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await assemble(await readFile(SOURCE, 'utf8'));
  await writeFile(TARGET, render(bytes));
  console.log(`line-scan.wat → line-scan-wasm.ts (${bytes.length} bytes)`);
}
