// Where KSMG sends mail: the edge gateway (relayhost) in the behind-edge schemes, MX lookups
// only for names, and no next hop that is KSMG itself (a mail loop).
import type { Config } from '../../config/schema.js';
import { hostKind } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

const behindEdge = (c: Config) => c.integration !== 'edge';

/** Does `host` name this KSMG server itself? */
function isSelf(c: Config, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === c.mta.hostname.toLowerCase() || h === 'localhost' || h === '127.0.0.1' || h === '::1' || /^127\./.test(h);
}

export const destinationChecks: AuditCheck[] = [
  {
    id: 'destination.not-edge-gateway',
    severity: 'error',
    title: 'Behind an edge gateway, mail is sent via the edge gateway',
    run(c, t = tEn) {
      if (!behindEdge(c) || c.mta.destination.mode === 'edge-gateway') return [];
      return [
        {
          message: t('finding.destination.not-edge-gateway.message', { scheme: c.integration }),
          path: 'mta.destination.mode',
          fix: t('finding.destination.not-edge-gateway.fix'),
          uiPath: UI.destination,
          // With the gateway's address still in the file, switching the mode back is all it takes.
          ...(c.mta.destination.host ? { patch: [{ op: 'set' as const, path: 'mta.destination.mode', value: 'edge-gateway' }] } : {}),
        },
      ];
    },
  },
  {
    id: 'destination.no-host',
    severity: 'error',
    title: 'The edge gateway address is set',
    run(c, t = tEn) {
      if (c.mta.destination.mode !== 'edge-gateway' || c.mta.destination.host) return [];
      return [
        {
          message: t('finding.destination.no-host.message'),
          path: 'mta.destination.host',
          fix: t('finding.destination.no-host.fix'),
          uiPath: UI.destination,
        },
      ];
    },
  },
  {
    id: 'destination.mx-lookup-ip',
    severity: 'error',
    title: 'MX lookup only for a domain name',
    run(c, t = tEn) {
      const out: Draft[] = [];
      const d = c.mta.destination;
      if (d.host && d.mxLookup && hostKind(d.host) !== 'name') {
        out.push({
          message: t('finding.destination.mx-lookup-ip.message', { host: d.host }),
          path: 'mta.destination.mxLookup',
          fix: t('finding.destination.mx-lookup-ip.fix'),
          uiPath: UI.destination,
          patch: [{ op: 'set', path: 'mta.destination.mxLookup', value: false }],
        });
      }
      c.mta.domains.forEach((dom, i) => {
        const r = dom.route;
        if (r && r.mxLookup && hostKind(r.host) !== 'name') {
          out.push({
            message: t('finding.destination.mx-lookup-ip.route.message', { domain: dom.name, host: r.host }),
            path: `mta.domains[${i}].route.mxLookup`,
            fix: t('finding.destination.mx-lookup-ip.route.fix'),
            uiPath: UI.domains,
            patch: [{ op: 'set', path: `mta.domains[${i}].route.mxLookup`, value: false }],
          });
        }
      });
      return out;
    },
  },
  {
    id: 'loop.relayhost-self',
    severity: 'error',
    title: 'The edge gateway is not KSMG itself',
    run(c, t = tEn) {
      const d = c.mta.destination;
      if (d.mode !== 'edge-gateway' || !d.host || !isSelf(c, d.host)) return [];
      return [
        {
          message: t('finding.loop.relayhost-self.message', { host: d.host, hostname: c.mta.hostname }),
          path: 'mta.destination.host',
          fix: t('finding.loop.relayhost-self.fix'),
          uiPath: UI.destination,
        },
      ];
    },
  },
  {
    id: 'loop.route-self',
    severity: 'error',
    title: 'No domain route points at KSMG itself',
    run(c, t = tEn) {
      const out: Draft[] = [];
      c.mta.domains.forEach((dom, i) => {
        if (!dom.route || !isSelf(c, dom.route.host)) return;
        out.push({
          message: t('finding.loop.route-self.message', { domain: dom.name, host: dom.route.host, hostname: c.mta.hostname }),
          path: `mta.domains[${i}].route.host`,
          fix: t('finding.loop.route-self.fix', { domain: dom.name }),
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
];
