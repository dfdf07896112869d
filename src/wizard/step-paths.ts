// Which wizard step answers a ksmg.yaml key path (a finding's path), longest prefix first.
import type { StepId } from './steps/types.js';

/** Which step answers a finding, by the config path it points at (longest prefix wins). */
const PATH_TO_STEP: Array<[string, StepId]> = [
  ['mta.advanced.recipientVerification', 'recipient-verification'],
  ['mta.advanced.unverifiedRecipientRejectCode', 'recipient-verification'],
  ['mta.advanced.validRecipients', 'recipient-verification'],
  ['mta.advanced', 'advanced'],
  ['mta.hostname', 'advanced'],
  ['mta.domain', 'advanced'],
  ['mta.messageSizeLimit', 'advanced'],
  ['mta.tls', 'tls'],
  ['mta.domains', 'domains'],
  ['mta.destination', 'destination'],
  ['mta.trustedNetworks', 'trusted-networks'],
  ['protection', 'sender-auth'],
  ['rules', 'scan-actions'],
  ['integration', 'scheme'],
];

export function stepForPath(path: string): StepId | undefined {
  const p = path.replace(/\[(\d+)\]/g, '.$1');
  return PATH_TO_STEP.find(([prefix]) => p === prefix || p.startsWith(prefix + '.'))?.[1];
}
