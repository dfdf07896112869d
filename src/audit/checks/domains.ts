// Local domains: without one KSMG accepts no inbound mail; duplicates and subdomains.
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

export const domainChecks: AuditCheck[] = [
  {
    id: 'domains.no-local',
    severity: 'error',
    title: 'At least one local domain is listed',
    run(c, t = tEn) {
      if (c.mta.domains.some((d) => d.local)) return [];
      const listed = c.mta.domains.length;
      return [
        {
          message:
            listed === 0 ? t('finding.domains.no-local.message.none') : t('finding.domains.no-local.message.notLocal', { count: listed }),
          path: 'mta.domains',
          fix: t('finding.domains.no-local.fix'),
          uiPath: UI.domains,
        },
      ];
    },
  },
  {
    id: 'domains.duplicate',
    severity: 'error',
    title: 'No domain is listed twice',
    run(c, t = tEn) {
      const first = new Map<string, number>();
      const out: Draft[] = [];
      c.mta.domains.forEach((d, i) => {
        const name = d.name.toLowerCase();
        const j = first.get(name);
        if (j === undefined) {
          first.set(name, i);
          return;
        }
        out.push({
          message: t('finding.domains.duplicate.message', { name: d.name, first: j, second: i }),
          path: `mta.domains[${i}].name`,
          fix: t('finding.domains.duplicate.fix', { name: d.name }),
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
  {
    id: 'domains.subdomain',
    severity: 'info',
    title: 'Subdomains have their own entries',
    run(c, t = tEn) {
      const out: Draft[] = [];
      // One set lookup per parent suffix: linear in the number of domains (10,000 domains audit in
      // milliseconds), where scanning every other name for each domain was quadratic or worse.
      const names = new Set(c.mta.domains.map((d) => d.name.toLowerCase()));
      c.mta.domains.forEach((d, i) => {
        const labels = d.name.toLowerCase().split('.');
        let parent: string | undefined;
        for (let k = 1; k < labels.length && !parent; k++) {
          const candidate = labels.slice(k).join('.');
          if (names.has(candidate)) parent = candidate;
        }
        if (!parent) return;
        out.push({
          message: t('finding.domains.subdomain.message', { name: d.name, parent }),
          path: `mta.domains[${i}].name`,
          fix: t('finding.domains.subdomain.fix', { name: d.name }),
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
  {
    id: 'domains.no-route',
    severity: 'warning',
    title: 'Every local domain has a route to its internal mail server',
    run(c, t = tEn) {
      const out: Draft[] = [];
      // With a relayhost, mail for a domain without a route goes to it (Postfix: relayhost overrides
      // the recipient domain for relay_domains mail too); the relayhost delivers by the public MX,
      // which is KSMG or the edge in front of it: a certain loop, so an error. By DNS, internal
      // (split-horizon) DNS may answer with the internal server: a warning.
      const dest = c.mta.destination;
      const viaRelayhost = dest.mode === 'edge-gateway' && Boolean(dest.host);
      const gateway = t(c.integration === 'edge' ? 'finding.domains.gateway.smarthost' : 'finding.domains.gateway.edge');
      c.mta.domains.forEach((d, i) => {
        if (!d.local || d.route) return;
        out.push({
          severity: viaRelayhost ? 'error' : 'warning',
          message: viaRelayhost
            ? t('finding.domains.no-route.message.relayhost', { name: d.name, gateway, host: dest.host ?? '' })
            : t('finding.domains.no-route.message.dns', { name: d.name }),
          path: `mta.domains[${i}]`,
          fix: t('finding.domains.no-route.fix', { name: d.name }),
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
];
