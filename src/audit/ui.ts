// THE table of KSMG web-UI locations and field labels, shared by the audit (Finding.uiPath) and the
// runbook, so the two never disagree on where a setting is (reference/ksmg-product.md §3; seed 000
// for the 2.x behind-edge steps, seed 004 for the 1.1 console).
import type { Advanced } from '../config/schema.js';

export type KsmgVersion = '2.x' | '1.1';
export const KSMG_VERSIONS: readonly KsmgVersion[] = ['2.x', '1.1'];

/** KSMG 2.x web UI (the default everywhere). */
export const UI = {
  domains: 'Settings > Built-in MTA > Domains',
  basic: 'Settings > Built-in MTA > Basic settings',
  destination: 'Settings > Built-in MTA > Basic settings > Email destination address',
  trustedNetworks: 'Settings > Built-in MTA > Basic settings > Trusted networks',
  advanced: 'Settings > Built-in MTA > Advanced settings',
  recipientVerification: 'Settings > Built-in MTA > Advanced settings > Reject messages for recipients',
  bcc: 'Settings > Built-in MTA > Advanced settings > BCC address for all messages',
  /** The queue timing fields exist only in the KSMG 1.1 console, not in the 2.x web UI. */
  queueTiming: 'Settings > MTA > Advanced settings (KSMG 1.1 console; these fields are not in the 2.x web UI)',
  externalServices: 'Settings > General > Protection > External services',
  messageProcessing: 'Settings > General > Message processing',
  rules: 'Rules',
} as const;

/**
 * KSMG 1.1 management console (seed 004: "management console tree > Settings > MTA"). The 1.1
 * help has no Domains page and no External services tab of this name [GAP]; the closest places are given.
 */
export const UI_11: Record<keyof typeof UI, string> = {
  domains: 'Settings > MTA > Basic settings (relay domains and email routing)',
  basic: 'Settings > MTA > Basic settings',
  destination: 'Settings > MTA > Basic settings > Email destination address',
  trustedNetworks: 'Settings > MTA > Basic settings > Trusted networks',
  advanced: 'Settings > MTA > Advanced settings',
  recipientVerification: 'Settings > MTA > Advanced settings > Reject messages for unverified recipients',
  bcc: 'Settings > MTA > Advanced settings > BCC address for all messages',
  queueTiming: 'Settings > MTA > Advanced settings',
  externalServices: 'Settings > Protection (SPF, DKIM and DMARC settings)',
  messageProcessing: 'Settings > Message processing',
  rules: 'Rules',
};

export const uiFor = (version: KsmgVersion = '2.x'): Record<keyof typeof UI, string> => (version === '1.1' ? UI_11 : UI);

export interface AdvancedField {
  /** The 2.x web-UI label. */
  label: string;
  /** The 1.1 console label, where it differs. */
  label11?: string;
  /** Only the 1.1 console has this field; 2.x keeps its own value. */
  only11?: boolean;
}

/** Advanced MTA settings: label per version and whether 2.x shows the field at all. */
export const ADVANCED_FIELDS: Partial<Record<keyof Advanced, AdvancedField>> = {
  greeting: { label: 'SMTP greeting text' },
  connectionRateLimit: { label: 'Maximum connection attempts (per client per minute)' },
  connectionCountLimit: { label: 'Maximum simultaneous connection attempts (per client)' },
  messageRateLimit: { label: 'Maximum mail delivery requests (per client per minute)' },
  sessionTimeout: { label: 'Maximum SMTP session length', label11: 'SMTP session timeout' },
  transportRetryTime: { label: 'Interval between destination address connection attempts', only11: true },
  minimalBackoff: { label: 'Minimum delivery interval for Deferred queue', only11: true },
  maximalBackoff: { label: 'Maximum delivery interval for Deferred queue', only11: true },
  queueRunDelay: { label: 'Deferred queue processing interval', only11: true },
  maximalQueueLifetime: { label: 'Maximum queue lifetime for a message' },
  bounceQueueLifetime: { label: 'Maximum queue lifetime for a bounce message' },
  alwaysBcc: { label: 'BCC address for all messages' },
  strictRfc821Envelopes: { label: 'Check addresses format for RFC 821 compliance' },
  disableVrfy: { label: 'Disable recipient verification SMTP VRFY' },
  discardEhloKeywords: { label: 'EHLO keywords not announced' },
  rejectUnknownRecipientDomains: { label: 'Reject messages for unknown recipient domains' },
};

export function advancedLabel(key: keyof Advanced, version: KsmgVersion = '2.x'): string {
  const f = ADVANCED_FIELDS[key];
  if (!f) return key;
  return version === '1.1' ? (f.label11 ?? f.label) : f.label;
}

/** Where an advanced setting is; a 1.1-only field says so in the 2.x path. */
export function advancedFieldPath(key: keyof Advanced, version: KsmgVersion = '2.x'): string {
  const f = ADVANCED_FIELDS[key];
  if (version === '2.x' && f?.only11) return `${UI_11.advanced} > ${f.label} (KSMG 1.1 console only; not in the 2.x web UI)`;
  return `${uiFor(version).advanced} > ${advancedLabel(key, version)}`;
}
