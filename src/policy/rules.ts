// Which KSMG message-processing rule applies to a sender–recipient pair (ksmg-product.md §5.1):
// rules are evaluated top to bottom, the first enabled rule whose sender and recipient lists both
// match wins, and Default applies when none does. Pure: no I/O.
import { DEFAULT_RULE_NAME, type Config, type Rule } from '../config/schema.js';
import { cidrContains, parseCidr } from '../config/net.js';
import { MODULE_ACTIONS } from '../config/rule-actions.js';
import { compileRegexEntry, isRegexEntry, regexEntryProblem, type CompiledPattern } from '../config/rule-pattern.js';
import { globMatch } from './glob.js';

export interface SelectedRule {
  rule: Rule;
  /** 1-based position in config.rules: the rule ID shown in X-KSMG-Rule-ID and the log line. */
  id: number;
}

/** A sender/recipient list entry in one of its three forms. */
export type PatternKind = 'ip' | 'regex' | 'mask';

export function patternKind(pattern: string): PatternKind {
  const p = pattern.trim();
  if (parseRegex(p)) return 'regex';
  if (parseCidr(p).ok) return 'ip';
  return 'mask';
}

/** `/expr/` or `/expr/flags` → the linear-time (RE2) pattern, else null (not a regex, or refused). */
function parseRegex(p: string): CompiledPattern | null {
  if (!isRegexEntry(p)) return null;
  const c = compileRegexEntry(p);
  return typeof c === 'string' ? null : c;
}

/**
 * Is the text a usable pattern? A /regex/ RE2 cannot run is refused at load (schema); this says
 * why, for the audit and the wizard. Such an entry never matches.
 */
export function patternProblem(pattern: string): string | null {
  return regexEntryProblem(pattern);
}

/**
 * An address mask, with two conveniences: `@corp.example` and a bare domain such as
 * `corp.example` or `*.corp.example` (no `@`, has a dot) mean that domain (`*@corp.example`).
 */
function matchMask(mask: string, address: string): boolean {
  let m = mask.trim();
  if (m.startsWith('@')) m = `*${m}`;
  else if (!m.includes('@') && m.includes('.')) m = `*@${m}`;
  return globMatch(m, address);
}

/** One sender-list entry against the envelope sender and the client IP. */
export function senderMatches(pattern: string, sender: string, clientIp: string): boolean {
  const p = pattern.trim();
  const re = parseRegex(p);
  if (re) return re.test(sender);
  const cidr = parseCidr(p);
  if (cidr.ok) return clientIp ? cidrContains(cidr.cidr, clientIp) : false;
  if (/^\/.+\/[a-z]*$/s.test(p)) return false; // an invalid /regex/ never matches
  return matchMask(p, sender);
}

/** One recipient-list entry against a recipient address (masks and /regex/; no IPs). */
export function recipientMatches(pattern: string, recipient: string): boolean {
  const p = pattern.trim();
  const re = parseRegex(p);
  if (re) return re.test(recipient);
  if (/^\/.+\/[a-z]*$/s.test(p)) return false;
  return matchMask(p, recipient);
}

export function ruleMatches(rule: Rule, sender: string, clientIp: string, recipient: string): boolean {
  return rule.senders.some((p) => senderMatches(p, sender, clientIp)) && rule.recipients.some((p) => recipientMatches(p, recipient));
}

/**
 * The rule for one sender–recipient pair. Default is always considered last, wherever it sits in
 * the list, and applies even when nothing else does (KSMG's Default cannot be switched off).
 */
export function selectRule(rules: Config['rules'], sender: string, clientIp: string, recipient: string): SelectedRule {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.name === DEFAULT_RULE_NAME || !rule.enabled) continue;
    if (ruleMatches(rule, sender, clientIp, recipient)) return { rule, id: i + 1 };
  }
  const d = rules.findIndex((r) => r.name === DEFAULT_RULE_NAME);
  if (d !== -1) return { rule: rules[d]!, id: d + 1 };
  // Only reachable with a hand-built rules array: the schema always appends Default.
  throw new Error('no Default rule in the configuration');
}

export interface RuleGroup extends SelectedRule {
  recipients: string[];
}

/** Recipients grouped by the rule that applies to each, in first-recipient order. */
export function groupRecipientsByRule(rules: Config['rules'], sender: string, clientIp: string, recipients: string[]): RuleGroup[] {
  const groups = new Map<number, RuleGroup>();
  for (const rcpt of recipients) {
    const sel = selectRule(rules, sender, clientIp, rcpt);
    const g = groups.get(sel.id);
    if (g) g.recipients.push(rcpt);
    else groups.set(sel.id, { ...sel, recipients: [rcpt] });
  }
  return [...groups.values()];
}

/** Every rule setting that can say Reject: the one table of module actions (config/rule-actions.ts). */
const REJECT_CAPABLE = MODULE_ACTIONS.map((a) => [a.module, a.key] as const);

/**
 * Where a rule rejects (KSMG recommends Reject only when KSMG is the edge gateway: behind an edge
 * it turns into backscatter NDRs, §5.1). Paths are relative to the rule, e.g. "antiPhishing.phishing",
 * "mode" for "Reject without scanning". With activeOnly, settings of disabled modules (and all
 * module settings of a rule that does not scan) are left out. The audit and the wizard use this.
 */
export function rejectSettings(rule: Rule, opts: { activeOnly?: boolean } = {}): string[] {
  const out: string[] = [];
  if (rule.mode === 'reject') out.push('mode');
  if (opts.activeOnly && (!rule.enabled || rule.mode !== 'scan')) return out;
  for (const [module, key] of REJECT_CAPABLE) {
    const settings = rule[module] as Record<string, unknown> & { enabled: boolean };
    if (opts.activeOnly && !settings.enabled) continue;
    if (settings[key] === 'reject') out.push(`${module}.${key}`);
  }
  return out;
}

/** The seed's step 5: every Reject becomes Delete message (and "Reject without scanning" → delete). */
export function replaceRejectWithDelete(rule: Rule): Rule {
  const next = structuredClone(rule);
  if (next.mode === 'reject') next.mode = 'delete';
  for (const [module, key] of REJECT_CAPABLE) {
    const settings = next[module] as Record<string, unknown>;
    if (settings[key] === 'reject') settings[key] = 'delete-message';
  }
  return next;
}
