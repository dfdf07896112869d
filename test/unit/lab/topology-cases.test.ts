// The lab's picture for configurations it used to fail although they are fine (pure: topology,
// planning and the failure texts; the lab runs of the same cases are in test/property).
import { describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { buildTopology } from '../../../src/lab/topology.js';
import { bounceReason, describeDeliveries, sameAddress } from '../../../src/lab/check.js';

const topo = (mta: Record<string, unknown>, integration: ConfigInput['integration'] = 'edge') =>
  buildTopology(configSchema.parse({ version: 1, integration, mta: { trustedNetworks: ['10.0.0.0/24'], ...mta } }));

describe('lab topology', () => {
  it('an IDN local domain: its server knows the users in both spellings', () => {
    const t = topo({ domains: [{ name: 'münchen.example', route: { host: '10.0.0.25' } }] });
    const host = t.hosts.find((h) => h.id === 'internal:10.0.0.25')!;
    expect(host.users).toEqual(expect.arrayContaining(['alice@xn--mnchen-3ya.example', 'alice@münchen.example']));
    expect(t.users.get('xn--mnchen-3ya.example')![0]).toBe('alice@xn--mnchen-3ya.example');
  });

  it('the always-BCC mailbox exists without lab.users, and is never the ordinary user', () => {
    const t = topo({ domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }], advanced: { alwaysBcc: 'archive@corp.example' } });
    expect(t.users.get('corp.example')).toEqual([
      'alice@corp.example',
      'bob@corp.example',
      'postmaster@corp.example',
      'archive@corp.example',
    ]);
  });

  it('reject-unlisted: the scenarios address only listed users', () => {
    const t = topo({
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
      advanced: { recipientVerification: 'reject-unlisted', validRecipients: ['postmaster@corp.example'] },
    });
    expect(t.users.get('corp.example')).toEqual(['postmaster@corp.example']);
    const whole = topo({
      domains: [{ name: 'corp.example' }],
      advanced: { recipientVerification: 'reject-unlisted', validRecipients: ['@corp.example'] },
    });
    expect(whole.users.get('corp.example')![0]).toBe('alice@corp.example');
  });

  it('at the edge a relayhost is a smarthost: no edge client, its own role', () => {
    const t = topo({
      destination: { mode: 'edge-gateway', host: 'smtp.isp.example' },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
    });
    expect(t.clients.edge).toBeNull();
    expect(t.hosts.find((h) => h.names.includes('smtp.isp.example'))!.role).toBe('smarthost');
    const behind = topo(
      { destination: { mode: 'edge-gateway', host: '192.0.2.10' }, domains: [{ name: 'corp.example' }] },
      'behind-edge-no-verify',
    );
    expect(behind.clients.edge).toBe('192.0.2.10');
  });
});

describe('failure texts', () => {
  it('addresses compare case- and IDN-insensitively', () => {
    expect(sameAddress('Bob@XN--MNCHEN-3YA.example', 'bob@münchen.example')).toBe(true);
    expect(sameAddress('bob@corp.example', 'alice@corp.example')).toBe(false);
  });

  it('a bounce in a failure says why the message was not delivered', () => {
    const data = Buffer.from(
      'Content-Type: multipart/report\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; bob@corp.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <bob@corp.example>: Recipient address\r\n    rejected: User unknown\r\n--b--\r\n',
    );
    expect(bounceReason(data)).toBe('550 5.1.1 <bob@corp.example>: Recipient address rejected: User unknown');
    expect(describeDeliveries([{ host: 'edge', role: 'edge', from: '', to: ['alice@sender.example'], data }])[0]).toBe(
      'edge (edge) got MAIL FROM:<> RCPT TO:<alice@sender.example> [bounce: 550 5.1.1 <bob@corp.example>: Recipient address rejected: User unknown]',
    );
  });
});
