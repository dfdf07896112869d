import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { buildRunbook } from '../../../src/runbook/index.js';

const steps = (mta: object, lang?: 'en' | 'cs') =>
  buildRunbook(configSchema.parse({ version: 1, integration: 'behind-edge-no-verify', mta }), lang ? { lang } : {});

describe('runbook: outgoing TLS', () => {
  it('sets each domain mode on the Domains page, and the default on TLS Encryption when it is not Attempt TLS', () => {
    const domains = steps({
      destination: { host: 'edge.corp.example' },
      tls: { outgoing: 'encrypt' },
      domains: [
        { name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'none' },
        { name: 'partner.example', local: false, tls: 'verify' },
      ],
    }).find((s) => s.id === 'domains')!;
    expect(domains.actions).toContain('Open corp.example and set its TLS mode for outgoing mail to "No TLS" (none). Save.');
    expect(domains.actions.join('\n')).toMatch(/partner\.example has no route, its mail goes through the edge gateway/);
    expect(domains.actions).toContain(
      'In Settings > Built-in MTA > TLS Encryption, set the outgoing (client) TLS security level to "Require TLS" (encrypt): it applies to every next hop without a domain mode. Save.',
    );
  });

  it('says nothing about TLS for the defaults, and speaks Czech', () => {
    const plain = steps({ domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] }).find((s) => s.id === 'domains')!;
    expect(plain.actions.join('\n')).not.toMatch(/TLS/);
    const cs = steps({ domains: [{ name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'encrypt' }] }, 'cs').find(
      (s) => s.id === 'domains',
    )!;
    expect(cs.actions).toContain(
      'Otevřete doménu corp.example a nastavte její režim TLS pro odchozí poštu na „Vyžadovat TLS“ (encrypt). Klikněte na tlačítko Uložit.',
    );
  });
});
