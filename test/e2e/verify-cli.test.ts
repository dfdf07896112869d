// `ksmg-setup verify` through the built binary (test/global-setup.ts builds dist/): exit codes 0/1/2, reporters and outputs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ksmg-verify-e2e-'));
const run = (args: string[]) =>
  spawnSync(process.execPath, ['bin/ksmg-setup.js', 'verify', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });

describe('ksmg-setup verify (built CLI)', () => {
  it('exits 0 when every scenario passes, with plain progress off a TTY', () => {
    const r = run(['--config', 'test/fixtures/lab/behind-edge-verify.yaml', '--filter', 'relay']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ Untrusted client cannot relay to a foreign domain/);
    expect(r.stdout).toMatch(/all passed: \d+\/\d+ scenarios passed for behind-edge-verify/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('exits 1 on a failing scenario; junit to a file, pretty to stderr when json takes stdout', () => {
    const cfg = join(dir, 'untrusted-internal.yaml');
    writeFileSync(
      cfg,
      readFileSync('test/fixtures/lab/behind-edge-no-verify.yaml', 'utf8').replace(
        'trustedNetworks: [10.0.0.0/24, "2001:db8:10::/48"]',
        'trustedNetworks: [10.0.0.25]',
      ),
    );
    const xml = join(dir, 'out.xml');
    const r = run([
      '--config',
      cfg,
      '--filter',
      'outbound',
      '--reporter',
      'junit',
      '--output',
      xml,
      '--reporter',
      'json',
      '--reporter',
      'pretty',
    ]);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { summary: { failed: number }; scenarios: Array<{ id: string; status: string }> };
    expect(json.summary.failed).toBe(1);
    expect(json.scenarios.find((s) => s.status === 'failed')!.id).toBe('outbound/internal-server-sends-out-via-edge[10.0.0.26]');
    expect(r.stderr).toMatch(/observed: 554 5\.7\.1 <bob@elsewhere\.example\.net>: Relay access denied/);
    expect(r.stderr).toMatch(/why: Internal servers must be in the trusted networks/);
    const junit = readFileSync(xml, 'utf8');
    expect(junit).toMatch(/failures="1"/);
    expect(junit).toMatch(/C: XCLIENT ADDR=10\.0\.0\.26/);
  });

  it('exits 2 on unusable input: missing config, bad scenario file, bad options', () => {
    expect(run(['--config', join(dir, 'nope.yaml')]).status).toBe(2);
    const bad = join(dir, 'bad-scenarios');
    execFileSync('mkdir', ['-p', bad]);
    writeFileSync(join(bad, 'typo.yaml'), 'name: x\nenvelope: { from: a@b.example, to: [c@d.example] }\nexpct: {}\n');
    const r = run(['--config', 'test/fixtures/lab/edge.yaml', '--scenarios', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/typo\.yaml:3:1: unknown key "expct"/);
    expect(run(['--config', 'test/fixtures/lab/edge.yaml', '--shard', '3/2']).status).toBe(2);
    expect(run(['--config', 'test/fixtures/lab/edge.yaml', '--reporter', 'tap']).status).toBe(2);
  });
});

describe('ksmg-setup verify: nothing to run', () => {
  it('exits 2 when --filter matches no scenario', () => {
    const r = run(['--config', 'test/fixtures/lab/edge.yaml', '--filter', 'no-such-scenario-xyz']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no scenario matched/);
  });
});
