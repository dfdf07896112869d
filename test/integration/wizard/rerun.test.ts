// A rerun on a hand-written ksmg.yaml: every prompt prefilled with the current value, and the
// admin's comments and key order survive the save (a .bak of the previous file is kept).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInit } from '../../../src/wizard/main.js';
import { realServices } from '../../../src/wizard/services.js';
import { DEFAULT, type ScriptItem } from '../../helpers/scripted-prompter.js';
import { wizardDeps } from '../../helpers/wizard-deps.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-rerun-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HAND_WRITTEN = `# KSMG for corp.example — owned by the mail team, ask Jana before changing.
version: 1
integration: behind-edge-no-verify   # the edge (Exchange Online) does not verify recipients
mta:
  # The Exchange box behind KSMG.
  domains:
    - name: corp.example
      route: { host: 10.0.0.25, port: 25 }
  destination:
    host: edge.corp.example   # our edge
  trustedNetworks: [10.0.0.0/8]   # internal only, never the DMZ
protection:
  spf: false   # seed step 4
  dmarc: false
`;

const deps = (script: ScriptItem[], tty: boolean) => wizardDeps(script, { tty });

describe('rerun on a hand-written ksmg.yaml', () => {
  it('prefills every prompt with the current value and keeps the comments', async () => {
    const p = join(dir, 'ksmg.yaml');
    await writeFile(p, HAND_WRITTEN);
    const { d, prompt } = deps(
      [
        [/Integration scheme/, DEFAULT],
        [/corp.example → 10.0.0.25:25/, 'keep'],
        [/Add another domain/, DEFAULT],
        [/Edge gateway address/, DEFAULT],
        [/Port/, DEFAULT],
        [/MX lookup/, DEFAULT],
        [/Trusted networks/, DEFAULT],
        [/Add a trusted network/, '192.168.10.0/24'],
        [/Add a trusted network/, ''],
        [/Use SPF/, DEFAULT],
        [/Use DMARC/, DEFAULT],
        [/Make these/, true],
        [/Reject messages for recipients/, DEFAULT],
        [/Change advanced settings/, DEFAULT],
        [/TLS for received mail/, DEFAULT],
        [/Is this right/, 'write'],
      ],
      true,
    );
    expect(await runInit({ config: p, flags: {}, verify: false }, d)).toBe(0);
    const defaults = Object.fromEntries(prompt.transcript.map((t) => [t.message, t.default]));
    expect(defaults['Integration scheme']).toBe('behind-edge-no-verify');
    expect(defaults['Edge gateway address (IPv4, IPv6 or host name)']).toBe('edge.corp.example');
    expect(prompt.transcript.find((t) => /Use SPF/.test(t.message))!.default).toBe(false);
    expect(prompt.transcript.find((t) => t.kind === 'checkbox')!.default).toEqual(['10.0.0.0/8']);

    const text = await readFile(p, 'utf8');
    for (const comment of [
      '# KSMG for corp.example — owned by the mail team',
      '# the edge (Exchange Online) does not verify recipients',
      '# The Exchange box behind KSMG.',
      '# our edge',
      '# seed step 4',
    ]) {
      expect(text).toContain(comment);
    }
    expect(text).toContain('192.168.10.0/24');
    expect(text.indexOf('version:')).toBeLessThan(text.indexOf('integration:'));
    expect(await readFile(`${p}.bak`, 'utf8')).toBe(HAND_WRITTEN);
  });

  it('non-interactive: flags change only what they name, comments stay', async () => {
    const p = join(dir, 'ksmg.yaml');
    await writeFile(p, HAND_WRITTEN);
    const { d, prompt } = deps([], false);
    // Rejecting behind an edge that does not verify is an audit error: written only when accepted.
    const refused = deps([], false);
    expect(await runInit({ config: p, flags: { recipientVerification: 'reject-unverified' }, verify: false }, refused.d)).toBe(1);
    expect(refused.d.stderr).toBeDefined();
    expect(await readFile(p, 'utf8')).toBe(HAND_WRITTEN);
    expect(
      await runInit({ config: p, flags: { recipientVerification: 'reject-unverified', acceptFindings: true }, verify: false }, d),
    ).toBe(0);
    expect(prompt.transcript).toHaveLength(0);
    const text = await readFile(p, 'utf8');
    expect(text).toContain('# internal only, never the DMZ');
    expect(text).toContain('# the edge (Exchange Online) does not verify recipients');
    expect(text).toMatch(/recipientVerification: reject-unverified/);
  });

  it('non-interactive: a new scheme brings its recommendations for what follows from it', async () => {
    const p = join(dir, 'ksmg.yaml');
    await writeFile(p, HAND_WRITTEN);
    const { d } = deps([], false);
    expect(await runInit({ config: p, flags: { integration: 'edge' }, verify: false }, d)).toBe(0);
    const config = (await realServices.load(p)).config;
    expect(config.integration).toBe('edge');
    expect(config.mta.destination.mode).toBe('dns');
    expect(config.protection.spf).toBe(true);
    expect(config.mta.advanced.recipientVerification).toBe('reject-unverified');
    expect(config.mta.trustedNetworks).toContain('10.0.0.0/8');
    expect(await readFile(p, 'utf8')).toContain('# KSMG for corp.example — owned by the mail team');
  });
});
