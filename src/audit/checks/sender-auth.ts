// Settings > General > Protection > External services: SPF/DMARC must be off behind an edge
// gateway (seed step 4) and should be on at the edge.
import type { Config } from '../../config/schema.js';
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';

const BEHIND_EDGE_REASON =
  'behind an edge gateway every message reaches KSMG from the edge gateway\'s address, so the check compares ' +
  'the edge gateway\'s IP with the sender domain\'s SPF record and fails for legitimate external senders. ' +
  'That raises Anti-Spam ratings and, with Mail Sender Authentication on in a rule, triggers its actions (seed step 4).';

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
    run(c) {
      if (c.integration === 'edge' || !(c.protection.dns && c.protection.spf)) return [];
      return [{
        message: `Use SPF is on, but ${BEHIND_EDGE_REASON}`,
        path: 'protection.spf',
        fix: 'Turn off "Use SPF" (protection.spf: false). The edge gateway, which sees the real sender, should check SPF.',
        uiPath: UI.externalServices,
        patch: [{ op: 'set', path: 'protection.spf', value: false }],
      }];
    },
  },
  {
    id: 'sender-auth.dmarc-behind-edge',
    severity: 'error',
    title: 'Behind an edge gateway, Use DMARC is off',
    run(c) {
      if (c.integration === 'edge' || !(c.protection.dns && c.protection.dmarc)) return [];
      return [{
        message: 'Use DMARC is on, but DMARC relies on the SPF and DKIM results, and behind an edge gateway SPF ' +
          'checks the edge gateway\'s address instead of the real sender\'s, so DMARC fails for legitimate senders ' +
          'without DKIM signatures (seed step 4).',
        path: 'protection.dmarc',
        fix: 'Turn off "Use DMARC" (protection.dmarc: false). The edge gateway should check DMARC.',
        uiPath: UI.externalServices,
        patch: [{ op: 'set', path: 'protection.dmarc', value: false }],
      }];
    },
  },
  {
    id: 'sender-auth.spf-off-edge',
    severity: 'warning',
    title: 'At the edge, SPF is checked',
    run(c) {
      if (c.integration !== 'edge' || effectiveSenderAuth(c).spf) return [];
      const dnsOff = !c.protection.dns;
      return [{
        message: (dnsOff
          ? '"Allow connection to DNS server" is off, which turns off SPF, DKIM and DMARC'
          : 'Use SPF is off (and with it DMARC)') +
          '. As the edge gateway, KSMG is the only place that sees the sending server\'s real address, so forged ' +
          'senders of your own and other domains pass unchecked.',
        path: dnsOff ? 'protection.dns' : 'protection.spf',
        fix: dnsOff ? 'Turn on "Allow connection to DNS server" and "Use SPF".' : 'Turn on "Use SPF" (protection.spf: true).',
        uiPath: UI.externalServices,
      }];
    },
  },
  {
    id: 'sender-auth.dmarc-off-edge',
    severity: 'warning',
    title: 'At the edge, DMARC is checked',
    run(c) {
      const eff = effectiveSenderAuth(c);
      // With SPF off the SPF warning already says DMARC is off.
      if (c.integration !== 'edge' || !eff.spf || eff.dmarc) return [];
      const dkimOff = !eff.dkim;
      return [{
        message: dkimOff
          ? 'Use DKIM is off, which also turns off DMARC: messages that forge your domain in the From: header pass unchecked.'
          : 'Use DMARC is off: messages that forge a protected domain in the From: header pass unchecked, and the domain owners\' DMARC policies are ignored.',
        path: dkimOff ? 'protection.dkim' : 'protection.dmarc',
        fix: dkimOff ? 'Turn on "Use DKIM" and "Use DMARC".' : 'Turn on "Use DMARC" (protection.dmarc: true).',
        uiPath: UI.externalServices,
      }];
    },
  },
];
