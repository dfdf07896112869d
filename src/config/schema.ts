// ksmg.yaml version 1 (ARCHITECTURE.md §4). Every key carries the KSMG default (seed 004,
// reference/ksmg-product.md), so a file with version, integration and mta.domains is complete.
// The inferred `Config` type is the only representation of a configuration in the codebase.
import { z } from 'zod';
import { hostKind, hostProblem, isDomainName, isEmailAddress, parseCidr, toAsciiDomain } from './net.js';
import { regexEntryProblem } from './rule-pattern.js';

export const INTEGRATIONS = ['edge', 'behind-edge-verify', 'behind-edge-no-verify'] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export const RULE_MODES = ['scan', 'reject', 'delete', 'skip'] as const;
export const RECIPIENT_VERIFICATION = ['none', 'reject-unverified', 'reject-unlisted'] as const;
/** Outgoing TLS levels, Postfix's names (KSMG: No TLS / Attempt TLS / Require TLS / + certificate check). */
export const OUTGOING_TLS_LEVELS = ['none', 'may', 'encrypt', 'verify'] as const;
export type OutgoingTlsLevel = (typeof OUTGOING_TLS_LEVELS)[number];
export const FILE_CATEGORIES = ['archives', 'databases', 'executables', 'graphics', 'multimedia', 'documents', 'other'] as const;

/** Keywords smtpd_discard_ehlo_keywords accepts (postconf(5)), plus silent-discard. */
export const EHLO_KEYWORDS = [
  'silent-discard',
  '8bitmime',
  'auth',
  'binarymime',
  'chunking',
  'dsn',
  'enhancedstatuscodes',
  'etrn',
  'pipelining',
  'requiretls',
  'size',
  'smtputf8',
  'starttls',
  'vrfy',
  'xclient',
  'xforward',
] as const;

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `30s`, `5m`, `4h`, `3d` or plain seconds → seconds. */
export function parseDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = v.trim().match(/^(\d+)\s*([smhd]?)$/);
  if (!m) return null;
  return Number(m[1]) * DURATION_UNITS[m[2] || 's']!;
}

/** Seconds → the shortest exact unit form (`3d`, `4000s`). */
export function formatDuration(seconds: number): string {
  for (const [u, n] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds > 0 && seconds % n === 0) return `${seconds / n}${u}`;
  }
  return `${seconds}s`;
}

const DURATION_MESSAGE = 'expected a duration: whole seconds or a number with s, m, h or d (e.g. 30s, 5m, 4h, 3d)';

const duration = () =>
  z.union([z.number(), z.string()], { error: DURATION_MESSAGE }).transform((v, ctx) => {
    const s = parseDuration(v);
    if (s === null) {
      ctx.addIssue({ code: 'custom', message: DURATION_MESSAGE });
      return z.NEVER;
    }
    return s;
  });

const port = () =>
  z
    .number({ error: 'expected a port number 1–65535' })
    .int('expected a whole port number 1–65535')
    .min(1, 'expected a port number 1–65535')
    .max(65535, 'expected a port number 1–65535');

const count = () => z.number().int('expected a whole number').min(0, 'expected 0 (unlimited) or more');

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1048576,
  mb: 1048576,
  mib: 1048576,
  g: 1073741824,
  gb: 1073741824,
  gib: 1073741824,
};

/** `20971520`, `20MB`, `512 KB`, `1GiB` → bytes (K/M/G are powers of 1024, as KSMG's 20971520 = 20 MB default); null when unreadable. */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = v.trim().match(/^(\d+(?:\.\d+)?)\s*([a-z]*)$/i);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  const bytes = Number(m[1]) * unit;
  return Number.isInteger(bytes) ? bytes : Math.round(bytes);
}

const SIZE_MESSAGE = 'expected a size in bytes (0 = unlimited), or with a unit: 20MB, 512KB, 1GB (K/M/G = 1024-based)';

/** A byte count; ksmg.yaml and the prompts also take units (20MB), stored as bytes. */
const size = () =>
  z.union([z.number(), z.string()], { error: SIZE_MESSAGE }).transform((v, ctx) => {
    const n = parseSize(v);
    if (n === null) {
      const message = typeof v !== 'number' ? SIZE_MESSAGE : v < 0 ? 'expected 0 (unlimited) or more' : 'expected a whole number of bytes';
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });

const domainName = (what = 'a domain name') =>
  z.string().transform((v, ctx) => {
    const ascii = toAsciiDomain(v);
    if (!ascii) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} such as corp.example (letters, digits, hyphens, dots; IDN allowed)` });
      return z.NEVER;
    }
    return ascii;
  });

const host = () =>
  z.string().superRefine((v, ctx) => {
    if (hostKind(v) !== null) return;
    const why = hostProblem(v);
    ctx.addIssue({
      code: 'custom',
      message: why
        ? `expected an IPv4/IPv6 address or a host name: ${why}`
        : 'expected an IPv4 address, an IPv6 address, a domain name or an FQDN',
    });
  });

const network = () =>
  z.string().superRefine((v, ctx) => {
    const r = parseCidr(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `expected an IPv4/IPv6 address or CIDR network: ${r.reason}` });
  });

/** `user@domain` with the domain in its ASCII (punycode) form, as mta.domains stores it, so `archive@münchen.example` routes like the domain. */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const d = toAsciiDomain(address.slice(at + 1));
  return d ? `${address.slice(0, at)}@${d}` : address;
}

const email = () =>
  z.string().refine(isEmailAddress, { message: 'expected an e-mail address such as user@corp.example' }).transform(asciiAddress);

const outgoingTlsLevel = () =>
  z.enum(OUTGOING_TLS_LEVELS, {
    error: 'expected none, may, encrypt or verify (KSMG: No TLS, Attempt TLS, Require TLS, Require TLS and check the certificate)',
  });

/** A routed destination: host + port + MX lookup, where MX lookup needs a name. */
const nextHop = (defaults: { mxLookup: boolean }) =>
  z
    .object({
      host: host(),
      port: port().default(25),
      mxLookup: z.boolean().default(defaults.mxLookup),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.mxLookup && hostKind(v.host) !== 'name') {
        ctx.addIssue({
          code: 'custom',
          path: ['mxLookup'],
          message: `MX lookup is only possible for a domain name, and "${v.host}" is an IP address; set mxLookup: false`,
        });
      }
    });

/** Names that are never a mail domain of the organisation: this machine, or a single label. */
function notAMailDomain(ascii: string): string | null {
  if (ascii === 'localhost' || ascii.endsWith('.localhost')) return `"${ascii}" is this machine (RFC 6761), not a mail domain`;
  if (ascii === 'localdomain') return '"localdomain" is the placeholder of an unconfigured host, not a mail domain';
  if (!ascii.includes('.')) return `"${ascii}" is a single label; a mail domain has at least two (corp.example)`;
  return null;
}

export const domainSchema = z
  .object({
    name: domainName('a domain or subdomain name').superRefine((v, ctx) => {
      const why = notAMailDomain(v);
      if (why) ctx.addIssue({ code: 'custom', message: `expected a mail domain such as corp.example: ${why}` });
    }),
    local: z.boolean().default(true),
    route: nextHop({ mxLookup: false }).optional(),
    // Outgoing TLS for this domain's next hop (smtp_tls_policy_maps); absent = mta.tls.outgoing.
    tls: outgoingTlsLevel().optional(),
  })
  .strict();

export const destinationSchema = z
  .object({
    // No default here: it depends on the scheme (edge → dns, behind-edge → edge-gateway), see below.
    mode: z.enum(['edge-gateway', 'dns']).optional(),
    host: host().optional(),
    port: port().default(25),
    mxLookup: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.host && v.mxLookup && hostKind(v.host) !== 'name') {
      ctx.addIssue({
        code: 'custom',
        path: ['mxLookup'],
        message: `MX lookup is only possible for a domain name, and "${v.host}" is an IP address; set mxLookup: false`,
      });
    }
  });

const validRecipient = () =>
  z
    .string()
    .refine((v) => (v.startsWith('@') ? isDomainName(v.slice(1)) : isEmailAddress(v)), {
      message: 'expected user@domain or @domain (the whole domain)',
    })
    .transform((v) => (v.startsWith('@') ? `@${toAsciiDomain(v.slice(1)) ?? v.slice(1)}` : asciiAddress(v)));

export const advancedSchema = z
  .object({
    greeting: z.string().min(1).default('$myhostname ESMTP MTA'),
    connectionRateLimit: count().default(0),
    connectionCountLimit: count().default(50),
    messageRateLimit: count().default(0),
    sessionTimeout: duration().default(30),
    transportRetryTime: duration().default(60),
    minimalBackoff: duration().default(300),
    maximalBackoff: duration().default(4000),
    queueRunDelay: duration().default(1000),
    maximalQueueLifetime: duration().default(3 * 86400),
    bounceQueueLifetime: duration().default(3 * 86400),
    // An empty field in the web UI means "no BCC", so '' is read as null.
    alwaysBcc: z.preprocess((v) => (v === '' ? null : v), email().nullable()).default(null),
    strictRfc821Envelopes: z.boolean().default(true),
    disableVrfy: z.boolean().default(true),
    // Output stays string[] (lower case); a keyword Postfix does not know would be ignored
    // silently by Postfix, so a typo such as "dns" for "dsn" is an error here.
    discardEhloKeywords: z
      .array(
        z
          .string()
          .transform((s) => s.trim().toLowerCase())
          .refine((s) => (EHLO_KEYWORDS as readonly string[]).includes(s), {
            message: `expected one of ${EHLO_KEYWORDS.join(', ')}`,
          }),
      )
      .default(['silent-discard', 'dsn', 'etrn']),
    rejectUnknownRecipientDomains: z.boolean().default(true),
    recipientVerification: z.enum(RECIPIENT_VERIFICATION).default('none'),
    unverifiedRecipientRejectCode: z
      .union([z.literal(450), z.literal(550)], {
        error: 'expected 450 or 550',
      })
      .default(450),
    validRecipients: z.array(validRecipient()).default([]),
  })
  .strict();

/** The advanced settings that are durations: seconds in Config, `30s`/`5m`/`4h`/`3d` in the file. */
export const ADVANCED_DURATION_KEYS = [
  'sessionTimeout',
  'transportRetryTime',
  'minimalBackoff',
  'maximalBackoff',
  'queueRunDelay',
  'maximalQueueLifetime',
  'bounceQueueLifetime',
] as const satisfies ReadonlyArray<keyof z.output<typeof advancedSchema>>;

/** Every duration key of ksmg.yaml: the advanced ones and protection.dnsTimeout. */
export const DURATION_KEYS: ReadonlySet<string> = new Set([...ADVANCED_DURATION_KEYS, 'dnsTimeout']);

/** KSMG "Server TLS security level": No TLS / Attempt TLS / Require TLS (smtpd_tls_security_level). */
export const TLS_SECURITY_LEVELS = ['none', 'may', 'encrypt'] as const;
export type TlsSecurityLevel = (typeof TLS_SECURITY_LEVELS)[number];

const pemPath = (what: string) =>
  z
    .string()
    .min(1)
    .refine((v) => !/[\r\n]/.test(v), { message: `expected the path of a PEM ${what} file` });

// Settings > Built-in MTA > TLS Encryption. The receiving side; the files are checked for being
// readable PEM where a command uses them (config/tls-files.ts), not here: `audit` on another
// machine must not fail for a path that exists only on the gateway.
export const tlsSchema = z
  .object({
    securityLevel: z
      .enum(TLS_SECURITY_LEVELS, { error: 'expected none, may or encrypt (KSMG: No TLS, Attempt TLS, Require TLS)' })
      .default('may'),
    certFile: pemPath('certificate').optional(),
    keyFile: pemPath('private key').optional(),
    // Settings > Built-in MTA > TLS Encryption, outgoing: smtp_tls_security_level (KSMG default Attempt).
    outgoing: outgoingTlsLevel().default('may'),
    // No KSMG web-UI field: the CA certificates (PEM) next hops' certificates are checked against
    // under `verify` (smtp_tls_CAfile). Absent: the system's CAs (smtp_tls_CApath = /etc/ssl/certs).
    caFile: pemPath('CA certificates').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.certFile === undefined) !== (v.keyFile === undefined)) {
      const missing = v.certFile === undefined ? 'certFile' : 'keyFile';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `give certFile and keyFile together, or neither (then a self-signed pair for mta.hostname is used); ${missing} is missing`,
      });
    }
  });

/**
 * Postfix keys smtp_tls_policy_maps by next hop ("[10.0.0.25]:25"), not by domain: two domains
 * routed to one next hop share one TLS mode, so two different modes there cannot both hold.
 */
function sharedNextHopTlsConflicts(
  mta: { domains: Array<{ name: string; route?: { host: string; port: number; mxLookup: boolean }; tls?: OutgoingTlsLevel }> },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, { name: string; tls: OutgoingTlsLevel }>();
  mta.domains.forEach((d, i) => {
    if (!d.route || !d.tls) return;
    const { host, port, mxLookup } = d.route;
    const key = `${mxLookup && hostKind(host) === 'name' ? host.toLowerCase() : `[${host.toLowerCase()}]`}:${port}`;
    const first = seen.get(key);
    if (!first) return void seen.set(key, { name: d.name, tls: d.tls });
    if (first.tls !== d.tls) {
      ctx.addIssue({
        code: 'custom',
        path: ['domains', i, 'tls'],
        message: `${d.name} and ${first.name} both route to ${key}, and the TLS mode belongs to the next hop (smtp_tls_policy_maps is keyed by it): ${d.tls} here, ${first.tls} there; use one mode for both`,
      });
    }
  });
}

export const mtaSchema = z
  .object({
    hostname: domainName('a fully qualified host name')
      .refine((v) => v.includes('.'), { message: 'expected a fully qualified host name with a domain, such as ksmg.corp.example' })
      .optional(),
    domain: domainName().optional(),
    messageSizeLimit: size().default(20971520),
    trustedNetworks: z.array(network()).default([]),
    // No KSMG web-UI field: where mail to the gateway's own postmaster goes (Postfix alias_maps
    // "postmaster: <address>"). null = the gateway's local root mailbox, as on a stock appliance.
    postmaster: email().nullable().default(null),
    destination: destinationSchema.prefault({}),
    domains: z.array(domainSchema).default([]),
    advanced: advancedSchema.prefault({}),
    tls: tlsSchema.prefault({}),
  })
  .strict()
  .superRefine(sharedNextHopTlsConflicts);

export const protectionSchema = z
  .object({
    dns: z.boolean().default(true),
    spf: z.boolean().default(true),
    dkim: z.boolean().default(true),
    dmarc: z.boolean().default(true),
    dnsTimeout: duration().default(10),
  })
  .strict();

const ACTION_SKIP_DELETE_REJECT = ['skip', 'delete-message', 'reject'] as const;

export const antiVirusSchema = z
  .object({
    enabled: z.boolean().default(true),
    infected: z.enum(['skip', 'disinfect', 'delete-attachment', 'delete-message', 'reject']).default('disinfect'),
    ifDisinfectionFails: z.enum(['skip', 'delete-attachment', 'delete-message', 'reject']).default('delete-message'),
    // Objects Anti-Virus could not scan (KSMG statuses Error and Encrypted). KSMG's defaults are
    // not in the stored help; these never deliver what was not scanned.
    /** "If scan errors detected": corrupted objects, scan budgets exceeded, scanner failure. */
    scanError: z.enum(['skip', 'delete-attachment', 'delete-message', 'reject']).default('delete-attachment'),
    /** Encrypted (password-protected) objects. */
    encrypted: z.enum(['skip', 'delete-attachment', 'delete-message', 'reject']).default('delete-attachment'),
    subjectTag: z.string().default(''),
  })
  .strict();

export const antiSpamSchema = z
  .object({
    enabled: z.boolean().default(true),
    spam: z.enum(ACTION_SKIP_DELETE_REJECT).default('skip'),
    probableSpam: z.enum(ACTION_SKIP_DELETE_REJECT).default('skip'),
    subjectTag: z.string().default('[Spam]'),
    probableSpamSubjectTag: z.string().default('[Probable Spam]'),
  })
  .strict();

export const antiPhishingSchema = z
  .object({
    enabled: z.boolean().default(true),
    phishing: z.enum(ACTION_SKIP_DELETE_REJECT).default('reject'),
    subjectTag: z.string().default('[Phishing]'),
  })
  .strict();

export const contentFilteringSchema = z
  .object({
    enabled: z.boolean().default(true),
    maxSizeKb: count().max(1048576, 'expected 0–1048576 KB (0 = unlimited)').default(0),
    sizeExceeded: z.enum(ACTION_SKIP_DELETE_REJECT).default('reject'),
    bannedNames: z.array(z.string().min(1)).default([]),
    bannedTypes: z.array(z.enum(FILE_CATEGORIES)).default([]),
    listMode: z.enum(['from-list', 'not-from-list']).default('from-list'),
    banned: z.enum(['skip', 'delete-attachment', 'delete-message', 'reject']).default('delete-attachment'),
  })
  .strict();

export const mailAuthenticationSchema = z
  .object({
    enabled: z.boolean().default(false),
    spf: z.enum(ACTION_SKIP_DELETE_REJECT).default('reject'),
    dkim: z.enum(ACTION_SKIP_DELETE_REJECT).default('reject'),
    dmarc: z.enum(['apply-policy', ...ACTION_SKIP_DELETE_REJECT]).default('apply-policy'),
  })
  .strict();

/** A sender/recipient entry; a /regex/ RE2 cannot run in linear time is refused here (file:line). */
function rulePattern() {
  return z
    .string()
    .min(1)
    .superRefine((v, ctx) => {
      const problem = regexEntryProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

export const ruleSchema = z
  .object({
    name: z.string().min(1),
    enabled: z.boolean().default(true),
    /** Address masks with * and ?, /regular expressions/, IP addresses or CIDR networks. */
    senders: z.array(rulePattern()).default(['*']),
    recipients: z.array(rulePattern()).default(['*']),
    mode: z.enum(RULE_MODES).default('scan'),
    antiVirus: antiVirusSchema.prefault({}),
    antiSpam: antiSpamSchema.prefault({}),
    antiPhishing: antiPhishingSchema.prefault({}),
    contentFiltering: contentFilteringSchema.prefault({}),
    mailAuthentication: mailAuthenticationSchema.prefault({}),
  })
  .strict();

export const DEFAULT_RULE_NAME = 'Default';

export const messageProcessingSchema = z
  .object({
    /** Settings > General > Message processing > Add X-headers. */
    addXHeaders: z.boolean().default(true),
    /** "Send NDR for messages rejected after the end of SMTP session" (on by default in 2.1.1). */
    sendNdrForDelayedReject: z.boolean().default(true),
    /** Extra phishing URLs or domains the lab's Anti-Phishing treats as phishing (besides the built-in test URL). */
    phishingUrls: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** Optional lab description: which users exist on the simulated internal servers, extra hosts. */
export const labSchema = z
  .object({
    /** Local parts per local domain; default postmaster plus a few users. */
    users: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /** Extra simulated hosts: name → address (A/AAAA in the lab DNS). */
    hosts: z
      .array(
        z
          .object({
            name: domainName(),
            address: z
              .string()
              .refine((v) => hostKind(v) === 'ipv4' || hostKind(v) === 'ipv6', { message: 'expected an IPv4 or IPv6 address' }),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1, { error: 'expected version: 1 (the only format version so far)' }),
    integration: z.enum(INTEGRATIONS),
    mta: mtaSchema.prefault({}),
    protection: protectionSchema.prefault({}),
    rules: z.array(ruleSchema).default([]),
    messageProcessing: messageProcessingSchema.prefault({}),
    lab: labSchema.optional(),
  })
  .strict()
  .transform((c) => {
    // Derived defaults: KSMG always has a Default rule, and a host name is set at install time.
    const rules = c.rules.some((r) => r.name === DEFAULT_RULE_NAME) ? c.rules : [...c.rules, ruleSchema.parse({ name: DEFAULT_RULE_NAME })];
    const firstDomain = c.mta.domains[0]?.name;
    const domain =
      c.mta.domain ?? (c.mta.hostname ? c.mta.hostname.split('.').slice(1).join('.') || undefined : firstDomain) ?? 'localdomain';
    const hostname = c.mta.hostname ?? `ksmg.${domain}`;
    // KSMG routes by DNS unless told otherwise; the behind-edge schemes send everything to the edge.
    const mode = c.mta.destination.mode ?? (c.integration === 'edge' ? 'dns' : 'edge-gateway');
    const destination = { ...c.mta.destination, mode };
    // Host name and domain first, in the order the web UI shows them.
    const { hostname: _h, domain: _d, ...mta } = c.mta;
    return { ...c, mta: { hostname, domain, ...mta, destination }, rules };
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type DomainEntry = Config['mta']['domains'][number];
export type Rule = Config['rules'][number];
export type Advanced = Config['mta']['advanced'];

/** The config a file with only the required keys produces. */
export function defaultConfig(integration: Integration, domains: Array<z.input<typeof domainSchema>> = []): Config {
  return configSchema.parse({ version: 1, integration, mta: { domains } });
}
