// The built CLI without a terminal: it never waits on a prompt, names what is missing, exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ksmg-setup.js');
let dir: string;

const run = (...args: string[]) =>
  spawnSync('node', [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15000,
    env: { ...process.env, NO_COLOR: '1' },
  });

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('run `npm run build` first: this test drives the built CLI');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ksmg-setup without a terminal', () => {
  it('bare, with no ksmg.yaml: exit 2 and says to use init with flags', () => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no ksmg.yaml here and no terminal/);
  });

  it('init with nothing: exit 2 naming every missing flag', () => {
    const r = run('init');
    expect(r.status).toBe(2);
    for (const f of ['--integration', '--domain', '--relayhost', '--trusted', '--spf/--no-spf', '--recipient-verification'])
      expect(r.stderr).toContain(f);
    expect(existsSync(join(dir, 'ksmg.yaml'))).toBe(false);
  });

  it('init with the needed flags and --yes writes ksmg.yaml and prints the review', async () => {
    const r = run('init', '--integration', 'edge', '--domain', 'corp.example=10.0.0.25', '--yes', '--no-verify');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Review/);
    expect(await readFile(join(dir, 'ksmg.yaml'), 'utf8')).toMatch(/integration: edge/);
  });

  it('init whose answers the audit fails exits 1, says why and writes nothing; --accept-findings writes it', () => {
    // The command: SPF/DMARC on and Reject kept behind a verifying edge.
    const args = [
      'init',
      '--integration',
      'behind-edge-verify',
      '--domain',
      'corp.example=10.0.0.25',
      '--relayhost',
      '192.0.2.10',
      '--trusted',
      '10.0.0.25',
      '--spf',
      '--dmarc',
      '--no-reject-to-delete',
      '--recipient-verification',
      'reject-unverified',
      '--no-verify',
    ];
    const r = run(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not writing ksmg\.yaml: the audit finds 4 errors in these answers/);
    expect(r.stderr).toMatch(/--accept-findings/);
    expect(existsSync(join(dir, 'ksmg.yaml'))).toBe(false);
    const accepted = run(...args, '--accept-findings');
    expect(accepted.status).toBe(0);
    expect(existsSync(join(dir, 'ksmg.yaml'))).toBe(true);
  });

  it('an invalid choice or an unknown command is a usage error (2)', () => {
    expect(run('init', '--integration', 'sideways').status).toBe(2);
    const r = run('inti');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'inti'/);
  });
});

describe('ksmg-setup init then verification', () => {
  it("writes ksmg.yaml, prints the runbook, replays the scheme in the lab; the exit code is the lab's", async () => {
    const r = spawnSync(
      'node',
      [
        BIN,
        'init',
        '--integration',
        'behind-edge-no-verify',
        '--domain',
        'corp.example=10.0.0.25:25',
        '--relayhost',
        'edge.corp.example:25',
        '--trusted',
        '10.0.0.0/8',
        '--yes',
      ],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(existsSync(join(dir, 'ksmg.yaml'))).toBe(true);
    expect(r.stdout).toMatch(/Now in the KSMG web interface/);
    expect(r.stdout).toMatch(/Send via edge gateway/);
    const summary = /(\d+)\/(\d+) scenarios passed for behind-edge-no-verify/.exec(r.stdout + r.stderr);
    expect(summary, r.stdout + r.stderr).not.toBeNull();
    expect(r.status).toBe(summary![1] === summary![2] ? 0 : 1);
  }, 60000);
});
