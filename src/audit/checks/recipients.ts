// Recipient verification ("Reject messages for recipients") per scheme, the valid-recipient list,
// and the always-BCC address.
import type { Config } from '../../config/schema.js';
import { isEmailAddress } from '../../config/net.js';
import type { AuditCheck, Draft } from '../types.js';
import { UI } from '../ui.js';

export const VERIFICATION_LABELS: Record<Config['mta']['advanced']['recipientVerification'], string> = {
  none: 'Do not reject',
  'reject-unverified': 'Reject for unverified recipients',
  'reject-unlisted': 'Reject for recipients not in valid list',
};

export const recipientChecks: AuditCheck[] = [
  {
    id: 'recipients.verification-behind-edge-no-verify',
    severity: 'error',
    title: 'Without verification on the edge, KSMG does not reject recipients either',
    run(c) {
      const v = c.mta.advanced.recipientVerification;
      if (c.integration !== 'behind-edge-no-verify' || v === 'none') return [];
      return [{
        message: `"Reject messages for recipients" is "${VERIFICATION_LABELS[v]}", but in this scheme the edge ` +
          'gateway does not verify recipients and has already accepted every message when it reaches KSMG: KSMG\'s ' +
          'reject makes the edge gateway send non-delivery reports instead (seed step 6 says "Do not reject").',
        path: 'mta.advanced.recipientVerification',
        fix: 'Choose "Do not reject" (recipientVerification: none).',
        uiPath: UI.recipientVerification,
        patch: [{ op: 'set', path: 'mta.advanced.recipientVerification', value: 'none' }],
      }];
    },
  },
  {
    id: 'recipients.no-verification-edge',
    severity: 'warning',
    title: 'At the edge, recipients are verified',
    run(c) {
      if (c.integration !== 'edge' || c.mta.advanced.recipientVerification !== 'none') return [];
      return [{
        message: '"Reject messages for recipients" is "Do not reject": as the edge gateway KSMG accepts mail for ' +
          'addresses that do not exist, and the internal server then sends non-delivery reports to the (often ' +
          'forged) senders: backscatter that can put your servers on block lists (seed 004).',
        path: 'mta.advanced.recipientVerification',
        fix: 'Choose "Reject for unverified recipients" (recipientVerification: reject-unverified), or a valid ' +
          'recipient list (reject-unlisted with validRecipients).',
        uiPath: UI.recipientVerification,
      }];
    },
  },
  {
    id: 'recipients.edge-probe-unanswered',
    // A warning, not a note: unknown recipients are then accepted and bounced to (often forged)
    // senders by the internal server, which the lab's edge-probe scenarios show.
    severity: 'warning',
    title: 'With verification on the edge, KSMG can answer its probes',
    run(c) {
      if (c.integration !== 'behind-edge-verify' || c.mta.advanced.recipientVerification !== 'none') return [];
      return [{
        message: 'In this scheme the edge gateway verifies recipients by asking KSMG, but with "Do not reject" ' +
          'KSMG accepts every address, so the edge gateway cannot tell that a recipient does not exist, and mail for ' +
          'unknown users is bounced later to the (often forged) sender: backscatter. ' +
          '(Inferred: the vendor page lists only the first steps of this scheme.)',
        path: 'mta.advanced.recipientVerification',
        fix: 'Consider "Reject for unverified recipients" (reject-unverified), so KSMG passes on the internal ' +
          'server\'s answer to the edge gateway\'s probe.',
        uiPath: UI.recipientVerification,
      }];
    },
  },
  {
    id: 'recipients.unlisted-empty',
    severity: 'error',
    title: 'A valid recipient list is given for reject-unlisted',
    run(c) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted' || a.validRecipients.length > 0) return [];
      return [{
        message: '"Reject messages for recipients" is "Reject for recipients not in valid list", but the list is ' +
          'empty: either every recipient is refused, or (as in Postfix, where an empty relay_recipient_maps turns ' +
          'the check off) none is checked. Neither is what the setting is for.',
        path: 'mta.advanced.validRecipients',
        fix: 'List the valid recipients (user@domain, or @domain for a whole domain), or choose another verification mode.',
        uiPath: UI.recipientVerification,
      }];
    },
  },
  {
    id: 'recipients.unlisted-no-postmaster',
    severity: 'error',
    title: 'postmaster@ of every local domain is a valid recipient',
    run(c) {
      const a = c.mta.advanced;
      if (a.recipientVerification !== 'reject-unlisted' || a.validRecipients.length === 0) return [];
      const listed = new Set(a.validRecipients.map((r) => r.toLowerCase()));
      const out: Draft[] = [];
      for (const d of c.mta.domains) {
        if (!d.local) continue;
        const name = d.name.toLowerCase();
        if (listed.has(`postmaster@${name}`) || listed.has(`@${name}`)) continue;
        out.push({
          message: `postmaster@${d.name} is not in the valid recipient list, so mail to it is refused with ` +
            '550 5.1.1 "User unknown in relay recipient table"; every domain must accept mail for postmaster (RFC 5321).',
          path: 'mta.advanced.validRecipients',
          fix: `Add postmaster@${d.name} (or @${d.name} for the whole domain) to validRecipients.`,
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
    run(c) {
      const bcc = c.mta.advanced.alwaysBcc;
      if (bcc === null || isEmailAddress(bcc)) return [];
      return [{
        message: `The BCC address for all messages, "${bcc}", is not a valid e-mail address: every message would ` +
          'produce an undeliverable copy.',
        path: 'mta.advanced.alwaysBcc',
        fix: 'Enter a full address such as archive@corp.example, or remove it (alwaysBcc: null).',
        uiPath: UI.bcc,
      }];
    },
  },
];
