// Values the schema accepts but that do not do what they seem to: IPv4 addresses written as
// IPv6, entries already covered by another trusted network, valid recipients KSMG never accepts
// mail for, "@domain" entries that turn the check off, absurd sizes and zero timeouts.
import type { Config } from '../../config/schema.js';
import { cidrCovers, parseCidr, unmappedIpv4, type Cidr } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { advancedFieldPath, UI, VERIFICATION_CHOICES } from '../ui.js';
import { tEn, type MessageId } from '../../i18n/index.js';

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

const DURATIONS_AT_ZERO: Array<{ key: keyof Config['mta']['advanced']; severity: 'error' | 'warning'; why: MessageId }> = [
  { key: 'sessionTimeout', severity: 'error', why: 'finding.advanced.zero-duration.why.sessionTimeout' },
  { key: 'transportRetryTime', severity: 'warning', why: 'finding.advanced.zero-duration.why.transportRetryTime' },
  { key: 'minimalBackoff', severity: 'warning', why: 'finding.advanced.zero-duration.why.backoff' },
  { key: 'maximalBackoff', severity: 'warning', why: 'finding.advanced.zero-duration.why.backoff' },
  { key: 'queueRunDelay', severity: 'warning', why: 'finding.advanced.zero-duration.why.queueRunDelay' },
  { key: 'maximalQueueLifetime', severity: 'warning', why: 'finding.advanced.zero-duration.why.maximalQueueLifetime' },
  { key: 'bounceQueueLifetime', severity: 'warning', why: 'finding.advanced.zero-duration.why.bounceQueueLifetime' },
];

export const valueChecks: AuditCheck[] = [
  {
    id: 'networks.ipv4-mapped',
    severity: 'warning',
    title: 'Trusted networks are written in their own family',
    run(c, t = tEn) {
      return c.mta.trustedNetworks.flatMap((text, i): Draft[] => {
        const r = parseCidr(text);
        const v4 = r.ok ? mappedAsIpv4(r.cidr) : null;
        if (!v4) return [];
        return [
          {
            message: t(v4.includes('/') ? 'finding.networks.ipv4-mapped.message.network' : 'finding.networks.ipv4-mapped.message.address', {
              network: text,
              v4,
            }),
            path: `mta.trustedNetworks[${i}]`,
            fix: t('finding.writeAs', { v4 }),
            uiPath: UI.trustedNetworks,
            patch: [{ op: 'set', path: `mta.trustedNetworks[${i}]`, value: v4 }],
          },
        ];
      });
    },
  },
  {
    id: 'hosts.ipv4-mapped',
    severity: 'warning',
    title: 'Next hops are written in their own family',
    run(c, t = tEn) {
      const out: Draft[] = [];
      const hop = (host: string | undefined, path: string, what: string, uiPath: string) => {
        const v4 = host ? unmappedIpv4(host) : null;
        if (!v4 || !host?.includes(':')) return;
        out.push({
          message: t('finding.hosts.ipv4-mapped.message', { what, host, v4 }),
          path,
          fix: t('finding.writeAs', { v4 }),
          uiPath,
          patch: [{ op: 'set', path, value: v4 }],
        });
      };
      hop(c.mta.destination.host, 'mta.destination.host', t('finding.hosts.ipv4-mapped.edge'), UI.destination);
      c.mta.domains.forEach((d, i) =>
        hop(d.route?.host, `mta.domains[${i}].route.host`, t('finding.hosts.ipv4-mapped.route', { domain: d.name }), UI.domains),
      );
      return out;
    },
  },
  {
    id: 'networks.redundant',
    severity: 'warning',
    title: 'No trusted network is inside another one',
    run(c, t = tEn) {
      const parsed = c.mta.trustedNetworks
        .map((text, i) => ({ text, i, r: parseCidr(text) }))
        .flatMap((x) => (x.r.ok ? [{ text: x.text, i: x.i, cidr: x.r.cidr }] : []));
      const wider = [...parsed].sort((a, b) => a.cidr.prefix - b.cidr.prefix);
      return parsed.flatMap(({ text, i, cidr }): Draft[] => {
        // An outer range as wide as the internet is the open-relay error, not a reason to drop the others.
        const outer = wider.find(
          (o) =>
            o.cidr.prefix >= (o.cidr.bits === 32 ? 8 : 32) &&
            o.cidr.prefix <= cidr.prefix &&
            o.i !== i &&
            cidrCovers(o.cidr, cidr) &&
            // Of two equal entries the later one is the redundant one.
            (o.cidr.prefix < cidr.prefix || o.i < i),
        );
        if (!outer) return [];
        return [
          {
            message: t('finding.networks.redundant.message', { network: text, outer: outer.text }),
            path: `mta.trustedNetworks[${i}]`,
            fix: t('finding.networks.redundant.fix', { network: text, outer: outer.text }),
            uiPath: UI.trustedNetworks,
            patch: [{ op: 'remove', path: `mta.trustedNetworks[${i}]` }],
          },
        ];
      });
    },
  },
  {
    id: 'recipients.valid-outside-local',
    severity: 'warning',
    title: 'Valid recipients are in local domains',
    run(c, t = tEn) {
      const local = new Set(c.mta.domains.filter((d) => d.local).map((d) => d.name));
      return c.mta.advanced.validRecipients.flatMap((r, i): Draft[] => {
        const d = domainOf(r);
        if (local.has(d)) return [];
        return [
          {
            message: t(
              c.mta.domains.some((x) => x.name === d)
                ? 'finding.recipients.valid-outside-local.message.notLocal'
                : 'finding.recipients.valid-outside-local.message.notListed',
              { recipient: r, domain: d },
            ),
            path: `mta.advanced.validRecipients[${i}]`,
            fix: t('finding.recipients.valid-outside-local.fix', { recipient: r, domain: d }),
            uiPath: UI.recipientVerification,
            patch: [{ op: 'remove', path: `mta.advanced.validRecipients[${i}]` }],
          },
        ];
      });
    },
  },
  {
    id: 'recipients.unlisted-whole-domain',
    severity: 'info',
    title: 'An @domain entry turns the valid-recipient check off for that domain',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted') return [];
      const local = new Set(c.mta.domains.filter((d) => d.local).map((d) => d.name));
      return a.validRecipients.flatMap((r, i): Draft[] => {
        if (!r.startsWith('@') || !local.has(domainOf(r))) return [];
        const rejects = c.integration !== 'behind-edge-no-verify';
        return [
          {
            // Where KSMG is expected to refuse unknown users in the session, this defeats it: a warning.
            severity: rejects ? 'warning' : 'info',
            message: t(
              rejects
                ? 'finding.recipients.unlisted-whole-domain.message.rejects'
                : 'finding.recipients.unlisted-whole-domain.message.accepts',
              { entry: r, domain: r.slice(1), unlisted: VERIFICATION_CHOICES[t.lang]['reject-unlisted'] },
            ),
            path: `mta.advanced.validRecipients[${i}]`,
            fix: t('finding.recipients.unlisted-whole-domain.fix', {
              domain: r.slice(1),
              unverified: VERIFICATION_CHOICES[t.lang]['reject-unverified'],
            }),
            uiPath: UI.recipientVerification,
          },
        ];
      });
    },
  },
  {
    id: 'limits.size-tiny',
    severity: 'error',
    title: 'The message size limit lets ordinary mail through',
    run(c, t = tEn) {
      const n = c.mta.messageSizeLimit;
      if (n === 0 || n >= SMALL_SIZE) return [];
      const tiny = n < TINY_SIZE;
      return [
        {
          severity: tiny ? 'error' : 'warning',
          message:
            t('finding.limits.size-tiny.size', { bytes: n }) +
            (n >= 1024 ? t('finding.limits.size-tiny.kb', { kb: Math.round(n / 1024) }) : '') +
            t(tiny ? 'finding.limits.size-tiny.tiny' : 'finding.limits.size-tiny.small'),
          path: 'mta.messageSizeLimit',
          fix: t('finding.limits.size-tiny.fix'),
          uiPath: `${UI.basic} > Message size limit`,
          patch: [{ op: 'set', path: 'mta.messageSizeLimit', value: 20971520 }],
        },
      ];
    },
  },
  {
    id: 'advanced.zero-duration',
    severity: 'warning',
    title: 'Timeouts and queue intervals are not 0 s',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      const out: Draft[] = DURATIONS_AT_ZERO.filter((d) => a[d.key] === 0).map((d) => ({
        severity: d.severity,
        message: t('finding.advanced.zero-duration.message', { key: d.key, why: t(d.why) }),
        path: `mta.advanced.${d.key}`,
        fix: t('finding.advanced.zero-duration.fix'),
        uiPath: advancedFieldPath(d.key),
        patch: [{ op: 'remove' as const, path: `mta.advanced.${d.key}` }],
      }));
      if (c.protection.dnsTimeout === 0) {
        out.push({
          message: t('finding.advanced.zero-duration.dns.message'),
          path: 'protection.dnsTimeout',
          fix: t('finding.advanced.zero-duration.dns.fix'),
          uiPath: UI.externalServices,
          patch: [{ op: 'remove', path: 'protection.dnsTimeout' }],
        });
      }
      return out;
    },
  },
];
