import type { WizardContext } from '../context.js';

export type StepId =
  | 'scheme'
  | 'domains'
  | 'destination'
  | 'trusted-networks'
  | 'sender-auth'
  | 'scan-actions'
  | 'recipient-verification'
  | 'advanced'
  | 'tls';

/** One wizard step: explains itself, asks (or takes given answers) and writes ctx.draft. */
export interface Step {
  id: StepId;
  title: string;
  run(ctx: WizardContext): Promise<void>;
}
