// Values the schema accepts but that do not do what they seem to: IPv4 addresses written as
// IPv6, entries already covered by another trusted network, valid recipients KSMG never accepts
// mail for, "@domain" entries that turn the check off, absurd sizes and zero timeouts.
import type { Config } from '../../config/schema.js';
import { cidrCovers, parseCidr, unmappedIpv4, type Cidr } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { advancedFieldPath, UI } from '../ui.js';

/** `::ffff:10.0.0.0/104` → `10.0.0.0/8`; null when the entry is not IPv4-mapped. */
function mappedAsIpv4(c: Cidr): string | null {
  if (c.bits !== 128 || c.prefix < 96) return null;
  const v4 = unmappedIpv4(c.address);
  return v4 ? (c.prefix === 128 ? v4 : `${v4}/${c.prefix - 96}`) : null;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Below this no ordinary message fits (each hop adds headers; one attachment is more). */
const TINY_SIZE = 64 * 1024;
/** Below this, everyday mail with attachments (a 5 MB scan, a presentation) is refused. */
const SMALL_SIZE = 10 * 1024 * 1024;

const DURATIONS_AT_ZERO: Array<{ key: keyof Config['mta']['advanced']; severity: 'error' | 'warning'; why: string }> = [
  { key: 'sessionTimeout', severity: 'error', why: 'every SMTP session is cut off before the client can send a command' },
  { key: 'transportRetryTime', severity: 'warning', why: 'a destination that just failed is tried again at once, in a tight loop' },
  { key: 'minimalBackoff', severity: 'warning', why: 'deferred mail is retried without any pause, hammering a server that is down' },
  { key: 'maximalBackoff', severity: 'warning', why: 'deferred mail is retried without any pause, hammering a server that is down' },
  { key: 'queueRunDelay', severity: 'warning', why: 'the deferred queue is scanned continuously' },
  { key: 'maximalQueueLifetime', severity: 'warning', why: 'a message is tried once: the first temporary failure (a greylisting 450, a restart) bounces it' },
  { key: 'bounceQueueLifetime', severity: 'warning', why: 'a non-delivery report is tried once and dropped at its first temporary failure' },
];

export const valueChecks: AuditCheck[] = [
  {
    id: 'networks.ipv4-mapped',
    severity: 'warning',
    title: 'Trusted networks are written in their own family',
    run(c) {
      return c.mta.trustedNetworks.flatMap((text, i): Draft[] => {
        const r = parseCidr(text);
        const v4 = r.ok ? mappedAsIpv4(r.cidr) : null;
        if (!v4) return [];
        return [{
          message: `Trusted network "${text}" is the IPv4 ${v4.includes('/') ? 'network' : 'address'} ${v4} written as IPv6. ` +
            'KSMG (Postfix) matches IPv4 clients against IPv4 networks only, so this entry trusts nobody.',
          path: `mta.trustedNetworks[${i}]`,
          fix: `Write it as ${v4}.`,
          uiPath: UI.trustedNetworks,
          patch: [{ op: 'set', path: `mta.trustedNetworks[${i}]`, value: v4 }],
        }];
      });
    },
  },
  {
    id: 'hosts.ipv4-mapped',
    severity: 'warning',
    title: 'Next hops are written in their own family',
    run(c) {
      const out: Draft[] = [];
      const hop = (host: string | undefined, path: string, what: string, uiPath: string) => {
        const v4 = host ? unmappedIpv4(host) : null;
        if (!v4 || !host?.includes(':')) return;
        out.push({
          message: `${what} "${host}" is the IPv4 address ${v4} written as IPv6; the web UI expects ${v4}, and an IPv4-only ` +
            'network has no IPv6 route to it.',
          path,
          fix: `Write it as ${v4}.`,
          uiPath,
          patch: [{ op: 'set', path, value: v4 }],
        });
      };
      hop(c.mta.destination.host, 'mta.destination.host', 'The edge gateway address', UI.destination);
      c.mta.domains.forEach((d, i) => hop(d.route?.host, `mta.domains[${i}].route.host`, `The route of ${d.name}`, UI.domains));
      return out;
    },
  },
  {
    id: 'networks.redundant',
    severity: 'warning',
    title: 'No trusted network is inside another one',
    run(c) {
      const parsed = c.mta.trustedNetworks.map((text, i) => ({ text, i, r: parseCidr(text) }))
        .flatMap((x) => (x.r.ok ? [{ text: x.text, i: x.i, cidr: x.r.cidr }] : []));
      const wider = [...parsed].sort((a, b) => a.cidr.prefix - b.cidr.prefix);
      return parsed.flatMap(({ text, i, cidr }): Draft[] => {
        // An outer range as wide as the internet is the open-relay error, not a reason to drop the others.
        const outer = wider.find((o) => o.cidr.prefix >= (o.cidr.bits === 32 ? 8 : 32) && o.cidr.prefix <= cidr.prefix && o.i !== i && cidrCovers(o.cidr, cidr) &&
          // Of two equal entries the later one is the redundant one.
          (o.cidr.prefix < cidr.prefix || o.i < i));
        if (!outer) return [];
        return [{
          message: `Trusted network "${text}" is already inside "${outer.text}", so the entry changes nothing. If only ${text} ` +
            `should be trusted, it is "${outer.text}" that is too wide.`,
          path: `mta.trustedNetworks[${i}]`,
          fix: `Remove ${text}, or narrow ${outer.text} to what should really be trusted.`,
          uiPath: UI.trustedNetworks,
          patch: [{ op: 'remove', path: `mta.trustedNetworks[${i}]` }],
        }];
      });
    },
  },
  {
    id: 'recipients.valid-outside-local',
    severity: 'warning',
    title: 'Valid recipients are in local domains',
    run(c) {
      const local = new Set(c.mta.domains.filter((d) => d.local).map((d) => d.name));
      return c.mta.advanced.validRecipients.flatMap((r, i): Draft[] => {
        const d = domainOf(r);
        if (local.has(d)) return [];
        return [{
          message: `The valid recipient ${r} is not in a local domain (${d} is ${c.mta.domains.some((x) => x.name === d) ? 'listed but not local' : 'not listed'}): ` +
            'KSMG refuses mail for it from untrusted sources as relaying before the list is consulted, so the entry has no effect.',
          path: `mta.advanced.validRecipients[${i}]`,
          fix: `Remove ${r}, or add ${d} as a local domain if KSMG should accept its mail.`,
          uiPath: UI.recipientVerification,
          patch: [{ op: 'remove', path: `mta.advanced.validRecipients[${i}]` }],
        }];
      });
    },
  },
  {
    id: 'recipients.unlisted-whole-domain',
    severity: 'info',
    title: 'An @domain entry turns the valid-recipient check off for that domain',
    run(c) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted') return [];
      const local = new Set(c.mta.domains.filter((d) => d.local).map((d) => d.name));
      return a.validRecipients.flatMap((r, i): Draft[] => {
        if (!r.startsWith('@') || !local.has(domainOf(r))) return [];
        const rejects = c.integration !== 'behind-edge-no-verify';
        return [{
          // Where KSMG is expected to refuse unknown users in the session, this defeats it: a warning.
          severity: rejects ? 'warning' : 'info',
          message: `"${r}" accepts every address of ${r.slice(1)}, so "Reject for recipients not in valid list" checks nothing ` +
            `there: mail for users that do not exist is accepted and bounced later by the internal server` +
            (rejects ? ' (backscatter), instead of being refused in the session.' : '.'),
          path: `mta.advanced.validRecipients[${i}]`,
          fix: `List the real addresses of ${r.slice(1)} instead, or choose "Reject for unverified recipients" to ask the internal server.`,
          uiPath: UI.recipientVerification,
        }];
      });
    },
  },
  {
    id: 'limits.size-tiny',
    severity: 'error',
    title: 'The message size limit lets ordinary mail through',
    run(c) {
      const n = c.mta.messageSizeLimit;
      if (n === 0 || n >= SMALL_SIZE) return [];
      const tiny = n < TINY_SIZE;
      return [{
        severity: tiny ? 'error' : 'warning',
        message: `The message size limit is ${n} bytes${n >= 1024 ? ` (${Math.round(n / 1024)} KB)` : ''}: ` +
          (tiny
            ? 'no ordinary message fits (every mail server on the way adds headers), so KSMG refuses nearly all mail with "552 5.3.4".'
            : 'everyday mail with attachments (a 5 MB scan or presentation) is refused with "552 5.3.4 Message size exceeds fixed limit".') +
          ' The value is in bytes; the KSMG default is 20971520 (20 MB).',
        path: 'mta.messageSizeLimit',
        fix: 'Set it in bytes, e.g. 20971520 (or 20MB), or 0 for no limit.',
        uiPath: `${UI.basic} > Message size limit`,
        patch: [{ op: 'set', path: 'mta.messageSizeLimit', value: 20971520 }],
      }];
    },
  },
  {
    id: 'advanced.zero-duration',
    severity: 'warning',
    title: 'Timeouts and queue intervals are not 0 s',
    run(c) {
      const a = c.mta.advanced;
      const out: Draft[] = DURATIONS_AT_ZERO.filter((d) => a[d.key] === 0).map((d) => ({
        severity: d.severity,
        message: `${d.key} is 0 s: ${d.why}.`,
        path: `mta.advanced.${d.key}`,
        fix: 'Use the KSMG default (leave the key out), or a value in seconds or with a unit (30s, 5m, 4h, 3d).',
        uiPath: advancedFieldPath(d.key),
        patch: [{ op: 'remove' as const, path: `mta.advanced.${d.key}` }],
      }));
      if (c.protection.dnsTimeout === 0) {
        out.push({
          message: 'The DNS server timeout is 0 s: every SPF, DKIM and DMARC lookup times out, and KSMG processes mail without sender authentication.',
          path: 'protection.dnsTimeout',
          fix: 'Use the KSMG default of 10 s (leave the key out).',
          uiPath: UI.externalServices,
          patch: [{ op: 'remove', path: 'protection.dnsTimeout' }],
        });
      }
      return out;
    },
  },
];
