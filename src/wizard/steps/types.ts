import type { MessageId } from '../../i18n/index.js';
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

/**
 * One wizard step: explains itself, asks (or takes given answers) and writes its answers. `C` is
 * the slice of the context the step reads and writes (as create-astro's actions declare theirs):
 * the whole WizardContext must be assignable to it, and a test builds only that slice.
 */
export interface Step<C = WizardContext> {
  id: StepId;
  /** The step's title, a catalogue id (shown as "Step n/8: …", in the review and the rerun menu). */
  title: MessageId;
  run: (ctx: C) => Promise<void>;
}
