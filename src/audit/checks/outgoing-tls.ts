// Outgoing TLS (Settings > Built-in MTA > TLS Encryption for the default, Domains for each
// domain's mode): plaintext towards a server on a public address (not a network of one's own), a domain mode that
// cannot apply (its mail goes through the relayhost, and Postfix looks the relayhost up),
// certificate verification without a CA of the organisation's own, or towards an IP address.
import { cidrContains, hostKind, parseCidr } from '../../config/net.js';
import type { Config } from '../../config/schema.js';
import { outgoingTlsPlan } from '../../policy/outgoing-tls.js';
import { tEn } from '../../i18n/index.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';

/** Private, loopback and link-local space (RFC 1918, RFC 4193, …): a network of the organisation's own. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'];

function privateAddress(ip: string): boolean {
  return PRIVATE.some((n) => {
    const r = parseCidr(n);
    return r.ok && cidrContains(r.cidr, ip);
  });
}

/** Domains with a route and the level their next hop gets (their own, else mta.tls.outgoing). */
function routedLevels(config: Config) {
  return config.mta.domains.flatMap((d, i) => (d.route ? [{ d, i, level: d.tls ?? config.mta.tls.outgoing }] : []));
}

export const outgoingTlsChecks: AuditCheck[] = [
  {
    id: 'tls.plaintext-to-untrusted-network',
    severity: 'warning',
    title: 'No TLS only towards servers in private address space',
    run(c, t = tEn) {
      return routedLevels(c)
        .filter(({ d, level }) => level === 'none' && hostKind(d.route!.host) !== 'name' && !privateAddress(d.route!.host))
        .map(({ d, i }): Draft => ({
          message: t('finding.tls.plaintext-to-untrusted-network.message', { name: d.name, host: d.route!.host }),
          path: d.tls ? `mta.domains[${i}].tls` : 'mta.tls.outgoing',
          fix: t('finding.tls.plaintext-to-untrusted-network.fix', { name: d.name }),
          uiPath: d.tls ? UI.domains : UI.tls,
          patch: d.tls ? [{ op: 'set', path: `mta.domains[${i}].tls`, value: 'may' }] : undefined,
        }));
    },
  },
  {
    id: 'tls.domain-mode-via-relayhost',
    severity: 'warning',
    title: "A domain's TLS mode applies to its own route or MX, not to mail through the relayhost",
    run(c, t = tEn) {
      const via = new Set(outgoingTlsPlan(c).viaRelayhost);
      return c.mta.domains.flatMap((d, i): Draft[] =>
        via.has(d.name)
          ? [
              {
                message: t('finding.tls.domain-mode-via-relayhost.message', { name: d.name, level: d.tls ?? '' }),
                path: `mta.domains[${i}].tls`,
                fix: t('finding.tls.domain-mode-via-relayhost.fix', { name: d.name }),
                uiPath: UI.domains,
                patch: [{ op: 'remove', path: `mta.domains[${i}].tls` }],
              },
            ]
          : [],
      );
    },
  },
  {
    id: 'tls.verify-without-ca',
    severity: 'warning',
    title: 'Certificate verification has a CA to verify against',
    run(c, t = tEn) {
      const plan = outgoingTlsPlan(c);
      if (c.mta.tls.caFile) return [];
      if (plan.defaultLevel !== 'verify' && !plan.table.some((e) => e.level === 'verify')) return [];
      return [
        {
          message: t('finding.tls.verify-without-ca.message'),
          path: 'mta.tls.caFile',
          fix: t('finding.tls.verify-without-ca.fix'),
          uiPath: UI.tls,
        },
      ];
    },
  },
  {
    id: 'tls.verify-ip-next-hop',
    severity: 'warning',
    title: 'Certificate verification towards a next hop named by a host name',
    run(c, t = tEn) {
      return routedLevels(c)
        .filter(({ d, level }) => level === 'verify' && hostKind(d.route!.host) !== 'name')
        .map(({ d, i }): Draft => ({
          message: t('finding.tls.verify-ip-next-hop.message', { name: d.name, host: d.route!.host }),
          path: `mta.domains[${i}].route.host`,
          fix: t('finding.tls.verify-ip-next-hop.fix'),
          uiPath: UI.domains,
        }));
    },
  },
];
