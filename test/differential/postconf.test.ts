// `export postfix` output passes `postconf -c DIR -n` without a warning, for every example config
// and for configs the wizard writes (one per integration scheme). Needs Postfix installed; see
// postfix-instance.ts for the skip rule (a skip fails under CI=true).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { promisify } from 'node:util';
import { Chalk } from 'chalk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { exportPostfix } from '../../src/export/postfix.js';
import { writePostfixExport } from '../../src/export/write.js';
import { runInit, type WizardDeps } from '../../src/wizard/main.js';
import { realServices } from '../../src/wizard/services.js';
import { scriptedPrompter, sink } from '../helpers/scripted-prompter.js';
import { postfixAvailability } from './postfix-instance.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true and ${avail.reason}`);
if (!avail.ok) console.log(`skipped: ${avail.reason}`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-postconf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function postconfClean(config: Awaited<ReturnType<typeof loadConfig>>['config'], name: string): Promise<string> {
  const out = join(dir, `export-${name}`);
  await writePostfixExport(exportPostfix(config), out);
  const r = await run('/usr/sbin/postconf', ['-c', out, '-n']);
  return r.stderr;
}

const WIZARD_FLAGS: Record<string, Record<string, unknown>> = {
  'behind-edge-no-verify': { integration: 'behind-edge-no-verify', domain: ['corp.example=10.0.0.25'], relayhost: 'edge.corp.example' },
  'behind-edge-verify': { integration: 'behind-edge-verify', domain: ['corp.example=10.0.0.25'], relayhost: '192.0.2.10:25' },
  edge: { integration: 'edge', domain: ['corp.example=10.0.0.25', 'corp-mail.example'], trusted: ['10.0.0.25', '2001:db8:10::/48'] },
};

describe.skipIf(!avail.ok).concurrent('postconf -n on export postfix output', () => {
  it('gives no warning for every example config', async () => {
    const examples = (await readdir(join(ROOT, 'examples'))).filter((f) => f.endsWith('.yaml'));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    await Promise.all(
      examples.map(async (f) => {
        let loaded;
        try {
          loaded = await loadConfig(join(ROOT, 'examples', f));
        } catch (e) {
          if (e instanceof ConfigError) return; // a deliberately unusable example
          throw e;
        }
        expect(await postconfClean(loaded.config, f), f).toBe('');
      }),
    );
  });

  it.each(Object.keys(WIZARD_FLAGS))("gives no warning for the wizard's %s config", async (scheme) => {
    const file = join(dir, `${scheme}.yaml`);
    const d: WizardDeps = {
      prompt: scriptedPrompter([]),
      stdout: sink(),
      stderr: sink(),
      style: new Chalk({ level: 0 }),
      services: { ...realServices, verify: null },
      tty: false,
    };
    const code = await runInit({ config: file, yes: true, verify: false, flags: WIZARD_FLAGS[scheme]! }, d);
    expect(code, (d.stderr as ReturnType<typeof sink>).text()).toBe(0);
    expect(await postconfClean((await loadConfig(file)).config, scheme)).toBe('');
  });
});

describe.skipIf(!avail.ok)("withParams (the test instance's overrides)", () => {
  it('replaces a parameter so Postfix reads exactly the new value (no trailing note in it)', async () => {
    const { withParams } = await import('./postfix-instance.js');
    const { mkdir, writeFile } = await import('node:fs/promises');
    const out = join(dir, 'with-params');
    await mkdir(out, { recursive: true });
    await writeFile(
      join(out, 'main.cf'),
      withParams('disable_vrfy_command = yes\nsmtpd_banner = $myhostname ESMTP\n', {
        disable_vrfy_command: 'no',
        smtpd_banner: 'gw.example ESMTP lab',
        message_size_limit: '1000',
      }),
    );
    await writeFile(join(out, 'master.cf'), '');
    const r = await run('/usr/sbin/postconf', ['-c', out, '-h', 'disable_vrfy_command', 'smtpd_banner', 'message_size_limit']);
    expect(r.stdout).toBe('no\ngw.example ESMTP lab\n1000\n');
    expect(r.stderr).toBe('');
  });
});
