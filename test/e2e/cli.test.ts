// The built CLI as a user runs it (test/global-setup.ts builds dist/ when it is stale).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runBuiltCli as run } from './helpers.js';

describe('ksmg-setup (built)', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists the commands and exit codes', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/audit \[options\]/);
    expect(r.stdout).toMatch(/runbook \[options\]/);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it.each(['audit', 'runbook'])('%s --help has examples and exit codes', (cmd) => {
    const r = run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}ksmg-setup /);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it('an unknown command exits 2 with a clear error', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it.each([['audit'], ['runbook']])('%s: an unknown option exits 2', (cmd) => {
    const r = run([cmd, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('a bad --format value exits 2 and names the choices', () => {
    const r = run(['audit', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are text, json/);
  });
});

describe('audit (built)', () => {
  it.each(['edge', 'behind-edge-verify', 'behind-edge-no-verify'])('examples/%s.yaml → exit 0', (name) => {
    const r = run(['audit', '--config', `examples/${name}.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Audit of examples/${name}.yaml (integration: ${name})`);
  });

  it('broken.yaml → exit 1, grouped text without colour when not a TTY', () => {
    const r = run(['audit', '--config', 'examples/broken.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Errors (13)');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('FORCE_COLOR adds colour, NO_COLOR wins over it', () => {
    expect(run(['audit', '--config', 'examples/broken.yaml'], { FORCE_COLOR: '1' }).stdout).toMatch(/\x1b\[/);
    expect(run(['audit', '--config', 'examples/broken.yaml'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(/\x1b\[/);
  });

  it('--format json prints the documented JSON on stdout', () => {
    const r = run(['audit', '--config', 'examples/broken.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, ok: false, summary: { errors: 13, warnings: 2, info: 2 } });
  });

  it('a missing file → exit 2 with the reason', () => {
    const r = run(['audit', '--config', 'does-not-exist.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does-not-exist.yaml: the file does not exist/);
  });

  it('an invalid file → exit 2, every problem with file:line:column; JSON lists the problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksmg-e2e-'));
    const file = join(dir, 'ksmg.yaml');
    writeFileSync(file, 'version: 1\nintegration: edgy\nmta:\n  domains: [{ name: corp.example, locl: true }]\n');
    const r = run(['audit', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:14: integration: expected one of edge, behind-edge-verify, behind-edge-no-verify, found "edgy"`);
    expect(r.stderr).toMatch(/:4:35: mta\.domains\[0\]\.locl: unknown key "locl" \(did you mean "local"\?\)/);
    const j = run(['audit', '--config', file, '--format', 'json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).problems).toHaveLength(2);
  });
});

describe('runbook (built)', () => {
  it('prints the numbered steps, exit 0', () => {
    const r = run(['runbook', '--config', 'examples/behind-edge-no-verify.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KSMG web-UI runbook for examples\/behind-edge-no-verify.yaml/);
    expect(r.stdout).toMatch(/\n1\. Add the local domains\n/);
    expect(r.stderr).toBe('');
  });

  it('markdown, with a note on stderr when the config has audit errors', () => {
    const r = run(['runbook', '--config', 'examples/broken.yaml', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# KSMG web-UI runbook/);
    expect(r.stderr).toMatch(/has 13 audit errors/);
  });

  it('a missing file → exit 2', () => {
    expect(run(['runbook', '--config', 'nope.yaml']).code).toBe(2);
  });
});

describe('a reader that stops early (ksmg-setup --help | head -1)', () => {
  it('exits quietly with 0 instead of an EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, ROOT } = await import('./helpers.js');
    const child = spawn(process.execPath, [BIN, 'export', 'postfix', '-c', 'examples/edge.yaml'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Close our end before the CLI writes, as `head` does once it has its lines: every write
    // of the child then meets a closed pipe (EPIPE), whatever the pipe buffer size.
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|internal error/);
    expect(code).toBe(0);
  });
});
