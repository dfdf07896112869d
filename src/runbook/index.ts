// The runbook: numbered KSMG 2.x web-UI steps for the chosen integration scheme, filled with this
// config's values (seed 000 for the behind-edge order; reference/ksmg-product.md §1 for the others), in
// English or Czech: sentences from the catalogue (src/i18n), labels from the web-UI table (src/audit/ui.ts).
import { domainToUnicode } from 'node:url';
import { advancedSchema, ruleSchema, type Config, type OutgoingTlsLevel, type Rule } from '../config/schema.js';
import { outgoingTlsPlan } from '../policy/outgoing-tls.js';
import { ACTION_LABELS, MODULE_ACTIONS, MODULE_LABELS, RULE_MODE_LABELS, type ModuleKey } from '../config/rule-actions.js';
import {
  ADVANCED_FIELDS,
  advancedLabel,
  FIELD_LABELS,
  RULE_LABELS_CS,
  TLS_LABELS,
  uiFor,
  VERIFICATION_CHOICES,
  type FieldLabels,
  type KsmgVersion,
} from '../audit/ui.js';
import { translator, type Lang, type Translate } from '../i18n/index.js';
import { advancedValue, durationWords } from './labels.js';

export { renderRunbook } from './render.js';
export { renderRunbookChanges, runbookChanges } from './changes.js';
export type { KsmgVersion };

export interface RunbookOptions {
  /** Which web UI the steps speak: 2.x (default) or the 1.1 console. One version at a time. */
  version?: KsmgVersion;
  /** The language of the steps (default English). */
  lang?: Lang;
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

/** What every step builder gets: the config, the web-UI paths, the labels and the messages of one language. */
interface Ctx {
  c: Config;
  UI: UiTable;
  L: FieldLabels;
  t: Translate;
  lang: Lang;
  version: KsmgVersion;
}

export const schemeTitle = (integration: Config['integration'], lang: Lang = 'en'): string =>
  translator(lang)(`runbook.scheme.${integration}`);

export const SCHEME_TITLES: Record<Config['integration'], string> = {
  edge: schemeTitle('edge'),
  'behind-edge-verify': schemeTitle('behind-edge-verify'),
  'behind-edge-no-verify': schemeTitle('behind-edge-no-verify'),
};

const onOff = (x: Ctx, b: boolean) => x.t(b ? 'runbook.on' : 'runbook.off');

function hop(x: Ctx, h: { host: string; port: number; mxLookup: boolean }): string {
  return x.t(h.mxLookup ? 'runbook.hop.mx' : 'runbook.hop.noMx', { host: h.host, port: h.port, useMx: x.L.useMx });
}

function domainsStep(x: Ctx): RunbookStep {
  const { c, t, L } = x;
  const actions = c.mta.domains.map((d) => {
    const local = t(d.local ? 'runbook.domains.localOn' : 'runbook.domains.localOff', { local: L.localDomain });
    const route = d.route ? t('runbook.domains.route', { hop: hop(x, d.route) }) : t('runbook.domains.routeDns');
    // An IDN is stored as punycode; show the form the admin knows too.
    const unicode = domainToUnicode(d.name);
    const name = unicode && unicode !== d.name ? `${d.name} (${unicode})` : d.name;
    return t('runbook.domains.add', { addDomain: L.addDomain, name, local, route });
  });
  actions.push(...domainTlsActions(x));
  if (actions.length === 0) actions.push(t('runbook.domains.none'));
  return { id: 'domains', title: t('runbook.domains.title'), uiPath: x.UI.domains, actions, why: t('runbook.domains.why') };
}

/**
 * The outgoing TLS mode of each domain that has one (Domains: "the TLS mode for outgoing mail"),
 * and the default for every other next hop (TLS Encryption) when it is not KSMG's "Attempt TLS".
 */
function domainTlsActions(x: Ctx): string[] {
  const { c, t } = x;
  const level = (l: OutgoingTlsLevel) => t(`runbook.tls.level.${l}`);
  const via = new Set(outgoingTlsPlan(c).viaRelayhost);
  const out = c.mta.domains.flatMap((d) =>
    d.tls ? [t(via.has(d.name) ? 'runbook.tls.domainViaRelayhost' : 'runbook.tls.domain', { name: d.name, level: level(d.tls) })] : [],
  );
  if (c.mta.tls.outgoing !== 'may') out.push(t('runbook.tls.default', { where: x.UI.tls, level: level(c.mta.tls.outgoing) }));
  return out;
}

function destinationStep(x: Ctx): RunbookStep {
  const { c, t, L } = x;
  const d = c.mta.destination;
  const actions: string[] = [];
  if (d.mode === 'edge-gateway') {
    actions.push(t('runbook.destination.chooseEdge', { destination: L.destination, sendViaEdge: L.sendViaEdge }));
    actions.push(
      d.host
        ? t(d.mxLookup ? 'runbook.destination.edgeMx' : 'runbook.destination.edgeNoMx', { host: d.host, port: d.port, useMx: L.useMx })
        : t('runbook.destination.edgeMissing'),
    );
  } else {
    actions.push(t('runbook.destination.dns', { destination: L.destination }));
  }
  if (c.mta.domains.some((y) => y.route)) actions.push(t('runbook.destination.routedDomains'));
  actions.push(
    t('runbook.destination.checkNames', {
      hostnameLabel: L.hostname,
      hostname: c.mta.hostname,
      domainLabel: L.domainName,
      domain: c.mta.domain,
    }),
  );
  if (c.mta.messageSizeLimit !== 20971520) {
    actions.push(
      c.mta.messageSizeLimit === 0
        ? t('runbook.destination.sizeUnlimited', { sizeLabel: L.messageSizeLimit })
        : t('runbook.destination.sizeLimit', { sizeLabel: L.messageSizeLimit, size: c.mta.messageSizeLimit }),
    );
  }
  actions.push(t('runbook.save'));
  return {
    id: 'destination',
    title: t(d.mode === 'edge-gateway' ? 'runbook.destination.titleEdge' : 'runbook.destination.titleDns'),
    uiPath: x.UI.basic,
    actions,
    why: d.mode === 'edge-gateway' ? t('runbook.destination.whyEdge') : undefined,
  };
}

function trustedStep(x: Ctx): RunbookStep {
  const { c, t, L } = x;
  const actions = c.mta.trustedNetworks.map((network) => t('runbook.trusted.add', { trusted: L.trustedNetworks, network, add: L.add }));
  if (actions.length === 0) actions.push(t('runbook.trusted.none'));
  else actions.push(t('runbook.save'));
  return {
    id: 'trusted-networks',
    title: t('runbook.trusted.title'),
    uiPath: x.UI.trustedNetworks,
    actions,
    why: t('runbook.trusted.why'),
  };
}

function externalServicesStep(x: Ctx): RunbookStep {
  const { c, t, L } = x;
  const p = c.protection;
  const sw = (label: string, on: boolean) => t('runbook.external.switch', { label, state: onOff(x, on) });
  const actions = [sw(L.allowDns, p.dns), sw(L.useSpf, p.spf), sw(L.useDkim, p.dkim), sw(L.useDmarc, p.dmarc)];
  if (p.dnsTimeout !== 10) actions.push(t('runbook.external.switch', { label: L.dnsTimeout, state: durationWords(p.dnsTimeout, x.lang) }));
  actions.push(t('runbook.save'));
  const behind = c.integration !== 'edge';
  return {
    id: 'external-services',
    title: t(behind ? 'runbook.external.titleBehind' : 'runbook.external.titleEdge'),
    uiPath: x.UI.externalServices,
    actions,
    why: t(behind ? 'runbook.external.whyBehind' : 'runbook.external.whyEdge'),
  };
}

/** Rule labels in the chosen language (English: src/config/rule-actions.ts). */
function ruleLabels(lang: Lang) {
  const cs = lang === 'cs';
  return {
    module: (m: ModuleKey) => (cs ? RULE_LABELS_CS.modules[m] : MODULE_LABELS[m]),
    action: (a: string) => (cs ? RULE_LABELS_CS.actions[a] : ACTION_LABELS[a]) ?? a,
    mode: (m: Rule['mode']) => (cs ? RULE_LABELS_CS.modes[m] : undefined) ?? RULE_MODE_LABELS[m],
    what: (m: ModuleKey, key: string, en: string) => (cs ? RULE_LABELS_CS.what[`${m}.${key}`] : undefined) ?? en,
  };
}

/** What differs in `rule` from a rule with KSMG's defaults, as web-UI actions. */
function ruleChanges(x: Ctx, rule: Rule): string[] {
  const { t } = x;
  const R = ruleLabels(x.lang);
  const def = ruleSchema.parse({ name: rule.name });
  const out: string[] = [];
  if (rule.enabled !== def.enabled) out.push(t('runbook.rules.ruleState', { state: onOff(x, rule.enabled) }));
  if (rule.mode !== def.mode) out.push(t('runbook.rules.mode', { mode: R.mode(rule.mode) }));
  for (const mod of Object.keys(MODULE_LABELS) as ModuleKey[]) {
    const now = rule[mod] as unknown as Record<string, unknown>;
    const was = def[mod] as unknown as Record<string, unknown>;
    if (now.enabled !== was.enabled)
      out.push(t('runbook.rules.moduleState', { module: R.module(mod), state: onOff(x, now.enabled as boolean) }));
    for (const a of MODULE_ACTIONS.filter((y) => y.module === mod)) {
      if (now[a.key] !== was[a.key]) {
        out.push(
          t('runbook.rules.action', { module: R.module(mod), what: R.what(mod, a.key, a.label), action: R.action(String(now[a.key])) }),
        );
      }
    }
  }
  return out;
}

function rulesStep(x: Ctx): RunbookStep {
  const { c, t } = x;
  const R = ruleLabels(x.lang);
  const actions: string[] = [];
  const presets = new Set(['Default', 'AllowList', 'DenyList']);
  c.rules.forEach((rule, i) => {
    const changes = ruleChanges(x, rule);
    if (!presets.has(rule.name)) {
      actions.push(
        t('runbook.rules.create', {
          name: rule.name,
          position: i + 1,
          total: c.rules.length,
          senders: rule.senders.join(', '),
          recipients: rule.recipients.join(', '),
        }),
      );
    }
    for (const change of changes) actions.push(t('runbook.rules.change', { name: rule.name, change }));
  });
  const behind = c.integration !== 'edge';
  if (actions.length === 0) actions.push(t('runbook.rules.keep'));
  else actions.push(t('runbook.rules.saveEach'));
  return {
    id: 'rules',
    title: behind
      ? t('runbook.rules.titleBehind', { reject: R.action('reject'), deleteMessage: R.action('delete-message') })
      : t('runbook.rules.titleEdge'),
    uiPath: x.UI.rules,
    actions,
    why: behind ? t('runbook.rules.whyBehind') : undefined,
  };
}

function recipientStep(x: Ctx): RunbookStep {
  const { c, t } = x;
  const a = c.mta.advanced;
  const actions = [
    t('runbook.recipients.choose', { field: x.L.rejectForRecipients, mode: VERIFICATION_CHOICES[x.lang][a.recipientVerification] }),
  ];
  if (a.recipientVerification === 'reject-unverified' && a.unverifiedRecipientRejectCode !== 450) {
    actions.push(t('runbook.recipients.rejectCode', { code: a.unverifiedRecipientRejectCode }));
  }
  if (a.recipientVerification === 'reject-unlisted') {
    for (const recipient of a.validRecipients) {
      actions.push(t(recipient.startsWith('@') ? 'runbook.recipients.validDomain' : 'runbook.recipients.valid', { recipient }));
    }
  }
  actions.push(t('runbook.save'));
  return {
    id: 'recipient-verification',
    title: t('runbook.recipients.title'),
    uiPath: x.UI.recipientVerification,
    actions,
    why: t(`runbook.recipients.why.${c.integration}`),
  };
}

function advancedStep(x: Ctx): RunbookStep | undefined {
  const { c, t, version, lang } = x;
  const defaults = advancedSchema.parse({});
  const actions: string[] = [];
  const notInUi: string[] = [];
  for (const key of Object.keys(ADVANCED_FIELDS) as Array<keyof typeof defaults>) {
    const now = c.mta.advanced[key];
    if (JSON.stringify(now) === JSON.stringify(defaults[key])) continue;
    const label = advancedLabel(key, version, lang);
    // 2.x has no field for these: they are not a step to do there (the lab still uses them).
    if (version === '2.x' && ADVANCED_FIELDS[key]!.only11) {
      notInUi.push(t('runbook.advanced.notInUiItem', { label, value: advancedValue(key, now, lang) }));
      continue;
    }
    actions.push(
      t('runbook.advanced.field', { label, value: advancedValue(key, now, lang), default: advancedValue(key, defaults[key], lang) }),
    );
  }
  if (notInUi.length) actions.push(t('runbook.advanced.notInUi', { fields: notInUi.join(', ') }));
  if (actions.length === 0) return undefined;
  actions.push(t('runbook.save'));
  return { id: 'advanced', title: t('runbook.advanced.title'), uiPath: x.UI.advanced, actions };
}

/**
 * TLS Encryption (receiving side): a step only when ksmg.yaml differs from the appliance as
 * shipped (Attempt TLS with its own self-signed certificate).
 */
function tlsStep(x: Ctx): RunbookStep | undefined {
  const { c, t, lang } = x;
  const tls = c.mta.tls;
  if (tls.securityLevel === 'may' && !tls.certFile) return undefined;
  const labels = TLS_LABELS[lang];
  const actions = [t('runbook.tls.level', { label: labels.serverLevel, value: labels.levels[tls.securityLevel] })];
  if (tls.securityLevel !== 'none') {
    actions.push(
      tls.certFile && tls.keyFile
        ? t('runbook.tls.certificate', { label: labels.certificate, cert: tls.certFile, key: tls.keyFile })
        : t('runbook.tls.selfSigned', { hostname: c.mta.hostname }),
    );
  }
  actions.push(t('runbook.save'));
  const why =
    tls.securityLevel === 'encrypt' ? t('runbook.tls.whyEncrypt') : tls.securityLevel === 'none' ? t('runbook.tls.whyNone') : undefined;
  return { id: 'tls', title: t('runbook.tls.title'), uiPath: x.UI.tls, actions, ...(why ? { why } : {}) };
}

function messageProcessingStep(x: Ctx): RunbookStep | undefined {
  const { c, t, L } = x;
  const m = c.messageProcessing;
  const actions: string[] = [];
  if (!m.addXHeaders) actions.push(t('runbook.processing.xHeadersOff', { label: L.addXHeaders }));
  if (!m.sendNdrForDelayedReject) actions.push(t('runbook.processing.ndrOff', { label: L.sendNdrDelayed }));
  if (actions.length === 0) return undefined;
  actions.push(t('runbook.save'));
  return { id: 'message-processing', title: t('runbook.processing.title'), uiPath: x.UI.messageProcessing, actions };
}

export function buildRunbook(config: Config, opts: RunbookOptions = {}): RunbookStep[] {
  const version = opts.version ?? '2.x';
  const lang = opts.lang ?? 'en';
  const x: Ctx = { c: config, UI: uiFor(version, lang), L: FIELD_LABELS[lang], t: translator(lang), lang, version };
  const steps: Array<RunbookStep | undefined> = [
    domainsStep(x),
    destinationStep(x),
    trustedStep(x),
    externalServicesStep(x),
    rulesStep(x),
    recipientStep(x),
    advancedStep(x),
    tlsStep(x),
    messageProcessingStep(x),
  ];
  return steps.filter((s): s is RunbookStep => s !== undefined);
}
