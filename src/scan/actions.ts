// Combining module verdicts into one outcome per rule, and rule outcomes into the message's fate
// (ksmg-product.md §5.1–5.2): the strictest action wins (Delete message → Reject → Delete
// attachment → Skip); an in-session reject only when every recipient is rejected, otherwise the
// message is accepted and each recipient gets its own action (delayed reject → KSMG's NDR).
import type { Rule } from '../config/schema.js';
import type { SelectedRule } from '../policy/rules.js';
import type { MimePart } from './mime.js';
import { ACTIONS, type Action, type ModuleVerdict } from './modules.js';

export function strictest(actions: Action[]): Action {
  let best: Action = 'skip';
  for (const a of actions) if (ACTIONS.indexOf(a) < ACTIONS.indexOf(best)) best = a;
  return best;
}

export interface RuleOutcome extends SelectedRule {
  recipients: string[];
  /** How the rule's mode decided: scanned by the modules, or "… without scanning". */
  mode: Rule['mode'];
  action: Action;
  verdicts: ModuleVerdict[];
  /** Subject tags of the modules whose detection ends in Skip/Delete attachment (delivered mail). */
  subjectTags: string[];
  /** Parts to replace with a note (Delete attachment). */
  deleteParts: MimePart[];
  /** The modules whose verdict produced the final action. */
  firedBy: ModuleVerdict[];
  reason: string;
}

/** One rule's outcome from its mode or its modules' verdicts. */
export function combineRule(sel: SelectedRule, recipients: string[], verdicts: ModuleVerdict[]): RuleOutcome {
  const mode = sel.rule.mode;
  const base = { ...sel, recipients, mode, verdicts, subjectTags: [], deleteParts: [], firedBy: [] };
  if (mode === 'reject') return { ...base, action: 'reject', reason: `rejected by rule "${sel.rule.name}"` };
  if (mode === 'delete') return { ...base, action: 'delete-message', reason: `deleted by rule "${sel.rule.name}"` };
  if (mode === 'skip') return { ...base, action: 'skip', reason: '' };
  const detected = verdicts.filter((v) => v.detected);
  const action = strictest(detected.map((v) => v.action));
  const firedBy = detected.filter((v) => v.action === action);
  const deliverable = action === 'skip' || action === 'delete-attachment';
  return {
    ...base,
    action,
    firedBy,
    // A tag belongs to delivered mail only; every detecting module with a tag contributes one.
    subjectTags: deliverable ? detected.map((v) => v.subjectTag).filter((t) => t !== '') : [],
    // Delete attachment from any module removes its parts (Skip from another module does not undo it).
    deleteParts: action === 'delete-attachment' ? detected.filter((v) => v.action === 'delete-attachment').flatMap((v) => v.parts) : [],
    reason: firedBy
      .map((v) => v.reason)
      .filter(Boolean)
      .join('; '),
  };
}

export type RecipientFate = 'deliver' | 'delete' | 'reject';

export function fateOf(action: Action): RecipientFate {
  if (action === 'delete-message') return 'delete';
  if (action === 'reject') return 'reject';
  return 'deliver';
}

export interface MessageDecision {
  /** Every recipient is rejected: answer 550 in the session. */
  rejectInSession: boolean;
  /** The rule outcomes whose recipients receive the message. */
  delivered: RuleOutcome[];
  outcomes: RuleOutcome[];
}

export function decideMessage(outcomes: RuleOutcome[]): MessageDecision {
  const rejectInSession = outcomes.length > 0 && outcomes.every((o) => o.action === 'reject');
  return { rejectInSession, delivered: outcomes.filter((o) => fateOf(o.action) === 'deliver'), outcomes };
}

/** The wording used in X-KSMG-Message-Action and the log line. */
export function actionWord(o: RuleOutcome): string {
  if (o.mode === 'skip') return 'skipped';
  switch (o.action) {
    case 'delete-message':
      return 'deleted';
    case 'reject':
      return 'rejected';
    case 'delete-attachment':
      return 'attachment deleted';
    default:
      return o.verdicts.some((v) => v.detected) ? 'skipped' : 'clean';
  }
}
