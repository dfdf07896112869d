// Local domains: without one KSMG accepts no inbound mail; duplicates and subdomains.
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';

export const domainChecks: AuditCheck[] = [
  {
    id: 'domains.no-local',
    severity: 'error',
    title: 'At least one local domain is listed',
    run(c) {
      if (c.mta.domains.some((d) => d.local)) return [];
      const listed = c.mta.domains.length;
      return [{
        message:
          (listed === 0
            ? 'No local domain is listed'
            : `None of the ${listed} listed domain${listed === 1 ? ' is' : 's are'} marked local`) +
          ', so KSMG accepts no mail for the internal mail servers: mail from untrusted sources ' +
          '(the edge gateway, the internet) to your domains is rejected as relaying.',
        path: 'mta.domains',
        fix: 'Add each mail domain and each subdomain that receives mail with local: true ' +
          '(web UI: Add domain, turn on "Local domain", Save).',
        uiPath: UI.domains,
      }];
    },
  },
  {
    id: 'domains.duplicate',
    severity: 'error',
    title: 'No domain is listed twice',
    run(c) {
      const first = new Map<string, number>();
      const out: Draft[] = [];
      c.mta.domains.forEach((d, i) => {
        const name = d.name.toLowerCase();
        const j = first.get(name);
        if (j === undefined) { first.set(name, i); return; }
        out.push({
          message: `Domain "${d.name}" is listed twice (mta.domains[${j}] and mta.domains[${i}]). ` +
            'The web UI keeps one entry per domain, and the two entries\' Local switches or routes may disagree.',
          path: `mta.domains[${i}].name`,
          fix: `Keep one entry for ${d.name} and merge the settings of both into it.`,
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
    run(c) {
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
          message: `"${d.name}" is a subdomain of the listed domain "${parent}". KSMG matches domains exactly, so the ` +
            'subdomain needs its own entry (as it has); its Local switch and route are not inherited from the parent.',
          path: `mta.domains[${i}].name`,
          fix: `Check that the Local switch and route of ${d.name} are what you intend.`,
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
    run(c) {
      const out: Draft[] = [];
      // With a relayhost, mail for a domain without a route goes to it (Postfix: relayhost overrides
      // the recipient domain for relay_domains mail too); the relayhost delivers by the public MX,
      // which is KSMG or the edge in front of it: a certain loop, so an error. By DNS, internal
      // (split-horizon) DNS may answer with the internal server: a warning.
      const dest = c.mta.destination;
      const viaRelayhost = dest.mode === 'edge-gateway' && Boolean(dest.host);
      const gateway = c.integration === 'edge' ? 'smarthost (the relayhost)' : 'edge gateway';
      c.mta.domains.forEach((d, i) => {
        if (!d.local || d.route) return;
        out.push({
          severity: viaRelayhost ? 'error' : 'warning',
          message: viaRelayhost
            ? `Local domain ${d.name} has no route, so KSMG passes its mail to the ${gateway} ${dest.host} like all ` +
              `other mail, and the ${gateway} sends it back to KSMG: a mail loop.`
            : `Local domain ${d.name} has no route, so KSMG delivers its mail by DNS. Its public MX record points at ` +
              'KSMG itself (it is the edge gateway), so the mail loops unless internal DNS answers with the internal server.',
          path: `mta.domains[${i}]`,
          fix: `Add a route for ${d.name} to the internal mail server, e.g. route: { host: 10.0.0.25, port: 25 }.`,
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
];
