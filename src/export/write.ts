// Writes a PostfixExport into a directory (the writer half of `export postfix`).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostfixExport } from './postfix.js';

/** Writes main.cf, master.cf and the map sources into `dir`; returns the paths written. */
export async function writePostfixExport(exp: PostfixExport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [['main.cf', exp.mainCf], ['master.cf', exp.masterCf], ...Object.entries(exp.maps)];
  const written: string[] = [];
  for (const [name, text] of files) {
    const p = path.join(dir, name);
    await writeFile(p, text);
    written.push(p);
  }
  return written;
}
