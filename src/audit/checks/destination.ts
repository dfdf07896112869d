// Where KSMG sends mail: the edge gateway (relayhost) in the behind-edge schemes, MX lookups
// only for names, and no next hop that is KSMG itself (a mail loop).
import type { Config } from '../../config/schema.js';
import { hostKind } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';

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
    run(c) {
      if (!behindEdge(c) || c.mta.destination.mode === 'edge-gateway') return [];
      return [{
        message: `In the ${c.integration} scheme KSMG must pass all outgoing mail to the edge gateway, but Email ` +
          'destination address is set to DNS (direct MX delivery): outgoing mail would bypass the edge gateway.',
        path: 'mta.destination.mode',
        fix: 'Choose "Send via edge gateway" (mta.destination.mode: edge-gateway) and enter the edge gateway\'s address and port.',
        uiPath: UI.destination,
        // With the gateway's address still in the file, switching the mode back is all it takes.
        ...(c.mta.destination.host ? { patch: [{ op: 'set' as const, path: 'mta.destination.mode', value: 'edge-gateway' }] } : {}),
      }];
    },
  },
  {
    id: 'destination.no-host',
    severity: 'error',
    title: 'The edge gateway address is set',
    run(c) {
      if (c.mta.destination.mode !== 'edge-gateway' || c.mta.destination.host) return [];
      return [{
        message: 'Email destination address is "Send via edge gateway", but no edge gateway address (relayhost) is ' +
          'given, so KSMG has nowhere to send mail for other domains.',
        path: 'mta.destination.host',
        fix: 'Set mta.destination.host to the edge gateway\'s IPv4/IPv6 address or name, and its port (usually 25).',
        uiPath: UI.destination,
      }];
    },
  },
  {
    id: 'destination.mx-lookup-ip',
    severity: 'error',
    title: 'MX lookup only for a domain name',
    run(c) {
      const out: Draft[] = [];
      const d = c.mta.destination;
      if (d.host && d.mxLookup && hostKind(d.host) !== 'name') {
        out.push({
          message: `"Use MX lookup" is on for the edge gateway address ${d.host}, which is an IP address; an IP ` +
            'address has no MX records (the web UI offers the checkbox only for a domain name).',
          path: 'mta.destination.mxLookup',
          fix: 'Turn off MX lookup (mxLookup: false), or enter the edge gateway as a domain name whose MX records point at it.',
          uiPath: UI.destination,
          patch: [{ op: 'set', path: 'mta.destination.mxLookup', value: false }],
        });
      }
      c.mta.domains.forEach((dom, i) => {
        const r = dom.route;
        if (r && r.mxLookup && hostKind(r.host) !== 'name') {
          out.push({
            message: `The route of ${dom.name} uses MX lookup for ${r.host}, which is an IP address and has no MX records.`,
            path: `mta.domains[${i}].route.mxLookup`,
            fix: 'Turn off MX lookup for this route (mxLookup: false), or give the next hop as a domain name.',
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
    run(c) {
      const d = c.mta.destination;
      if (d.mode !== 'edge-gateway' || !d.host || !isSelf(c, d.host)) return [];
      return [{
        message: `The edge gateway address ${d.host} is this KSMG server itself (host name ${c.mta.hostname}): ` +
          'every outgoing message would be sent back to KSMG, a mail loop, until it bounces with "mail for ' +
          `${c.mta.hostname} loops back to myself".`,
        path: 'mta.destination.host',
        fix: 'Enter the address of the edge gateway, not of KSMG.',
        uiPath: UI.destination,
      }];
    },
  },
  {
    id: 'loop.route-self',
    severity: 'error',
    title: 'No domain route points at KSMG itself',
    run(c) {
      const out: Draft[] = [];
      c.mta.domains.forEach((dom, i) => {
        if (!dom.route || !isSelf(c, dom.route.host)) return;
        out.push({
          message: `Mail for ${dom.name} is routed to ${dom.route.host}, which is this KSMG server itself ` +
            `(host name ${c.mta.hostname}): a mail loop.`,
          path: `mta.domains[${i}].route.host`,
          fix: `Route ${dom.name} to the internal mail server that holds its mailboxes.`,
          uiPath: UI.domains,
        });
      });
      return out;
    },
  },
];
