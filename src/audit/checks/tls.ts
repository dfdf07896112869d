// TLS Encryption, receiving side (mta.tls): the side senders (the Internet, or the edge gateway)
// talk to should offer STARTTLS, and a gateway that receives from the Internet must not require it
// (RFC 3207 §4: a publicly referenced SMTP server must not require TLS; Postfix's docs say the same
// of smtpd_tls_security_level = encrypt).
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

export const tlsChecks: AuditCheck[] = [
  {
    id: 'tls.no-starttls',
    severity: 'warning',
    title: 'The receiving side offers STARTTLS (TLS Encryption is not "No TLS")',
    run(c, t = tEn) {
      if (c.mta.tls.securityLevel !== 'none') return [];
      return [
        {
          message: t(c.integration === 'edge' ? 'finding.tls.no-starttls.edge' : 'finding.tls.no-starttls.behind-edge'),
          path: 'mta.tls.securityLevel',
          fix: t('finding.tls.no-starttls.fix'),
          uiPath: UI.tls,
          patch: [{ op: 'set', path: 'mta.tls.securityLevel', value: 'may' }],
        },
      ];
    },
  },
  {
    id: 'tls.encrypt-on-edge',
    severity: 'warning',
    title: 'A gateway that receives from the Internet does not require TLS',
    run(c, t = tEn) {
      if (c.integration !== 'edge' || c.mta.tls.securityLevel !== 'encrypt') return [];
      return [
        {
          message: t('finding.tls.encrypt-on-edge.message'),
          path: 'mta.tls.securityLevel',
          fix: t('finding.tls.encrypt-on-edge.fix'),
          uiPath: UI.tls,
          patch: [{ op: 'set', path: 'mta.tls.securityLevel', value: 'may' }],
        },
      ];
    },
  },
];
