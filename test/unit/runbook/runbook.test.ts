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
    expect(s.map((x) => x.id)).toEqual(['domains', 'destination', 'trusted-networks', 'external-services', 'rules', 'recipient-verification', 'advanced']);
    expect(step(s, 'domains').actions[0]).toBe('Click "Add domain", enter corp.example, turn ON "Local domain"; routing: deliver to 10.0.0.25, port 25, "Use MX lookup" not ticked. Save.');
    expect(step(s, 'destination').actions).toContain('In "Email destination address" choose "Send via edge gateway".');
    expect(step(s, 'destination').actions).toContain('Enter the edge gateway address edge.corp.example and port 25; leave "Use MX lookup" unticked.');
    expect(step(s, 'trusted-networks').actions).toContain('In "Trusted networks" enter 2001:db8:10::/48 and click "Add".');
    expect(step(s, 'external-services').actions).toEqual(expect.arrayContaining(['"Use SPF": off.', '"Use DMARC": off.', '"Use DKIM": on.']));
    expect(step(s, 'rules').actions).toEqual(expect.arrayContaining([
      'Rule "Default" > Anti-Phishing: for "phishing" choose "Delete message".',
      'Rule "Default" > Content Filtering: for "message size exceeded" choose "Delete message".',
    ]));
    expect(step(s, 'recipient-verification').actions[0]).toBe('In "Reject messages for recipients" choose "Do not reject".');
    expect(step(s, 'advanced').actions[0]).toMatch(/"Deferred queue processing interval": 5 minutes \(300 seconds\) \(KSMG default 1000 seconds\)/);
  });

  it('edge: DNS delivery, sender authentication on, Reject for unverified recipients with code 550', async () => {
    const s = await steps('examples/edge.yaml');
    expect(step(s, 'destination').title).toBe('Deliver outgoing mail by DNS');
    expect(step(s, 'external-services').actions.slice(0, 4)).toEqual([
      '"Allow connection to DNS server": on.', '"Use SPF": on.', '"Use DKIM": on.', '"Use DMARC": on.',
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
