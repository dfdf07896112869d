// The wizard's steps in order (review is the loop around them, see ../run.ts).
import { advancedStep } from './advanced.js';
import { destinationStep } from './destination.js';
import { domainsStep } from './domains.js';
import { recipientVerificationStep } from './recipient-verification.js';
import { scanActionsStep } from './scan-actions.js';
import { schemeStep } from './scheme.js';
import { senderAuthStep } from './sender-auth.js';
import { trustedNetworksStep } from './trusted-networks.js';
import { tlsStep } from './tls.js';
import type { Step, StepId } from './types.js';

export type { Step, StepId };

export const STEPS: readonly Step[] = [
  schemeStep,
  domainsStep,
  destinationStep,
  trustedNetworksStep,
  senderAuthStep,
  scanActionsStep,
  recipientVerificationStep,
  advancedStep,
  tlsStep,
];

/** Steps whose recommendation follows the scheme: walked again when the scheme changes. */
export const SCHEME_DEPENDENT: readonly StepId[] = ['destination', 'sender-auth', 'scan-actions', 'recipient-verification'];

export function stepById(id: StepId): Step {
  const s = STEPS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown wizard step ${id}`);
  return s;
}
