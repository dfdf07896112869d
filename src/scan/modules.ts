// The scan modules of one rule applied to the message facts: each gives a status and the action
// its settings name for it (ksmg-product.md §5.3). Combining them is actions.ts's job.
import type { Rule } from '../config/schema.js';
import { dkimFailed, type AuthOutcome } from './mail-auth.js';
import { findPhishing, nameMatches, type MessageFacts, type ScanObject } from './detect.js';
import type { MimePart } from './mime.js';

/** The four outcomes, strictest first (§5.1: Delete message → Reject → Delete attachment → Skip). */
export const ACTIONS = ['delete-message', 'reject', 'delete-attachment', 'skip'] as const;
export type Action = (typeof ACTIONS)[number];

export type ModuleName = 'AntiVirus' | 'AntiSpam' | 'AntiPhishing' | 'ContentFiltering' | 'MailAuthentication';

export interface ModuleVerdict {
  module: ModuleName;
  /** Status as the log and X-headers show it (Clean, Infected, Spam, Banned Attachment Name …). */
  status: string;
  scanned: boolean;
  detected: boolean;
  action: Action;
  /** Parts Delete attachment removes. */
  parts: MimePart[];
  subjectTag: string;
  /** Why, for the reject reply and the log (e.g. "virus EICAR-Test-File"). */
  reason: string;
  /** AntiVirus: the configured Disinfect could not clean the object. */
  disinfectionFailed?: boolean;
}

const NOT_SCANNED = 'not scanned, disabled by settings';

function verdict(module: ModuleName, v: Partial<ModuleVerdict>): ModuleVerdict {
  return { module, status: 'Clean', scanned: true, detected: false, action: 'skip', parts: [], subjectTag: '', reason: '', ...v };
}

function disabled(module: ModuleName): ModuleVerdict {
  return verdict(module, { status: NOT_SCANNED, scanned: false });
}

/** The whole message was not scanned: there is no attachment to delete, only the message. */
function forMessage(a: Action): Action {
  return a === 'delete-attachment' ? 'delete-message' : a;
}

function strictestOf(actions: Action[]): Action {
  return actions.reduce((a, b) => (ACTIONS.indexOf(b) < ACTIONS.indexOf(a) ? b : a), 'skip' as Action);
}

/**
 * Anti-Virus: Infected objects, objects it could not scan (Error: corrupted, over a budget, the
 * scanner failed) and password-protected ones (Encrypted) — each with the rule's action for that
 * status; the strictest wins, and the status shown is the worst (Infected, Error, Encrypted).
 * What was not scanned is never Clean.
 */
export function antiVirus(rule: Rule, facts: MessageFacts): ModuleVerdict {
  const s = rule.antiVirus;
  if (!s.enabled) return disabled('AntiVirus');
  const found: Array<{ status: string; action: Action; parts: MimePart[]; reason: string; disinfectionFailed?: boolean }> = [];
  const infected = facts.objects.filter((o) => o.viruses.length > 0);
  if (infected.length) {
    const names = [...new Set(infected.flatMap((o) => o.viruses))];
    // The EICAR test file cannot be disinfected, so Disinfect always falls through to
    // "if disinfection fails".
    const disinfectionFailed = s.infected === 'disinfect';
    found.push({
      status: 'Infected',
      action: disinfectionFailed ? s.ifDisinfectionFails : (s.infected as Action),
      parts: infected.map((o) => o.part),
      reason: `virus ${names.join(', ')} detected`,
      disinfectionFailed,
    });
  }
  if (facts.failure)
    found.push({ status: 'Error', action: forMessage(s.scanError), parts: [], reason: `message not scanned: ${facts.failure}` });
  const broken = facts.objects.filter((o) => o.errors.length > 0);
  if (broken.length) {
    const wholeMessage = broken.some((o) => o.part.path === '');
    found.push({
      status: 'Error',
      action: wholeMessage ? forMessage(s.scanError) : s.scanError,
      parts: broken.map((o) => o.part),
      reason: `not scanned (scan error): ${broken
        .flatMap((o) => o.errors)
        .slice(0, 3)
        .join('; ')}`,
    });
  }
  const locked = facts.objects.filter((o) => o.encrypted.length > 0);
  if (locked.length) {
    const wholeMessage = locked.some((o) => o.part.path === '');
    found.push({
      status: 'Encrypted',
      action: wholeMessage ? forMessage(s.encrypted) : s.encrypted,
      parts: locked.map((o) => o.part),
      reason: `not scanned (password-protected): ${locked
        .flatMap((o) => o.encrypted)
        .slice(0, 3)
        .join(', ')}`,
    });
  }
  if (found.length === 0) return verdict('AntiVirus', {});
  const action = strictestOf(found.map((f) => f.action));
  const parts = found.filter((f) => action !== 'delete-attachment' || f.action === 'delete-attachment').flatMap((f) => f.parts);
  return verdict('AntiVirus', {
    status: found[0]!.status,
    detected: true,
    action,
    parts: [...new Set(parts)],
    subjectTag: infected.length ? s.subjectTag : '',
    reason: found.map((f) => f.reason).join('; '),
    disinfectionFailed: found[0]!.disinfectionFailed,
  });
}

/** Status of a module that could not look at the message because the scan failed. */
const SCAN_FAILED = 'not scanned, scan error';

/** Rating points for failed authentication (the rating counts auth results, §5.4). */
export const AUTH_PENALTY = { spfFail: 40, spfSoftfail: 20, dkimFail: 30, dmarcFail: 40 } as const;
export const SPAM_THRESHOLD = 90;
export const PROBABLE_SPAM_THRESHOLD = 50;

/** The Anti-Spam rating 0–100: GTUBE is 100; else the lab rating header plus auth failures. */
export function spamRating(facts: MessageFacts, auth: AuthOutcome | undefined): number {
  if (facts.gtube) return 100;
  let rate = facts.headerRating ?? 0;
  if (auth && !auth.timedOut) {
    if (auth.spf?.result === 'fail') rate += AUTH_PENALTY.spfFail;
    if (auth.spf?.result === 'softfail') rate += AUTH_PENALTY.spfSoftfail;
    if (dkimFailed(auth)) rate += AUTH_PENALTY.dkimFail;
    if (auth.dmarc?.result === 'fail') rate += AUTH_PENALTY.dmarcFail;
  }
  return Math.min(100, rate);
}

export function antiSpam(rule: Rule, facts: MessageFacts, auth: AuthOutcome | undefined): ModuleVerdict & { rate?: number } {
  const s = rule.antiSpam;
  if (!s.enabled) return disabled('AntiSpam');
  if (facts.failure) return verdict('AntiSpam', { status: SCAN_FAILED, scanned: false });
  const rate = spamRating(facts, auth);
  if (rate >= SPAM_THRESHOLD) {
    return { ...verdict('AntiSpam', { status: 'Spam', detected: true, action: s.spam, subjectTag: s.subjectTag, reason: 'spam' }), rate };
  }
  if (rate >= PROBABLE_SPAM_THRESHOLD) {
    return {
      ...verdict('AntiSpam', {
        status: 'Probable Spam',
        detected: true,
        action: s.probableSpam,
        subjectTag: s.probableSpamSubjectTag,
        reason: 'probable spam',
      }),
      rate,
    };
  }
  return { ...verdict('AntiSpam', {}), rate };
}

export function antiPhishing(rule: Rule, facts: MessageFacts, phishingUrls: string[]): ModuleVerdict & { urls?: string[] } {
  const s = rule.antiPhishing;
  if (!s.enabled) return disabled('AntiPhishing');
  if (facts.failure) return verdict('AntiPhishing', { status: SCAN_FAILED, scanned: false });
  const urls = findPhishing(facts.urls, phishingUrls);
  if (urls.length === 0) return verdict('AntiPhishing', {});
  return {
    ...verdict('AntiPhishing', {
      status: 'Phishing',
      detected: true,
      action: s.phishing,
      subjectTag: s.subjectTag,
      reason: 'phishing link detected',
    }),
    urls,
  };
}

function bannedObject(o: ScanObject, cf: Rule['contentFiltering']): 'name' | 'type' | null {
  if (!o.attachment) return null;
  const names = [o.name, ...o.innerNames].filter(Boolean);
  if (cf.bannedNames.some((m) => names.some((n) => nameMatches(m, n)))) return 'name';
  const listed = cf.bannedTypes.includes(o.category);
  if (cf.listMode === 'from-list' ? listed : !listed) return 'type';
  return null;
}

export function contentFiltering(rule: Rule, facts: MessageFacts): ModuleVerdict {
  const cf = rule.contentFiltering;
  if (!cf.enabled) return disabled('ContentFiltering');
  if (cf.maxSizeKb > 0 && facts.size > cf.maxSizeKb * 1024) {
    return verdict('ContentFiltering', {
      status: 'Message Size Exceeded',
      detected: true,
      action: cf.sizeExceeded,
      reason: `message size ${facts.size} bytes exceeds ${cf.maxSizeKb} KB`,
    });
  }
  if (facts.failure) return verdict('ContentFiltering', { status: SCAN_FAILED, scanned: false });
  const hits = facts.objects.map((o) => ({ o, why: bannedObject(o, cf) })).filter((h) => h.why !== null);
  if (hits.length === 0) return verdict('ContentFiltering', {});
  const byName = hits.some((h) => h.why === 'name');
  return verdict('ContentFiltering', {
    status: byName ? 'Banned Attachment Name' : 'Banned Attachment Type',
    detected: true,
    action: cf.banned,
    parts: hits.map((h) => h.o.part),
    reason: `banned attachment ${hits.map((h) => `"${h.o.name || h.o.part.contentType}"`).join(', ')}`,
  });
}

/** Rule-level Mail Sender Authentication (off by default in KSMG 2.x rules). */
export function mailAuthentication(rule: Rule, auth: AuthOutcome | undefined, scanFailure?: string): ModuleVerdict {
  const s = rule.mailAuthentication;
  if (!s.enabled) return disabled('MailAuthentication');
  if (scanFailure) return verdict('MailAuthentication', { status: 'not checked, scan error', scanned: false });
  if (!auth || (!auth.enabled.spf && !auth.enabled.dkim))
    return verdict('MailAuthentication', { status: 'not checked, disabled by settings', scanned: false });
  if (auth.timedOut) return verdict('MailAuthentication', { status: 'not checked, DNS timeout', scanned: false });
  const fired: Array<{ action: Action; reason: string; status: string }> = [];
  if (auth.spf?.result === 'fail') fired.push({ action: s.spf, reason: 'SPF check failed', status: 'SPF Fail' });
  if (dkimFailed(auth)) fired.push({ action: s.dkim, reason: 'DKIM signature verification failed', status: 'DKIM Fail' });
  if (auth.dmarc?.result === 'fail') {
    const action: Action = s.dmarc === 'apply-policy' ? (auth.dmarc.policy === 'reject' ? 'reject' : 'skip') : s.dmarc;
    fired.push({
      action,
      reason: `DMARC policy ${auth.dmarc.policy ?? 'none'} for ${auth.dmarc.domain ?? 'the sender domain'}`,
      status: 'DMARC Fail',
    });
  }
  if (fired.length === 0) return verdict('MailAuthentication', { status: 'Pass' });
  const strictest = fired.reduce((a, b) => (ACTIONS.indexOf(b.action) < ACTIONS.indexOf(a.action) ? b : a));
  return verdict('MailAuthentication', {
    status: fired.map((f) => f.status).join(', '),
    detected: true,
    action: strictest.action,
    reason: strictest.reason,
  });
}
