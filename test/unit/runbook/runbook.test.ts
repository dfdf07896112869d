import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { defaultConfig } from '../../../src/config/schema.js';
import { buildRunbook, renderRunbook } from '../../../src/runbook/index.js';

const steps = async (file: string) => buildRunbook((await loadConfig(file)).config);
const step = (s: Awaited<ReturnType<typeof steps>>, id: string) => {
  const found = s.find((x) => x.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

describe('buildRunbook', () => {
  it('behind-edge-no-verify follows the seed order and fills in the values', async () => {
    const s = await steps('examples/behind-edge-no-verify.yaml');
    expect(s.map((x) => x.id)).toEqual([
      'domains',
      'destination',
      'trusted-networks',
      'external-services',
      'rules',
      'recipient-verification',
      'advanced',
    ]);
    expect(step(s, 'domains').actions[0]).toBe(
      'Click "Add domain", enter corp.example, turn ON "Local domain"; routing: deliver to 10.0.0.25, port 25, "Use MX lookup" not ticked. Save.',
    );
    expect(step(s, 'destination').actions).toContain('In "Email destination address" choose "Send via edge gateway".');
    expect(step(s, 'destination').actions).toContain(
      'Enter the edge gateway address edge.corp.example and port 25; leave "Use MX lookup" unticked.',
    );
    expect(step(s, 'trusted-networks').actions).toContain('In "Trusted networks" enter 2001:db8:10::/48 and click "Add".');
    expect(step(s, 'external-services').actions).toEqual(
      expect.arrayContaining(['"Use SPF": off.', '"Use DMARC": off.', '"Use DKIM": on.']),
    );
    expect(step(s, 'rules').actions).toEqual(
      expect.arrayContaining([
        'Rule "Default" > Anti-Phishing: for "phishing" choose "Delete message".',
        'Rule "Default" > Content Filtering: for "message size exceeded" choose "Delete message".',
      ]),
    );
    expect(step(s, 'recipient-verification').actions[0]).toBe('In "Reject messages for recipients" choose "Do not reject".');
    // KSMG 2.x has no queue timing fields: said once, not a step to do there.
    expect(step(s, 'advanced').actions[0]).toMatch(
      /^Nothing to enter for "Deferred queue processing interval" 5 minutes \(300 seconds\): only the KSMG 1\.1 console/,
    );
  });

  it('edge: DNS delivery, sender authentication on, Reject for unverified recipients with code 550', async () => {
    const s = await steps('examples/edge.yaml');
    expect(step(s, 'destination').title).toBe('Deliver outgoing mail by DNS');
    expect(step(s, 'external-services').actions.slice(0, 4)).toEqual([
      '"Allow connection to DNS server": on.',
      '"Use SPF": on.',
      '"Use DKIM": on.',
      '"Use DMARC": on.',
    ]);
    expect(step(s, 'rules').actions).toEqual(['Keep the rules as they are (KSMG defaults).']);
    expect(step(s, 'recipient-verification').actions.slice(0, 2)).toEqual([
      'In "Reject messages for recipients" choose "Reject for unverified recipients".',
      'Reject code for unverified recipients: 550.',
    ]);
  });

  it('new rules are created in position, with mode changes', async () => {
    const s = await steps('examples/broken.yaml');
    expect(step(s, 'rules').actions.slice(0, 2)).toEqual([
      'Create rule "Block list" at position 1 of 2 (the first matching rule wins): senders *@spam.example; recipients *.',
      'Rule "Block list" > General: set the mode to "Reject without scanning".',
    ]);
  });

  it('a default config leaves out the optional steps and points at what is missing', () => {
    const s = buildRunbook(defaultConfig('behind-edge-no-verify'));
    expect(s.map((x) => x.id)).not.toContain('advanced');
    expect(step(s, 'domains').actions[0]).toMatch(/No domains are listed/);
    expect(step(s, 'trusted-networks').actions[0]).toMatch(/No trusted networks/);
    expect(step(s, 'destination').actions[1]).toMatch(/missing in ksmg.yaml: set mta.destination.host/);
  });

  it('shows an IDN domain in both forms', () => {
    const s = buildRunbook(defaultConfig('edge', [{ name: 'příklad.cz' }]));
    expect(step(s, 'domains').actions[0]).toMatch(/enter xn--pklad-zsa96e\.cz \(příklad\.cz\)/);
  });

  it('lists valid recipients for reject-unlisted', () => {
    const c = defaultConfig('edge', [{ name: 'corp.example' }]);
    c.mta.advanced.recipientVerification = 'reject-unlisted';
    c.mta.advanced.validRecipients = ['postmaster@corp.example', '@corp.example'];
    expect(step(buildRunbook(c), 'recipient-verification').actions).toEqual([
      'In "Reject messages for recipients" choose "Reject for recipients not in valid list".',
      'Add the valid recipient postmaster@corp.example.',
      'Add the valid recipient @corp.example (the whole domain).',
      'Save.',
    ]);
  });
});

describe('renderRunbook', () => {
  it('text: numbered steps with Where, actions and Why', async () => {
    const out = renderRunbook(await steps('examples/behind-edge-no-verify.yaml'), 'text', { title: 'Runbook' });
    expect(out).toMatch(/^Runbook\n\n1\. Add the local domains\n {3}Where: Settings > Built-in MTA > Domains\n {3}- Click "Add domain"/);
    expect(out).toMatch(/\n4\. Turn off SPF and DMARC checks\n {3}Where: Settings > General > Protection > External services\n/);
    expect(out).toMatch(/ {3}Why: .*seed step 4/);
    expect(out.endsWith('Save.\n')).toBe(true);
  });

  it('markdown: headings, checkboxes, escaped wildcards', async () => {
    const out = renderRunbook(await steps('examples/broken.yaml'), 'markdown', { title: 'Runbook' });
    expect(out).toMatch(/^# Runbook\n\n## 1\. Add the local domains\n\n\*\*Where:\*\* Settings > Built-in MTA > Domains\n\n- \[ \] Click/);
    expect(out).toContain('senders \\*@spam.example; recipients \\*.');
    expect(out).toMatch(/\n> .*seed step 5\)\.\n/);
  });
});

describe('one KSMG version at a time, one table of web-UI paths', () => {
  it('the 1.1 console: its paths and labels, the queue timing fields as steps', async () => {
    const { config } = await loadConfig('examples/behind-edge-no-verify.yaml');
    const s = buildRunbook(
      { ...config, mta: { ...config.mta, advanced: { ...config.mta.advanced, sessionTimeout: 60 } } },
      { version: '1.1' },
    );
    expect(step(s, 'advanced').uiPath).toBe('Settings > MTA > Advanced settings');
    expect(step(s, 'advanced').actions).toEqual(
      expect.arrayContaining([
        '"SMTP session timeout": 1 minute (60 seconds) (KSMG default 30 seconds).',
        '"Deferred queue processing interval": 5 minutes (300 seconds) (KSMG default 1000 seconds).',
      ]),
    );
    expect(s.every((x) => !x.uiPath.includes('Built-in MTA'))).toBe(true);
  });

  it('the audit and the runbook name the same place for the bounce lifetime', async () => {
    const { runAudit } = await import('../../../src/audit/index.js');
    const { advancedFieldPath } = await import('../../../src/audit/ui.js');
    const c = defaultConfig('edge', [{ name: 'corp.example', route: { host: '10.0.0.25' } }]);
    c.mta.advanced.bounceQueueLifetime = 5 * 86400;
    const finding = runAudit(c).find((f) => f.id === 'queue.bounce-lifetime')!;
    expect(finding.uiPath).toBe('Settings > Built-in MTA > Advanced settings > Maximum queue lifetime for a bounce message');
    expect(finding.uiPath).toBe(advancedFieldPath('bounceQueueLifetime'));
    const adv = buildRunbook(c).find((x) => x.id === 'advanced')!;
    expect(finding.uiPath.startsWith(adv.uiPath)).toBe(true);
    expect(adv.actions[0]).toMatch(/^"Maximum queue lifetime for a bounce message": 5 days/);
  });
});

describe('runbookChanges: a rerun says what to change, not everything again', () => {
  it('lists only the changed settings, removals included', async () => {
    const { runbookChanges, renderRunbookChanges } = await import('../../../src/runbook/index.js');
    const { config: before } = await loadConfig('examples/behind-edge-no-verify.yaml');
    const after = structuredClone(before);
    after.mta.trustedNetworks = after.mta.trustedNetworks.filter((n) => n !== '10.0.0.26');
    after.mta.trustedNetworks.push('10.0.20.0/24');
    after.protection.dkim = false;
    const steps = runbookChanges(before, after);
    expect(steps.map((x) => x.id)).toEqual(['trusted-networks', 'external-services']);
    expect(step(steps, 'trusted-networks').actions).toEqual([
      'In "Trusted networks" remove 10.0.0.26.',
      'In "Trusted networks" enter 10.0.20.0/24 and click "Add".',
      'Save.',
    ]);
    expect(step(steps, 'external-services').actions).toEqual(['"Use DKIM": off.', 'Save.']);
    expect(renderRunbookChanges(before, structuredClone(before))).toMatch(/^Nothing to change in the KSMG web interface/);
  });
});

describe('ksmg-setup runbook --since / --ksmg-version', () => {
  const collect = () => {
    let out = '';
    let err = '';
    return {
      stdout: { write: (s: string) => (out += s), isTTY: false },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      env: {},
      out: () => out,
      err: () => err,
    };
  };
  it('--since prints only the changes relative to the earlier file; --ksmg-version 1.1 speaks the 1.1 console', async () => {
    const { runbookMain } = await import('../../../src/cli/runbook.js');
    const io = collect();
    expect(
      await runbookMain({ config: 'examples/behind-edge-verify.yaml', format: 'text', since: 'examples/behind-edge-no-verify.yaml' }, io),
    ).toBe(0);
    expect(io.out()).not.toMatch(/Turn off SPF and DMARC checks/);
    expect(io.out()).toMatch(/In "Trusted networks" remove 10\.0\.0\.26\./);
    expect(io.out()).toMatch(/choose "Reject for unverified recipients"/);
    const v11 = collect();
    expect(await runbookMain({ config: 'examples/behind-edge-no-verify.yaml', format: 'text', ksmgVersion: '1.1' }, v11)).toBe(0);
    expect(v11.out()).toMatch(/\(KSMG 1\.1\)\n/);
    expect(v11.out()).toMatch(/Where: Settings > MTA > Advanced settings\n/);
    const missing = collect();
    expect(await runbookMain({ config: 'examples/edge.yaml', format: 'text', since: 'nope.yaml' }, missing)).toBe(2);
  });
});
