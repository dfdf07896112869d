// The ksmg.yaml variants the differential suite runs: each one starts one relay and one Postfix
// (from `export postfix` of the same config) and every probe of that variant goes to both.
import { configSchema, type Config } from '../../src/config/schema.js';

/** Users the loopback next hop knows (recipient verification asks it). */
export const SINK_USERS = ['bob@corp.example', 'alice@corp.example', 'postmaster@corp.example', 'bob@sales.corp.example'];

/** Internal route host and edge gateway: IP addresses, so neither side needs DNS to reach them. */
export const ROUTE_HOST = '10.0.0.25';
export const EDGE_HOST = '192.0.2.10';

const BASE = {
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    hostname: 'ksmg.corp.example',
    trustedNetworks: ['10.0.0.0/8', '2001:db8:10::/48'],
    destination: { mode: 'edge-gateway', host: EDGE_HOST, port: 25 },
    domains: [
      { name: 'corp.example', route: { host: ROUTE_HOST, port: 25 } },
      { name: 'sales.corp.example', route: { host: ROUTE_HOST, port: 25 } },
      { name: 'münchen.example', route: { host: ROUTE_HOST, port: 25 } },
      { name: 'partner.example', local: false },
    ],
    // Off except where a variant turns it on: Postfix asks the machine's resolver (the .example
    // names it is asked about never exist), the relay a resolver that knows no name.
    advanced: { rejectUnknownRecipientDomains: false },
  },
};

function variant(patch: (c: any) => void): Config {
  const raw = structuredClone(BASE) as any;
  patch(raw);
  return configSchema.parse(raw);
}

export interface Variant {
  name: string;
  config: Config;
  /** Run the relay's content scan (KSMG's; Postfix has none: see deliberate-differences.ts). */
  scan?: boolean;
  /** Only the probes that name this variant run in it (not every probe without a `variants` list). */
  listedOnly?: boolean;
}

export const VARIANTS: Variant[] = [
  // KSMG defaults: strict RFC 821 on, VRFY off, silent-discard/dsn/etrn hidden, 20 MB, no
  // verification; the content scan on (the only variant with it), Anti-Virus set to Reject.
  {
    name: 'defaults',
    scan: true,
    config: variant((c) => {
      // KSMG's default: trusted clients' outbound domains need an MX or A record (.example has none).
      c.mta.advanced = { ...c.mta.advanced, rejectUnknownRecipientDomains: true };
      c.rules = [{ name: 'Default', antiVirus: { infected: 'reject', ifDisinfectionFails: 'reject' } }];
    }),
  },
  // Everything loosened: strict off, VRFY on, no keyword hidden, no size limit.
  {
    name: 'permissive',
    config: variant((c) => {
      c.mta.messageSizeLimit = 0;
      c.mta.advanced = { ...c.mta.advanced, strictRfc821Envelopes: false, disableVrfy: false, discardEhloKeywords: [] };
    }),
  },
  // Most keywords hidden (enhanced status codes too: they disappear from replies).
  {
    name: 'discarded',
    config: variant((c) => {
      c.mta.advanced = {
        ...c.mta.advanced,
        discardEhloKeywords: ['pipelining', 'size', 'vrfy', 'etrn', 'enhancedstatuscodes', '8bitmime', 'dsn', 'smtputf8', 'chunking'],
        disableVrfy: false,
      };
    }),
  },
  // Reject for unverified recipients, 450 (behind an edge gateway that verifies).
  {
    name: 'verify-450',
    config: variant((c) => {
      c.integration = 'behind-edge-verify';
      c.mta.messageSizeLimit = 1000;
      c.mta.advanced = { ...c.mta.advanced, recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: 450 };
    }),
  },
  // Reject for unverified recipients, 550 (KSMG as the edge, delivery by DNS).
  {
    name: 'verify-550',
    config: variant((c) => {
      c.integration = 'edge';
      c.mta.destination = { mode: 'dns' };
      c.mta.advanced = {
        ...c.mta.advanced,
        recipientVerification: 'reject-unverified',
        unverifiedRecipientRejectCode: 550,
        rejectUnknownRecipientDomains: true,
      };
    }),
  },
  // Reject for recipients not in the valid list.
  {
    name: 'unlisted',
    config: variant((c) => {
      c.mta.advanced = {
        ...c.mta.advanced,
        recipientVerification: 'reject-unlisted',
        validRecipients: ['bob@corp.example', 'postmaster@corp.example', '@sales.corp.example'],
        strictRfc821Envelopes: false,
      };
    }),
  },
  // Client limits with small numbers, a short session timeout and a small size limit.
  {
    name: 'limits',
    config: variant((c) => {
      c.mta.messageSizeLimit = 2000;
      c.mta.advanced = {
        ...c.mta.advanced,
        connectionRateLimit: 3,
        connectionCountLimit: 2,
        messageRateLimit: 2,
        sessionTimeout: '3s',
      };
    }),
  },
  // TLS Encryption > Server TLS security level: Require TLS, and No TLS (the STARTTLS probes only).
  {
    name: 'tls-encrypt',
    listedOnly: true,
    config: variant((c) => {
      c.mta.tls = { securityLevel: 'encrypt' };
    }),
  },
  {
    name: 'tls-none',
    listedOnly: true,
    config: variant((c) => {
      c.mta.tls = { securityLevel: 'none' };
    }),
  },
];
