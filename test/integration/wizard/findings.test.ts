// The wizard never writes a config its own audit fails without an explicit yes: the review shows
// the audit's findings, errors block (confirm on a terminal, --accept-findings without one), "Fix
// these" applies exactly the findings' patches with a diff; a rerun writes the fix, verifies again
// and prints only the web-UI changes; a new scheme in "edit a step" re-asks what depends on it.
import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDefault, runInit } from '../../../src/wizard/main.js';
import { realServices } from '../../../src/wizard/services.js';
import { DEFAULT, type ScriptItem } from '../../helpers/scripted-prompter.js';
import { wizardDeps } from '../../helpers/wizard-deps.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ksmg-findings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = wizardDeps;

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** Behind a verifying edge 10.0.0.1, trusting 10.0.0.0/8 (which contains the edge). */
const VERIFYING_EDGE_TRUSTED: ScriptItem[] = [
  [/Integration scheme/, 'behind-edge-verify'],
  [/Domain or subdomain/, 'corp.example'],
  [/Local domain/, true],
  [/Route/, true],
  [/Server for/, '10.0.0.25'],
  [/Port/, '25'],
  [/^TLS for mail to/, DEFAULT],
  [/Add another domain/, false],
  [/Edge gateway address/, '10.0.0.1'],
  [/Port/, '25'],
  [/Trusted networks/, []],
  [/Add a trusted network/, '10.0.0.0/8'],
  [/Add a trusted network/, ''],
  [/Use SPF/, DEFAULT],
  [/Use DMARC/, DEFAULT],
  [/Make these/, true],
  [/Reject messages for recipients/, DEFAULT],
  [/Reply code/, DEFAULT],
  [/Change advanced settings/, false],
  [/TLS for received mail/, DEFAULT],
];

describe('the review runs the audit', () => {
  it('shows the edge-inside-trusted error and does not write without a yes', async () => {
    const p = join(dir, 'ksmg.yaml');
    const r = deps([
      ...VERIFYING_EDGE_TRUSTED,
      [/The audit finds 1 error\. What now\?/, 'write'],
      [/although the audit finds 1 error \(networks\.edge-trusted\)/, false],
      [/The audit finds 1 error/, 'cancel'],
    ]);
    expect(await runInit({ config: p, flags: {}, verify: false }, r.d)).toBe(130);
    expect(r.stdout.text()).toMatch(/✖ error mta\.trustedNetworks\[0\].*\[networks\.edge-trusted\]/);
    expect(r.stdout.text()).toMatch(/The edge gateway 10\.0\.0\.1 is inside the trusted network "10\.0\.0\.0\/8"/);
    expect(await exists(p)).toBe(false);
  });

  it('writes it after an explicit "write anyway" confirm', async () => {
    const p = join(dir, 'ksmg.yaml');
    const r = deps([...VERIFYING_EDGE_TRUSTED, [/The audit finds 1 error/, 'write'], [/although/, true]]);
    expect(await runInit({ config: p, flags: {}, verify: false }, r.d)).toBe(0);
    expect(await readFile(p, 'utf8')).toContain('10.0.0.0/8');
  });

  it('"Fix these" applies exactly the findings\' patches, shows them, and reviews again', async () => {
    const p = join(dir, 'ksmg.yaml');
    const script: ScriptItem[] = [...VERIFYING_EDGE_TRUSTED];
    // SPF on behind the edge and the edge trusted as a host of its own: both have a mechanical fix.
    script.splice(
      script.findIndex((s) => Array.isArray(s) && String(s[0]).includes('Add a trusted network')),
      1,
      [/Add a trusted network/, '10.0.0.1'],
      [/Add a trusted network/, '10.0.0.25'],
    );
    script[script.findIndex((s) => Array.isArray(s) && String(s[0]).includes('Use SPF'))] = [/Use SPF/, true];
    const r = deps([...script, [/The audit finds 2 errors/, 'fix'], [/Is this right/, 'write']]);
    expect(await runInit({ config: p, flags: {}, verify: false }, r.d)).toBe(0);
    expect(r.stdout.text()).toMatch(/Changes\n {2}~ protection\.spf: true → false\n {2}- mta\.trustedNetworks\[0\]: "10\.0\.0\.1"/);
    const { config } = await realServices.load(p);
    expect(config.protection.spf).toBe(false);
    expect(config.mta.trustedNetworks).toEqual(['10.0.0.25']);
    expect(config.mta.destination.host).toBe('10.0.0.1');
  });
});

describe('without a terminal', () => {
  // The issue's own command line.
  const FLAGS = {
    integration: 'behind-edge-verify',
    domain: ['corp.example=10.0.0.25'],
    relayhost: '192.0.2.10',
    trusted: ['10.0.0.25'],
    spf: true,
    dmarc: true,
    rejectToDelete: false,
    recipientVerification: 'reject-unverified',
  };

  it('init with answers the audit fails exits 1, says why, and writes nothing', async () => {
    const p = join(dir, 'ksmg.yaml');
    const r = deps([], { tty: false });
    expect(await runInit({ config: p, flags: FLAGS, verify: false }, r.d)).toBe(1);
    const err = r.stderr.text();
    expect(err).toMatch(/not writing .*ksmg\.yaml: the audit finds 4 errors in these answers/);
    for (const id of ['protection.spf', 'protection.dmarc', 'rules[0].antiPhishing.phishing', 'rules[0].contentFiltering.sizeExceeded'])
      expect(err).toContain(`✖ ${id}:`);
    expect(err).toMatch(/--accept-findings/);
    expect(await exists(p)).toBe(false);
  });

  it('--accept-findings writes it and says so', async () => {
    const p = join(dir, 'ksmg.yaml');
    const r = deps([], { tty: false });
    expect(await runInit({ config: p, flags: { ...FLAGS, acceptFindings: true }, verify: false }, r.d)).toBe(0);
    expect(r.stderr.text()).toMatch(/with 4 audit errors, as --accept-findings asks/);
    expect(await exists(p)).toBe(true);
  });
});

const HAND = `version: 1
integration: behind-edge-no-verify
mta:
  hostname: ksmg.corp.example
  domains: [{ name: corp.example, route: { host: 10.0.0.25 } }]
  destination: { host: 192.0.2.10 }
  trustedNetworks: [10.0.0.25, 0.0.0.0/0]   # someone added this by hand
  advanced: { queueRunDelay: 5m }
protection: { spf: true, dmarc: false }
rules:
  - name: Default
    antiPhishing: { phishing: delete-message }
    contentFiltering: { sizeExceeded: delete-message }
    mailAuthentication: { spf: delete-message, dkim: delete-message, dmarc: delete-message }
`;

describe('rerun', () => {
  it('"Fix these" applies the patches, shows the diff, writes, verifies again and prints only the web-UI changes', async () => {
    const p = join(dir, 'ksmg.yaml');
    await writeFile(p, HAND);
    const verified: number[] = [];
    const r = deps(
      [
        [/What next/, 'patch'],
        [/What next/, 'quit'],
      ],
      {
        services: { verify: async ({ config }) => (verified.push(config.mta.trustedNetworks.length), { exitCode: 0 }) },
      },
    );
    // The lab passed after the fix, so quitting reports success.
    expect(await runDefault({ config: p }, r.d)).toBe(0);
    const out = r.stdout.text();
    expect(out).toMatch(/Changes\n {2}~ protection\.spf: true → false\n {2}- mta\.trustedNetworks\[1\]: "0\.0\.0\.0\/0"/);
    expect(verified).toEqual([1]);
    expect(out).toMatch(
      /Now change in the KSMG web interface\n1\. Add the trusted networks\n.*\n {3}- In "Trusted networks" remove 0\.0\.0\.0\/0\.\n {3}- Save\.\n\n2\. Turn off SPF and DMARC checks\n.*\n {3}- "Use SPF": off\./,
    );
    expect(out).not.toMatch(/Add the local domains/);
    const text = await readFile(p, 'utf8');
    expect(text).toContain('# someone added this by hand');
    expect(text).not.toContain('0.0.0.0/0');
    expect(await readFile(`${p}.bak`, 'utf8')).toBe(HAND);
  });

  it('changing the scheme in "edit a step" re-asks every step that depends on it, with the new recommendations', async () => {
    const p = join(dir, 'ksmg.yaml');
    await writeFile(p, HAND.replace('0.0.0.0/0', '10.0.0.0/24').replace('spf: true', 'spf: false'));
    const r = deps([
      [/What next/, 'edit'],
      [/Which step/, 'scheme'],
      [/Integration scheme/, 'edge'],
      [/Outgoing mail/, DEFAULT],
      [/Use SPF/, DEFAULT],
      [/Use DMARC/, DEFAULT],
      [/Reject messages for recipients/, DEFAULT],
      [/Reply code/, DEFAULT],
      [/Is this right/, 'write'],
      [/What next/, 'quit'],
    ]);
    expect(await runDefault({ config: p }, r.d)).toBe(0);
    const defaults = Object.fromEntries(r.prompt.transcript.map((t) => [t.message, t.default]));
    expect(defaults['Outgoing mail']).toBe('dns');
    expect(defaults['Reject messages for recipients']).toBe('reject-unverified');
    const { config } = await realServices.load(p);
    expect(config.integration).toBe('edge');
    expect(config.mta.destination.mode).toBe('dns');
    expect([config.protection.spf, config.protection.dmarc]).toEqual([true, true]);
    expect(config.mta.advanced.recipientVerification).toBe('reject-unverified');
  });
});
