// Trusted networks (mynetworks): none means internal servers cannot send out; one that covers
// the internet makes KSMG an open relay.
import { cidrContains, hostKind, parseCidr, type Cidr } from '../../config/net.js';
import { untrustedRouteHosts } from '../../policy/client.js';
import type { AuditCheck } from '../types.js';
import { UI } from '../ui.js';
import { tEn } from '../../i18n/index.js';

/** Address space that is not routed on the internet (RFC 1918, 6598, loopback, link-local, ULA, documentation). */
const NON_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
  '2001:db8::/32',
].map((s) => (parseCidr(s) as { ok: true; cidr: Cidr }).cidr);

function isNonPublic(c: Cidr): boolean {
  return NON_PUBLIC.some(
    (n) => n.bits === c.bits && n.prefix <= c.prefix && c.network >> BigInt(c.bits - n.prefix) === n.network >> BigInt(n.bits - n.prefix),
  );
}

const V4_MAPPED = (parseCidr('::ffff:0:0/96') as { ok: true; cidr: Cidr }).cidr;

/** `::ffff:0.0.0.0/96`-style entries are IPv4 ranges in disguise: judge them as IPv4. */
function asV4IfMapped(c: Cidr): Cidr {
  if (c.bits !== 128 || c.prefix < 96 || c.network >> 32n !== V4_MAPPED.network >> 32n) return c;
  return { address: c.address, prefix: c.prefix - 96, bits: 32, network: c.network & 0xffffffffn };
}

/** The trusted networks that are public address space (IPv4-mapped entries judged as IPv4). */
function publicNetworks(networks: readonly string[]): Array<{ text: string; i: number; cidr: Cidr }> {
  return networks.flatMap((text, i) => {
    const r = parseCidr(text);
    if (!r.ok) return [];
    const cidr = asV4IfMapped(r.cidr);
    return isNonPublic(cidr) ? [] : [{ text, i, cidr }];
  });
}

/** Wider than this counts as "the internet" (IPv6: wider than a whole provider allocation). */
const OPEN_RELAY_PREFIX = { 32: 8, 128: 32 } as const;
/** Wider than this is worth a second look when public. */
const WIDE_PUBLIC_PREFIX = { 32: 24, 128: 48 } as const;

export const networkChecks: AuditCheck[] = [
  {
    id: 'networks.none',
    severity: 'warning',
    title: 'Trusted networks are listed',
    run(c, t = tEn) {
      if (c.mta.trustedNetworks.length > 0) return [];
      return [
        {
          message: t('finding.networks.none.message'),
          path: 'mta.trustedNetworks',
          fix: t('finding.networks.none.fix'),
          uiPath: UI.trustedNetworks,
        },
      ];
    },
  },
  {
    id: 'networks.open-relay',
    severity: 'error',
    title: 'No trusted network covers the internet',
    run(c, t = tEn) {
      return publicNetworks(c.mta.trustedNetworks).flatMap(({ text, i, cidr }) => {
        if (cidr.prefix >= OPEN_RELAY_PREFIX[cidr.bits]) return [];
        const whole = cidr.prefix === 0;
        return [
          {
            message: t(whole ? 'finding.networks.open-relay.message.whole' : 'finding.networks.open-relay.message.large', {
              network: text,
            }),
            path: `mta.trustedNetworks[${i}]`,
            fix: t('finding.networks.open-relay.fix'),
            uiPath: UI.trustedNetworks,
            patch: [{ op: 'remove', path: `mta.trustedNetworks[${i}]` }],
          },
        ];
      });
    },
  },
  {
    id: 'networks.wide-public',
    severity: 'info',
    title: 'Public trusted networks are narrow',
    run(c, t = tEn) {
      return publicNetworks(c.mta.trustedNetworks).flatMap(({ text, i, cidr }) => {
        const { prefix, bits } = cidr;
        if (prefix < OPEN_RELAY_PREFIX[bits] || prefix >= WIDE_PUBLIC_PREFIX[bits]) return [];
        return [
          {
            message:
              bits === 32
                ? t('finding.networks.wide-public.message.v4', { network: text, addresses: 2 ** (32 - prefix) })
                : t('finding.networks.wide-public.message.v6', { network: text, prefix }),
            path: `mta.trustedNetworks[${i}]`,
            fix: t('finding.networks.wide-public.fix'),
            uiPath: UI.trustedNetworks,
          },
        ];
      });
    },
  },
  {
    id: 'networks.edge-trusted',
    severity: 'warning',
    title: 'The edge gateway is not a trusted network host',
    run(c, t = tEn) {
      const host = c.mta.destination.host;
      if (c.integration === 'edge' || c.mta.destination.mode !== 'edge-gateway' || !host) return [];
      if (hostKind(host) !== 'ipv4' && hostKind(host) !== 'ipv6') return [];
      const i = c.mta.trustedNetworks.findIndex((n) => {
        const r = parseCidr(n);
        return r.ok && cidrContains(r.cidr, host);
      });
      if (i === -1) return [];
      const verify = c.integration === 'behind-edge-verify';
      const entry = parseCidr(c.mta.trustedNetworks[i]!);
      const exact = entry.ok && entry.cidr.prefix === entry.cidr.bits;
      return [
        {
          severity: verify ? 'error' : 'warning',
          message: t(verify ? 'finding.networks.edge-trusted.message.verify' : 'finding.networks.edge-trusted.message.noVerify', {
            host,
            network: c.mta.trustedNetworks[i]!,
          }),
          path: `mta.trustedNetworks[${i}]`,
          fix: exact
            ? t('finding.networks.edge-trusted.fix.exact', { host })
            : t('finding.networks.edge-trusted.fix.inside', { host, network: c.mta.trustedNetworks[i]! }),
          uiPath: UI.trustedNetworks,
          // Only an entry that is the edge gateway alone can simply go; a wider network also holds internal servers.
          ...(exact ? { patch: [{ op: 'remove' as const, path: `mta.trustedNetworks[${i}]` }] } : {}),
        },
      ];
    },
  },
  {
    id: 'networks.route-host-untrusted',
    severity: 'warning',
    title: 'Internal mail servers (route hosts) are trusted',
    run(c, t = tEn) {
      // A route host is an internal mail server: it sends the organisation's outgoing mail through
      // KSMG, which refuses it as relaying unless the server is in the trusted networks (seed step 3).
      // Only IP literals can be checked here; a route by name is resolved by DNS at delivery time.
      if (c.mta.trustedNetworks.length === 0) return []; // networks.none says it for all of them
      const localOnly = c.mta.domains.map((d) => (d.local ? d : { name: d.name }));
      return untrustedRouteHosts(localOnly, c.mta.trustedNetworks).map(({ host, domain, index }) => ({
        message: t('finding.networks.route-host-untrusted.message', { host, domain }),
        path: `mta.domains[${index}].route.host`,
        fix: t('finding.networks.route-host-untrusted.fix', { host }),
        uiPath: UI.trustedNetworks,
        patch: [{ op: 'add', path: 'mta.trustedNetworks', value: host }],
      }));
    },
  },
];
