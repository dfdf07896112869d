// What the scan tells the world: X-KSMG-* headers on delivered mail (ksmg-product.md §5.6, with
// the value forms seen on real KSMG mail: "clean", "Clean, skipped", "not_detected",
// "not scanned, disabled by settings") and the per-message verdict line (§5.5).
import { actionWord, type RuleOutcome } from './actions.js';
import { authSummary, type AuthOutcome } from './mail-auth.js';
import type { ModuleName, ModuleVerdict } from './modules.js';

export const SCANNER_BANNER = 'Kaspersky Secure Mail Gateway (ksmg-setup lab emulation), test signatures: EICAR, GTUBE';

function find(o: RuleOutcome, m: ModuleName): ModuleVerdict | undefined {
  return o.verdicts.find((v) => v.module === m);
}

const NOT_SCANNED_BY_RULE = 'not scanned, skipped by rule';

function avStatus(o: RuleOutcome): string {
  const v = find(o, 'AntiVirus');
  if (!v) return NOT_SCANNED_BY_RULE;
  if (!v.scanned) return v.status;
  if (!v.detected) return 'Clean, skipped';
  // Error / Encrypted: objects that were not scanned (never reported Clean).
  const what = v.status !== 'Infected' ? v.status : v.disinfectionFailed ? 'Infected, disinfection failed' : 'Infected';
  return `${what}, ${v.action === 'delete-attachment' ? 'attachment deleted' : 'skipped'}`;
}

function asStatus(v: ModuleVerdict | undefined): string {
  if (!v) return NOT_SCANNED_BY_RULE;
  if (!v.scanned) return v.status;
  if (v.status === 'Spam') return 'spam';
  if (v.status === 'Probable Spam') return 'probable_spam';
  return 'not_detected';
}

function apStatus(v: ModuleVerdict | undefined): string {
  if (!v) return NOT_SCANNED_BY_RULE;
  if (!v.scanned) return v.status;
  return v.detected ? 'Phishing' : 'Clean';
}

/** X-KSMG-Message-Action: the action, and the modules that decided it when something fired. */
export function messageAction(o: RuleOutcome): string {
  const word = actionWord(o);
  const modules = o.verdicts.filter((v) => v.detected).map((v) => v.module);
  return modules.length && o.mode === 'scan' ? `${word} (${[...new Set(modules)].join(', ')})` : word;
}

/**
 * The X-headers for delivered mail. `outcomes` are the delivered rule outcomes (the first is the
 * primary one whose module statuses are shown); Rule-ID lists them all.
 */
export function xHeaders(outcomes: RuleOutcome[], rate: number | undefined, auth: AuthOutcome | undefined, sender: string): string[] {
  const primary = outcomes[0]!;
  const as = find(primary, 'AntiSpam');
  const lines = [
    `X-KSMG-Rule-ID: ${outcomes.map((o) => o.id).join(', ')}`,
    `X-KSMG-Message-Action: ${messageAction(primary)}`,
    `X-KSMG-AntiSpam-Envelope-From: ${sender || '<>'}`,
  ];
  if (as?.scanned && rate !== undefined) lines.push(`X-KSMG-AntiSpam-Rate: ${rate}`);
  lines.push(`X-KSMG-AntiSpam-Status: ${asStatus(as)}`);
  if (as?.scanned) lines.push(`X-KSMG-AntiSpam-Auth: ${authSummary(auth)}`);
  lines.push(`X-KSMG-AntiPhishing: ${apStatus(find(primary, 'AntiPhishing'))}`);
  lines.push(`X-KSMG-AntiVirus: ${SCANNER_BANNER}`);
  lines.push(`X-KSMG-AntiVirus-Status: ${avStatus(primary)}`);
  return lines;
}

/** What was not scanned and why (Anti-Virus Error / Encrypted), so the log never reads as clean. */
function unscannedNote(outcomes: RuleOutcome[], failure: string | undefined): string[] {
  const why = new Set<string>();
  for (const o of outcomes) {
    for (const v of o.verdicts) if (v.module === 'AntiVirus' && (v.status === 'Error' || v.status === 'Encrypted')) why.add(v.reason);
  }
  if (failure && why.size === 0) why.add(`message not scanned: ${failure}`);
  return why.size ? [`not-scanned="${[...why].join('; ').replace(/"/g, "'")}"`] : [];
}

const LOG_ACTION: Record<string, string> = {
  clean: 'Skipped',
  skipped: 'Skipped',
  deleted: 'Deleted',
  rejected: 'Rejected',
  'attachment deleted': 'Attachment deleted',
};

function logStatus(v: ModuleVerdict | undefined): string {
  if (!v) return 'NotScanned';
  if (!v.scanned) return v.status.startsWith('not checked') ? 'NotChecked' : 'NotScanned';
  return v.status;
}

/**
 * `not clean: message-id=<…>: relay-ip=<ip>: action="Rejected": rules=1: size=n:
 * mail-from=<a>: rcpt-to=<b>,<c>: kt-status="NotScanned", av-status="Infected", …` — one line
 * per message; with several rules, action and statuses are listed per rule, joined by "|". The
 * relay's logger puts the date, host and queue ID in front.
 */
export function verdictLine(p: {
  messageId: string;
  clientIp: string;
  size: number;
  sender: string;
  outcomes: RuleOutcome[];
  inSessionReject: boolean;
  /** Why the message as a whole was not scanned (budget, scanner failure), for the log. */
  failure?: string;
}): string {
  const clean = p.outcomes.every((o) => !o.verdicts.some((v) => v.detected) && o.mode !== 'reject' && o.mode !== 'delete');
  const each = (f: (o: RuleOutcome) => string) => p.outcomes.map(f).join('|');
  const action = each((o) => {
    const a = LOG_ACTION[actionWord(o)] ?? 'Skipped';
    return a === 'Rejected' && !p.inSessionReject ? 'Rejected after session' : a;
  });
  const status = (m: ModuleName) => each((o) => logStatus(find(o, m)));
  return [
    clean ? 'clean' : 'not clean',
    `message-id=${p.messageId || '<>'}`,
    `relay-ip=${p.clientIp}`,
    `action="${action}"`,
    `rules=${p.outcomes.map((o) => o.id).join(',')}`,
    `size=${p.size}`,
    `mail-from=<${p.sender}>`,
    `rcpt-to=${p.outcomes
      .flatMap((o) => o.recipients)
      .map((r) => `<${r}>`)
      .join(',')}`,
    [
      `kt-status="NotScanned"`,
      `av-status="${status('AntiVirus')}"`,
      `ap-status="${status('AntiPhishing')}"`,
      `as-status="${status('AntiSpam')}"`,
      `ma-status="${status('MailAuthentication')}"`,
      `cf-status="${status('ContentFiltering')}"`,
    ].join(', '),
    ...unscannedNote(p.outcomes, p.failure),
  ].join(': ');
}
