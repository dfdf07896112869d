// Outside the repository (as after `npx ksmg-setup`), `--config examples/NAME.yaml` reads the
// example shipped with the package, so the examples in the help work anywhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers.js';

const elsewhere = mkdtempSync(join(tmpdir(), 'ksmg-elsewhere-'));
const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('shipped examples', () => {
  it('audit --config examples/edge.yaml in an empty folder uses the packaged example', () => {
    const r = run(['audit', '--config', 'examples/edge.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Audit of examples/edge.yaml (integration: edge)');
    expect(r.stderr).toContain(`using the example shipped with ksmg-setup (${join(ROOT, 'examples/edge.yaml')})`);
  });

  it('a file that is not a shipped example is still "does not exist", exit 2', () => {
    const r = run(['runbook', '-c', 'examples/nope.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/examples\/nope\.yaml: the file does not exist/);
  });
});
