// The rule model as the web UI shows it: each scan module of a rule and each of its action
// settings, with the labels and paths an admin looks for. Shared by the audit, the runbook and
// (later) the scan engine, so "every reject action of every rule" is enumerated in one place.
import type { Rule } from './schema.js';

export type ModuleKey = 'antiVirus' | 'antiSpam' | 'antiPhishing' | 'contentFiltering' | 'mailAuthentication';

export interface ModuleActionSpec {
  module: ModuleKey;
  /** The action key inside the module, e.g. `phishing`. */
  key: string;
  /** Module name as in the web UI. */
  moduleLabel: string;
  /** What the action applies to, as in the web UI. */
  label: string;
}

export const MODULE_LABELS: Record<ModuleKey, string> = {
  antiVirus: 'Anti-Virus',
  antiSpam: 'Anti-Spam',
  antiPhishing: 'Anti-Phishing',
  contentFiltering: 'Content Filtering',
  mailAuthentication: 'Mail Sender Authentication',
};

export const MODULE_ACTIONS: readonly ModuleActionSpec[] = [
  { module: 'antiVirus', key: 'infected', moduleLabel: 'Anti-Virus', label: 'infected messages' },
  { module: 'antiVirus', key: 'ifDisinfectionFails', moduleLabel: 'Anti-Virus', label: 'if disinfection fails' },
  { module: 'antiVirus', key: 'scanError', moduleLabel: 'Anti-Virus', label: 'objects with scan errors' },
  { module: 'antiVirus', key: 'encrypted', moduleLabel: 'Anti-Virus', label: 'encrypted objects' },
  { module: 'antiSpam', key: 'spam', moduleLabel: 'Anti-Spam', label: 'spam' },
  { module: 'antiSpam', key: 'probableSpam', moduleLabel: 'Anti-Spam', label: 'probable spam' },
  { module: 'antiPhishing', key: 'phishing', moduleLabel: 'Anti-Phishing', label: 'phishing' },
  { module: 'contentFiltering', key: 'sizeExceeded', moduleLabel: 'Content Filtering', label: 'message size exceeded' },
  { module: 'contentFiltering', key: 'banned', moduleLabel: 'Content Filtering', label: 'banned attachment name or type' },
  { module: 'mailAuthentication', key: 'spf', moduleLabel: 'Mail Sender Authentication', label: 'SPF check failed' },
  { module: 'mailAuthentication', key: 'dkim', moduleLabel: 'Mail Sender Authentication', label: 'DKIM check failed' },
  { module: 'mailAuthentication', key: 'dmarc', moduleLabel: 'Mail Sender Authentication', label: 'DMARC check failed' },
];

/** Action values as the web UI words them. */
export const ACTION_LABELS: Record<string, string> = {
  skip: 'Skip',
  disinfect: 'Disinfect',
  'delete-attachment': 'Delete attachment',
  'delete-message': 'Delete message',
  reject: 'Reject',
  'apply-policy': 'Apply DMARC policy',
};

export const RULE_MODE_LABELS: Record<Rule['mode'], string> = {
  scan: 'Use the settings of scan modules',
  reject: 'Reject without scanning',
  delete: 'Delete without notifying the sender',
  skip: 'Skip without scanning',
};

export interface RuleAction extends ModuleActionSpec {
  /** Key path inside the config, e.g. `rules[0].antiPhishing.phishing`. */
  path: string;
  action: string;
  /** False when the action cannot fire: the module is off or the rule does not scan. */
  active: boolean;
  /** Why it cannot fire, for messages. */
  inactiveReason?: string;
}

/** Every module action of `rule` (at index `index` of config.rules). */
export function ruleActions(rule: Rule, index: number): RuleAction[] {
  return MODULE_ACTIONS.map((spec) => {
    const mod = rule[spec.module] as unknown as Record<string, unknown> & { enabled: boolean };
    const inactiveReason = !rule.enabled
      ? 'the rule is disabled'
      : rule.mode !== 'scan'
        ? `the rule mode is "${RULE_MODE_LABELS[rule.mode]}", so scan modules do not run`
        : !mod.enabled
          ? `${spec.moduleLabel} is turned off in this rule`
          : undefined;
    return {
      ...spec,
      path: `rules[${index}].${spec.module}.${spec.key}`,
      action: String(mod[spec.key]),
      active: inactiveReason === undefined,
      inactiveReason,
    };
  });
}

/** Web-UI path of a rule's module section (KSMG 2.x). */
export function ruleUiPath(rule: Rule, module?: ModuleKey): string {
  return module ? `Rules > ${rule.name} > ${MODULE_LABELS[module]}` : `Rules > ${rule.name} > General`;
}
