// The runbook: numbered KSMG 2.x web-UI steps for the chosen integration scheme, filled with this
// config's values (seed 000 for the behind-edge order; reference/ksmg-product.md §1 for the others).
import { domainToUnicode } from 'node:url';
import { advancedSchema, ruleSchema, type Config, type Rule } from '../config/schema.js';
import { ACTION_LABELS, MODULE_ACTIONS, MODULE_LABELS, RULE_MODE_LABELS, type ModuleKey } from '../config/rule-actions.js';
import { ADVANCED_FIELDS, advancedLabel, uiFor, type KsmgVersion } from '../audit/ui.js';
import { VERIFICATION_LABELS } from '../audit/checks/recipients.js';
import { advancedValue, durationWords } from './labels.js';

export { renderRunbook } from './render.js';
export { renderRunbookChanges, runbookChanges } from './changes.js';
export type { KsmgVersion };

export interface RunbookOptions {
  /** Which web UI the steps speak: 2.x (default) or the 1.1 console. One version at a time. */
  version?: KsmgVersion;
}

type UiTable = ReturnType<typeof uiFor>;

export interface RunbookStep {
  /** Stable id of the step (`domains`, `destination`, …). Steps are numbered when rendered. */
  id: string;
  title: string;
  /** Where in the web UI. */
  uiPath: string;
  /** What to do there, one action per entry, with this config's values. */
  actions: string[];
  /** Why the step matters in this scheme. */
  why?: string;
}

export const SCHEME_TITLES: Record<Config['integration'], string> = {
  edge: 'KSMG is the edge gateway (direct integration)',
  'behind-edge-verify': 'behind an edge gateway that verifies recipients',
  'behind-edge-no-verify': 'behind an edge gateway that does not verify recipients',
};

const onOff = (b: boolean) => (b ? 'on' : 'off');

function hop(h: { host: string; port: number; mxLookup: boolean }): string {
  return `${h.host}, port ${h.port}, "Use MX lookup" ${h.mxLookup ? 'ticked' : 'not ticked'}`;
}

function domainsStep(c: Config, UI: UiTable): RunbookStep {
  const actions = c.mta.domains.map((d) => {
    const local = d.local ? 'turn ON "Local domain"' : 'leave "Local domain" OFF';
    const route = d.route ? `routing: deliver to ${hop(d.route)}` : 'routing: by DNS (no manual route)';
    // An IDN is stored as punycode; show the form the admin knows too.
    const unicode = domainToUnicode(d.name);
    const name = unicode && unicode !== d.name ? `${d.name} (${unicode})` : d.name;
    return `Click "Add domain", enter ${name}, ${local}; ${route}. Save.`;
  });
  if (actions.length === 0) actions.push('No domains are listed in ksmg.yaml: add your mail domains to mta.domains first (KSMG accepts no mail for internal servers without a local domain).');
  return {
    id: 'domains',
    title: 'Add the local domains',
    uiPath: UI.domains,
    actions,
    why: 'KSMG accepts mail from untrusted sources (the internet, the edge gateway) only for local domains; ' +
      'each subdomain that receives mail needs its own entry.',
  };
}

function destinationStep(c: Config, UI: UiTable): RunbookStep {
  const d = c.mta.destination;
  const actions: string[] = [];
  if (d.mode === 'edge-gateway') {
    actions.push('In "Email destination address" choose "Send via edge gateway".');
    actions.push(d.host
      ? `Enter the edge gateway address ${d.host} and port ${d.port}; ${d.mxLookup ? 'tick "Use MX lookup"' : 'leave "Use MX lookup" unticked'}.`
      : 'Enter the edge gateway address and port (missing in ksmg.yaml: set mta.destination.host).');
  } else {
    actions.push('In "Email destination address" keep delivery by DNS: KSMG looks up the MX records of each recipient domain.');
  }
  if (c.mta.domains.some((x) => x.route)) actions.push('Domains with their own route (step 1) are delivered there instead.');
  actions.push(`Check Hostname (${c.mta.hostname}) and Domain name (${c.mta.domain}).`);
  if (c.mta.messageSizeLimit !== 20971520) {
    actions.push(`Set "Message size limit" to ${c.mta.messageSizeLimit} bytes${c.mta.messageSizeLimit === 0 ? ' (0 = unlimited)' : ''}.`);
  }
  actions.push('Save.');
  return {
    id: 'destination',
    title: d.mode === 'edge-gateway' ? 'Send outgoing mail via the edge gateway' : 'Deliver outgoing mail by DNS',
    uiPath: UI.basic,
    actions,
    why: d.mode === 'edge-gateway' ? 'KSMG passes all mail for other domains to this address (relayhost).' : undefined,
  };
}

function trustedStep(c: Config, UI: UiTable): RunbookStep {
  const actions = c.mta.trustedNetworks.map((n) => `In "Trusted networks" enter ${n} and click "Add".`);
  if (actions.length === 0) actions.push('No trusted networks are listed in ksmg.yaml: add the internal mail servers (mta.trustedNetworks), or outgoing mail stops.');
  else actions.push('Save.');
  return {
    id: 'trusted-networks',
    title: 'Add the trusted networks',
    uiPath: UI.trustedNetworks,
    actions,
    why: 'Hosts in trusted networks (as a rule the internal mail servers) may send mail out through KSMG; ' +
      'recipient verification is not applied to them.',
  };
}

function externalServicesStep(c: Config, UI: UiTable): RunbookStep {
  const p = c.protection;
  const actions = [
    `"Allow connection to DNS server": ${onOff(p.dns)}.`,
    `"Use SPF": ${onOff(p.spf)}.`,
    `"Use DKIM": ${onOff(p.dkim)}.`,
    `"Use DMARC": ${onOff(p.dmarc)}.`,
  ];
  if (p.dnsTimeout !== 10) actions.push(`"DNS server timeout": ${durationWords(p.dnsTimeout)}.`);
  actions.push('Save.');
  const behind = c.integration !== 'edge';
  return {
    id: 'external-services',
    title: behind ? 'Turn off SPF and DMARC checks' : 'Check sender authentication (SPF, DKIM, DMARC)',
    uiPath: UI.externalServices,
    actions,
    why: behind
      ? 'Behind an edge gateway the sender KSMG sees is the edge gateway, so SPF and DMARC would fail for legitimate mail (seed step 4).'
      : 'As the edge gateway KSMG sees the real sending servers, so sender authentication works here.',
  };
}

/** What differs in `rule` from a rule with KSMG's defaults, as web-UI actions. */
function ruleChanges(rule: Rule): string[] {
  const def = ruleSchema.parse({ name: rule.name });
  const out: string[] = [];
  if (rule.enabled !== def.enabled) out.push(`General: turn the rule ${onOff(rule.enabled)}`);
  if (rule.mode !== def.mode) out.push(`General: set the mode to "${RULE_MODE_LABELS[rule.mode]}"`);
  for (const mod of Object.keys(MODULE_LABELS) as ModuleKey[]) {
    const now = rule[mod] as unknown as Record<string, unknown>;
    const was = def[mod] as unknown as Record<string, unknown>;
    if (now.enabled !== was.enabled) out.push(`${MODULE_LABELS[mod]}: turn the module ${onOff(now.enabled as boolean)}`);
    for (const a of MODULE_ACTIONS.filter((x) => x.module === mod)) {
      if (now[a.key] !== was[a.key]) {
        out.push(`${MODULE_LABELS[mod]}: for "${a.label}" choose "${ACTION_LABELS[String(now[a.key])] ?? String(now[a.key])}"`);
      }
    }
  }
  return out;
}

function rulesStep(c: Config, UI: UiTable): RunbookStep {
  const actions: string[] = [];
  const presets = new Set(['Default', 'AllowList', 'DenyList']);
  c.rules.forEach((rule, i) => {
    const changes = ruleChanges(rule);
    if (!presets.has(rule.name)) {
      actions.push(`Create rule "${rule.name}" at position ${i + 1} of ${c.rules.length} (the first matching rule wins): ` +
        `senders ${rule.senders.join(', ')}; recipients ${rule.recipients.join(', ')}.`);
    }
    for (const change of changes) actions.push(`Rule "${rule.name}" > ${change}.`);
  });
  const behind = c.integration !== 'edge';
  if (actions.length === 0) actions.push('Keep the rules as they are (KSMG defaults).');
  else actions.push('Save each rule.');
  return {
    id: 'rules',
    title: behind ? 'Replace Reject with Delete message in the rules' : 'Adjust the message processing rules',
    uiPath: UI.rules,
    actions,
    why: behind
      ? 'A reject behind an edge gateway makes the edge gateway send non-delivery reports to (often forged) senders (seed step 5).'
      : undefined,
  };
}

function recipientStep(c: Config, UI: UiTable): RunbookStep {
  const a = c.mta.advanced;
  const actions = [`In "Reject messages for recipients" choose "${VERIFICATION_LABELS[a.recipientVerification]}".`];
  if (a.recipientVerification === 'reject-unverified' && a.unverifiedRecipientRejectCode !== 450) {
    actions.push(`Reject code for unverified recipients: ${a.unverifiedRecipientRejectCode}.`);
  }
  if (a.recipientVerification === 'reject-unlisted') {
    for (const r of a.validRecipients) actions.push(`Add the valid recipient ${r}${r.startsWith('@') ? ' (the whole domain)' : ''}.`);
  }
  actions.push('Save.');
  const why: Record<Config['integration'], string> = {
    edge: 'Without verification KSMG accepts mail for nonexistent addresses and the internal server bounces it (backscatter).',
    'behind-edge-verify': 'The edge gateway asks KSMG whether a recipient exists; KSMG passes on the internal server\'s answer.',
    'behind-edge-no-verify': 'The edge gateway has already accepted the message, so a reject from KSMG would only produce non-delivery reports (seed step 6).',
  };
  return { id: 'recipient-verification', title: 'Set recipient verification', uiPath: UI.recipientVerification, actions, why: why[c.integration] };
}

function advancedStep(c: Config, UI: UiTable, version: KsmgVersion): RunbookStep | undefined {
  const defaults = advancedSchema.parse({});
  const actions: string[] = [];
  const notInUi: string[] = [];
  for (const key of Object.keys(ADVANCED_FIELDS) as Array<keyof typeof defaults>) {
    const now = c.mta.advanced[key];
    if (JSON.stringify(now) === JSON.stringify(defaults[key])) continue;
    const label = advancedLabel(key, version);
    // 2.x has no field for these: they are not a step to do there (the lab still uses them).
    if (version === '2.x' && ADVANCED_FIELDS[key]!.only11) {
      notInUi.push(`"${label}" ${advancedValue(key, now)}`);
      continue;
    }
    actions.push(`"${label}": ${advancedValue(key, now)} (KSMG default ${advancedValue(key, defaults[key])}).`);
  }
  if (notInUi.length) {
    actions.push(`Nothing to enter for ${notInUi.join(', ')}: only the KSMG 1.1 console has these fields ` +
      '(`ksmg-setup runbook --ksmg-version 1.1`); KSMG 2.x manages its queue timing itself.');
  }
  if (actions.length === 0) return undefined;
  actions.push('Save.');
  return { id: 'advanced', title: 'Change the advanced MTA settings that differ from the defaults', uiPath: UI.advanced, actions };
}

function messageProcessingStep(c: Config, UI: UiTable): RunbookStep | undefined {
  const m = c.messageProcessing;
  const actions: string[] = [];
  if (!m.addXHeaders) actions.push('Turn off "Add X-headers".');
  if (!m.sendNdrForDelayedReject) actions.push('Turn off "Send NDR for messages rejected after the end of SMTP session".');
  if (actions.length === 0) return undefined;
  actions.push('Save.');
  return { id: 'message-processing', title: 'Message processing', uiPath: UI.messageProcessing, actions };
}

export function buildRunbook(config: Config, opts: RunbookOptions = {}): RunbookStep[] {
  const version = opts.version ?? '2.x';
  const UI = uiFor(version);
  const steps: Array<RunbookStep | undefined> = [
    domainsStep(config, UI),
    destinationStep(config, UI),
    trustedStep(config, UI),
    externalServicesStep(config, UI),
    rulesStep(config, UI),
    recipientStep(config, UI),
    advancedStep(config, UI, version),
    messageProcessingStep(config, UI),
  ];
  return steps.filter((s): s is RunbookStep => s !== undefined);
}
