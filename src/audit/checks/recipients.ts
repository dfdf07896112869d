// Recipient verification ("Reject messages for recipients") per scheme, the valid-recipient list,
// and the always-BCC address.
import type { Config } from '../../config/schema.js';
import { isEmailAddress } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { FIELD_LABELS, UI, VERIFICATION_CHOICES } from '../ui.js';
import { tEn, type Translate } from '../../i18n/index.js';

/** The English choices (kept for existing importers; both languages are in ../ui.ts). */
export const VERIFICATION_LABELS: Record<Config['mta']['advanced']['recipientVerification'], string> = VERIFICATION_CHOICES.en;

/** The labels the recipient messages name, in the audit's language. */
const labels = (t: Translate) => {
  const v = VERIFICATION_CHOICES[t.lang];
  return {
    field: FIELD_LABELS[t.lang].rejectForRecipients,
    none: v.none,
    unverified: v['reject-unverified'],
    unlisted: v['reject-unlisted'],
  };
};

export const recipientChecks: AuditCheck[] = [
  {
    id: 'recipients.verification-behind-edge-no-verify',
    severity: 'error',
    title: 'Without verification on the edge, KSMG does not reject recipients either',
    run(c, t = tEn) {
      const v = c.mta.advanced.recipientVerification;
      if (c.integration !== 'behind-edge-no-verify' || v === 'none') return [];
      return [
        {
          message: t('finding.recipients.verification-behind-edge-no-verify.message', {
            ...labels(t),
            mode: VERIFICATION_CHOICES[t.lang][v],
          }),
          path: 'mta.advanced.recipientVerification',
          fix: t('finding.recipients.verification-behind-edge-no-verify.fix', labels(t)),
          uiPath: UI.recipientVerification,
          patch: [{ op: 'set', path: 'mta.advanced.recipientVerification', value: 'none' }],
        },
      ];
    },
  },
  {
    id: 'recipients.no-verification-edge',
    severity: 'warning',
    title: 'At the edge, recipients are verified',
    run(c, t = tEn) {
      if (c.integration !== 'edge' || c.mta.advanced.recipientVerification !== 'none') return [];
      return [
        {
          message: t('finding.recipients.no-verification-edge.message', labels(t)),
          path: 'mta.advanced.recipientVerification',
          fix: t('finding.recipients.no-verification-edge.fix', labels(t)),
          uiPath: UI.recipientVerification,
        },
      ];
    },
  },
  {
    id: 'recipients.edge-probe-unanswered',
    // A warning, not a note: unknown recipients are then accepted and bounced to (often forged)
    // senders by the internal server, which the lab's edge-probe scenarios show.
    severity: 'warning',
    title: 'With verification on the edge, KSMG can answer its probes',
    run(c, t = tEn) {
      if (c.integration !== 'behind-edge-verify' || c.mta.advanced.recipientVerification !== 'none') return [];
      return [
        {
          message: t('finding.recipients.edge-probe-unanswered.message', labels(t)),
          path: 'mta.advanced.recipientVerification',
          fix: t('finding.recipients.edge-probe-unanswered.fix', labels(t)),
          uiPath: UI.recipientVerification,
        },
      ];
    },
  },
  {
    id: 'recipients.unlisted-empty',
    severity: 'error',
    title: 'A valid recipient list is given for reject-unlisted',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted' || a.validRecipients.length > 0) return [];
      return [
        {
          message: t('finding.recipients.unlisted-empty.message', labels(t)),
          path: 'mta.advanced.validRecipients',
          fix: t('finding.recipients.unlisted-empty.fix'),
          uiPath: UI.recipientVerification,
        },
      ];
    },
  },
  {
    id: 'recipients.unlisted-no-postmaster',
    severity: 'error',
    title: 'postmaster@ of every local domain is a valid recipient',
    run(c, t = tEn) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted' || a.validRecipients.length === 0) return [];
      const listed = new Set(a.validRecipients.map((r) => r.toLowerCase()));
      const out: Draft[] = [];
      for (const d of c.mta.domains) {
        if (!d.local) continue;
        const name = d.name.toLowerCase();
        if (listed.has(`postmaster@${name}`) || listed.has(`@${name}`)) continue;
        out.push({
          message: t('finding.recipients.unlisted-no-postmaster.message', { domain: d.name }),
          path: 'mta.advanced.validRecipients',
          fix: t('finding.recipients.unlisted-no-postmaster.fix', { domain: d.name }),
          uiPath: UI.recipientVerification,
          patch: [{ op: 'add', path: 'mta.advanced.validRecipients', value: `postmaster@${d.name}` }],
        });
      }
      return out;
    },
  },
  {
    id: 'bcc.invalid',
    severity: 'error',
    title: 'The BCC address for all messages is a valid e-mail address',
    run(c, t = tEn) {
      const bcc = c.mta.advanced.alwaysBcc;
      if (bcc === null || isEmailAddress(bcc)) return [];
      return [
        {
          message: t('finding.bcc.invalid.message', { bcc }),
          path: 'mta.advanced.alwaysBcc',
          fix: t('finding.bcc.invalid.fix'),
          uiPath: UI.bcc,
        },
      ];
    },
  },
];
