// fast-check arbitraries for ksmg.yaml inputs across the schema: the three schemes, domains with
// and without routes (IPv4, IPv6, names with and without MX lookup), an IDN domain, non-local
// domains, destinations by IPv4/IPv6/name, trusted networks that do or do not cover the route
// hosts and the edge gateway, the verification modes with their lists, BCC, limits and rules.
// Values come from small pools so the lab's picture stays meaningful and shrinking is quick.
import fc from 'fast-check';
import type { ConfigInput } from '../../src/config/schema.js';

const DOMAIN_NAMES = ['corp.example', 'sales.corp.example', 'münchen.example', 'partner.example'] as const;

const route = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom('10.0.0.25', '10.0.1.26', '192.168.5.10').map((host) => ({ host, port: 25, mxLookup: false })) },
  { weight: 1, arbitrary: fc.constant({ host: '2001:db8:10::25', port: 25, mxLookup: false }) },
  { weight: 1, arbitrary: fc.boolean().map((mxLookup) => ({ host: 'mail.corp.example', port: 25, mxLookup })) },
);

const domain = (name: string) =>
  fc
    .record({ local: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), route })
    .map(({ local, route: r }) => ({ name, local, ...(r ? { route: r } : {}) }));

const domains = fc.subarray([...DOMAIN_NAMES], { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(...names.map(domain)));

const anyDestination = fc.oneof(
  fc.constant({ mode: 'dns' as const }),
  fc
    .constantFrom('192.0.2.10', '10.0.0.1', '2001:db8:ee::1')
    .map((host) => ({ mode: 'edge-gateway' as const, host, port: 25, mxLookup: false })),
  fc.boolean().map((mxLookup) => ({ mode: 'edge-gateway' as const, host: 'edge.corp.example', port: 25, mxLookup })),
);
const gateway = anyDestination.filter((d) => d.mode === 'edge-gateway');

/** Mostly what the scheme recommends (so clean configurations come up often), sometimes anything. */
const mostly = <T>(recommended: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 5, arbitrary: recommended }, { weight: 1, arbitrary: any });

const destination = (scheme: string) => mostly(scheme === 'edge' ? fc.constant({ mode: 'dns' as const }) : gateway, anyDestination);

const NETWORKS = ['10.0.0.0/8', '10.0.0.0/24', '10.0.0.25', '192.168.5.0/24', '2001:db8:10::/48'];

/** Trusted networks: mostly exactly the internal servers given by address, sometimes any subset. */
const trustedNetworks = (routeHosts: string[]) =>
  mostly(fc.constant(routeHosts.length ? [...new Set(routeHosts)] : ['10.0.0.0/24']), fc.subarray(NETWORKS, { maxLength: 3 }));

type Verification = { recipientVerification: 'none' | 'reject-unverified' | 'reject-unlisted'; validRecipients?: string[] };

/** The verification mode; lists are built from the generated local domains. */
const verification = (localNames: string[]): fc.Arbitrary<Verification> => {
  const first = localNames[0] ?? 'corp.example';
  return fc.oneof(
    fc.constant<Verification>({ recipientVerification: 'none' }),
    fc.constant<Verification>({ recipientVerification: 'reject-unverified' }),
    fc.constantFrom<Verification>(
      { recipientVerification: 'reject-unlisted', validRecipients: localNames.flatMap((d) => [`postmaster@${d}`, `alice@${d}`]) },
      { recipientVerification: 'reject-unlisted', validRecipients: localNames.map((d) => `postmaster@${d}`) },
      { recipientVerification: 'reject-unlisted', validRecipients: [`@${first}`, ...localNames.slice(1).map((d) => `postmaster@${d}`)] },
      { recipientVerification: 'reject-unlisted', validRecipients: [`alice@${first}`] },
    ),
  );
};

type Action = 'reject' | 'delete-message' | 'skip';
const anyRules: fc.Arbitrary<{ phishing: Action; sizeExceeded: Action; spam: Action; mailAuth: boolean }> = fc.record({
  phishing: fc.constantFrom<Action>('reject', 'delete-message', 'skip'),
  sizeExceeded: fc.constantFrom<Action>('reject', 'delete-message'),
  spam: fc.constantFrom<Action>('skip', 'delete-message', 'reject'),
  mailAuth: fc.boolean(),
});
const rules = (scheme: string) =>
  mostly(
    scheme === 'edge'
      ? anyRules
      : anyRules.map((r) => ({
          ...r,
          phishing: 'delete-message' as Action,
          sizeExceeded: 'delete-message' as Action,
          spam: r.spam === 'reject' ? ('delete-message' as Action) : r.spam,
        })),
    anyRules,
  ).map((r) => [
    {
      name: 'Default',
      antiPhishing: { phishing: r.phishing },
      contentFiltering: { sizeExceeded: r.sizeExceeded },
      antiSpam: { spam: r.spam },
      mailAuthentication: r.mailAuth
        ? { enabled: true, spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' }
        : { spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' },
    },
  ]);

const protection = (scheme: string) =>
  mostly(fc.constant({ spf: scheme === 'edge', dmarc: scheme === 'edge' }), fc.record({ spf: fc.boolean(), dmarc: fc.boolean() }));

export const configInput: fc.Arbitrary<ConfigInput> = fc
  .constantFrom('edge', 'behind-edge-verify', 'behind-edge-no-verify')
  .chain((scheme) =>
    domains.chain((ds) => {
      const routeHosts = ds.filter((d) => d.local).flatMap((d) => (d.route && /^[\d.]+$|:/.test(d.route.host) ? [d.route.host] : []));
      return fc
        .record({
          destination: destination(scheme),
          trustedNetworks: trustedNetworks(routeHosts),
          protection: protection(scheme),
          bcc: fc.constantFrom(null, null, 'archive', 'archive@elsewhere.example'),
          messageSizeLimit: fc.constantFrom(20971520, 20971520, 20971520, 20971520, 10485760, 0, 5242880, 100),
          messageRateLimit: fc.constantFrom(0, 0, 0, 5),
          rules: rules(scheme),
          verification: mostly(
            fc.constant<Verification>({ recipientVerification: scheme === 'behind-edge-no-verify' ? 'none' : 'reject-unverified' }),
            verification(ds.filter((d) => d.local).map((d) => d.name)),
          ),
        })
        .map((c): ConfigInput => {
          const first = ds.find((d) => d.local)?.name ?? 'corp.example';
          return {
            version: 1,
            integration: scheme as ConfigInput['integration'],
            mta: {
              hostname: 'ksmg.corp.example',
              messageSizeLimit: c.messageSizeLimit,
              trustedNetworks: c.trustedNetworks,
              destination: c.destination,
              domains: ds,
              advanced: {
                // The queue timing Postfix advises, so the queue checks stay quiet unless a case is about them.
                queueRunDelay: 300,
                messageRateLimit: c.messageRateLimit,
                alwaysBcc: c.bcc === 'archive' ? `archive@${first}` : c.bcc,
                ...c.verification,
              },
            },
            protection: c.protection,
            rules: c.rules,
          } as ConfigInput;
        });
    }),
  );
