import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit/index.js';
import { configSchema } from '../../../src/config/schema.js';

const audit = (integration: string, mta: object, lang: 'en' | 'cs' = 'en') =>
  runAudit(configSchema.parse({ version: 1, integration, mta }), undefined, lang).filter((f) => f.id.startsWith('tls.'));

describe('audit: outgoing TLS', () => {
  it('warns about no TLS towards a server on a public address, per domain and for the default', () => {
    const f = audit('edge', {
      trustedNetworks: ['10.0.0.0/8'],
      domains: [
        { name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'none' },
        { name: 'branch.example', route: { host: '198.51.100.25' }, tls: 'none' },
      ],
    });
    expect(f.map((x) => [x.id, x.path, x.uiPath])).toEqual([
      ['tls.plaintext-to-untrusted-network', 'mta.domains[1].tls', 'Settings > Built-in MTA > Domains'],
    ]);
    expect(f[0]!.patch).toEqual([{ op: 'set', path: 'mta.domains[1].tls', value: 'may' }]);
    const byDefault = audit('edge', { tls: { outgoing: 'none' }, domains: [{ name: 'corp.example', route: { host: '198.51.100.25' } }] });
    expect(byDefault.map((x) => [x.id, x.path, x.uiPath])).toEqual([
      ['tls.plaintext-to-untrusted-network', 'mta.tls.outgoing', 'Settings > Built-in MTA > TLS Encryption'],
    ]);
  });

  it('says a domain mode has no effect when the mail goes through the relayhost', () => {
    const f = audit('behind-edge-no-verify', {
      destination: { host: 'edge.corp.example' },
      domains: [{ name: 'partner.example', local: false, tls: 'encrypt' }],
    });
    expect(f.map((x) => x.id)).toEqual(['tls.domain-mode-via-relayhost']);
    expect(f[0]!.message).toMatch(/Postfix looks up the relayhost's next hop in smtp_tls_policy_maps, never partner\.example/);
    expect(f[0]!.patch).toEqual([{ op: 'remove', path: 'mta.domains[0].tls' }]);
  });

  it('warns about verify without a CA file and verify towards an IP address', () => {
    const f = audit('edge', { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'verify' }] });
    expect(f.map((x) => x.id).sort()).toEqual(['tls.verify-ip-next-hop', 'tls.verify-without-ca']);
    const named = audit('edge', {
      tls: { caFile: '/etc/ksmg/ca.pem' },
      domains: [{ name: 'corp.example', route: { host: 'mail.corp.example' }, tls: 'verify' }],
    });
    expect(named).toEqual([]);
  });

  it('speaks Czech with the same ids and web-UI paths in Czech', () => {
    const f = audit('edge', { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'verify' }] }, 'cs');
    expect(f.find((x) => x.id === 'tls.verify-without-ca')!.message).toMatch(/certifikační/);
  });

  it('finds nothing for the defaults (may everywhere)', () => {
    expect(audit('edge', { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] })).toEqual([]);
  });
});
