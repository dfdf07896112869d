// The TLS Encryption runbook step: only when ksmg.yaml differs from the appliance as shipped.
import { describe, expect, it } from 'vitest';
import { buildRunbook } from '../../../src/runbook/index.js';
import { makeConfig } from '../../helpers/relay-fixture.js';

const tlsStep = (c: ReturnType<typeof makeConfig>, lang: 'en' | 'cs' = 'en') => buildRunbook(c, { lang }).find((s) => s.id === 'tls');

describe('runbook: TLS Encryption', () => {
  it('has no step for Attempt TLS with the appliance certificate (the KSMG default)', () => {
    expect(tlsStep(makeConfig())).toBeUndefined();
  });

  it('Require TLS with a certificate: the level, the certificate and its key, why', () => {
    const c = makeConfig((x) => (x.mta.tls = { securityLevel: 'encrypt', certFile: '/etc/ksmg/gw.pem', keyFile: '/etc/ksmg/gw.key' }));
    expect(tlsStep(c)).toEqual({
      id: 'tls',
      title: 'Set the TLS encryption of received mail',
      uiPath: 'Settings > Built-in MTA > TLS Encryption',
      actions: [
        'Set "Server TLS security level" to "Require TLS".',
        'Under "Certificate", install the certificate /etc/ksmg/gw.pem with its private key /etc/ksmg/gw.key (the gateway presents it to senders in STARTTLS).',
        'Save.',
      ],
      why: 'Require TLS refuses every sender that does not use STARTTLS (530 5.7.0).',
    });
  });

  it('No TLS, in Czech (labels not in the seed: our translation)', () => {
    const s = tlsStep(
      makeConfig((x) => (x.mta.tls = { securityLevel: 'none' })),
      'cs',
    )!;
    expect(s.uiPath).toBe('Nastavení > Integrovaný agent MTA > Šifrování TLS');
    expect(s.actions[0]).toBe('Nastavte „Úroveň zabezpečení TLS serveru“ na „Bez TLS“.');
  });
});
