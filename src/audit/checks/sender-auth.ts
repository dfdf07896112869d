// Settings > General > Protection > External services: SPF/DMARC must be off behind an edge
// gateway (seed step 4) and should be on at the edge.
import type { Config } from '../../config/schema.js';
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

/** KSMG: with DNS off, SPF/DKIM/DMARC are all off; with SPF or DKIM off, DMARC is off too. */
export function effectiveSenderAuth(c: Config) {
  const p = c.protection;
  const spf = p.dns && p.spf;
  const dkim = p.dns && p.dkim;
  return { spf, dkim, dmarc: spf && dkim && p.dmarc };
}

export const senderAuthChecks: AuditCheck[] = [
  {
    id: 'sender-auth.spf-behind-edge',
    severity: 'error',
    title: 'Behind an edge gateway, Use SPF is off',
    run(c, t = tEn) {
      if (c.integration === 'edge' || !(c.protection.dns && c.protection.spf)) return [];
      return [
        {
          message: t('finding.sender-auth.spf-behind-edge.message'),
          path: 'protection.spf',
          fix: t('finding.sender-auth.spf-behind-edge.fix'),
          uiPath: UI.externalServices,
          patch: [{ op: 'set', path: 'protection.spf', value: false }],
        },
      ];
    },
  },
  {
    id: 'sender-auth.dmarc-behind-edge',
    severity: 'error',
    title: 'Behind an edge gateway, Use DMARC is off',
    run(c, t = tEn) {
      if (c.integration === 'edge' || !(c.protection.dns && c.protection.dmarc)) return [];
      return [
        {
          message: t('finding.sender-auth.dmarc-behind-edge.message'),
          path: 'protection.dmarc',
          fix: t('finding.sender-auth.dmarc-behind-edge.fix'),
          uiPath: UI.externalServices,
          patch: [{ op: 'set', path: 'protection.dmarc', value: false }],
        },
      ];
    },
  },
  {
    id: 'sender-auth.spf-off-edge',
    severity: 'warning',
    title: 'At the edge, SPF is checked',
    run(c, t = tEn) {
      if (c.integration !== 'edge' || effectiveSenderAuth(c).spf) return [];
      const dnsOff = !c.protection.dns;
      return [
        {
          message: t(dnsOff ? 'finding.sender-auth.spf-off-edge.message.dnsOff' : 'finding.sender-auth.spf-off-edge.message.spfOff'),
          path: dnsOff ? 'protection.dns' : 'protection.spf',
          fix: t(dnsOff ? 'finding.sender-auth.spf-off-edge.fix.dnsOff' : 'finding.sender-auth.spf-off-edge.fix.spfOff'),
          uiPath: UI.externalServices,
        },
      ];
    },
  },
  {
    id: 'sender-auth.dmarc-off-edge',
    severity: 'warning',
    title: 'At the edge, DMARC is checked',
    run(c, t = tEn) {
      const eff = effectiveSenderAuth(c);
      // With SPF off the SPF warning already says DMARC is off.
      if (c.integration !== 'edge' || !eff.spf || eff.dmarc) return [];
      const dkimOff = !eff.dkim;
      return [
        {
          message: t(
            dkimOff ? 'finding.sender-auth.dmarc-off-edge.message.dkimOff' : 'finding.sender-auth.dmarc-off-edge.message.dmarcOff',
          ),
          path: dkimOff ? 'protection.dkim' : 'protection.dmarc',
          fix: t(dkimOff ? 'finding.sender-auth.dmarc-off-edge.fix.dkimOff' : 'finding.sender-auth.dmarc-off-edge.fix.dmarcOff'),
          uiPath: UI.externalServices,
        },
      ];
    },
  },
];
