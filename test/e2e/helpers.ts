// Runs the built CLI (bin/ksmg-setup.js) as a child process; test/global-setup.ts builds dist/ first.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/ksmg-setup.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ksmg-setup ...args` in the repository root; NO_COLOR/FORCE_COLOR only as given in `env`. */
export function runBuiltCli(args: string[], env: Record<string, string> = {}, input?: string): CliRun {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...base, ...env },
    input,
    timeout: 20000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
