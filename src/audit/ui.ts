// THE table of KSMG web-UI locations and field labels, shared by the audit (Finding.uiPath) and the
// runbook, so the two never disagree on where a setting is (reference/ksmg-product.md §3; seed 000
// for the 2.x behind-edge steps, seed 004 for the 1.1 console). Both languages are in this one
// table: the Czech labels are the ones the Czech KSMG help page (seed 000) writes; a label the seed
// does not give is marked "not in the seed: our translation" (check it against a Czech web UI).
import type { Advanced, Config } from '../config/schema.js';
import type { ModuleKey } from '../config/rule-actions.js';
import type { Lang } from '../i18n/index.js';

export type KsmgVersion = '2.x' | '1.1';
export const KSMG_VERSIONS: readonly KsmgVersion[] = ['2.x', '1.1'];

/** KSMG 2.x web UI (the default everywhere). */
export const UI = {
  domains: 'Settings > Built-in MTA > Domains',
  basic: 'Settings > Built-in MTA > Basic settings',
  destination: 'Settings > Built-in MTA > Basic settings > Email destination address',
  trustedNetworks: 'Settings > Built-in MTA > Basic settings > Trusted networks',
  advanced: 'Settings > Built-in MTA > Advanced settings',
  recipientVerification: 'Settings > Built-in MTA > Advanced settings > Reject messages for recipients',
  bcc: 'Settings > Built-in MTA > Advanced settings > BCC address for all messages',
  tls: 'Settings > Built-in MTA > TLS Encryption',
  /** The queue timing fields exist only in the KSMG 1.1 console, not in the 2.x web UI. */
  queueTiming: 'Settings > MTA > Advanced settings (KSMG 1.1 console; these fields are not in the 2.x web UI)',
  externalServices: 'Settings > General > Protection > External services',
  messageProcessing: 'Settings > General > Message processing',
  rules: 'Rules',
} as const;

/**
 * KSMG 1.1 management console (seed 004: "management console tree > Settings > MTA"). The 1.1
 * help has no Domains page and no External services tab of this name [GAP]; the closest places are given.
 */
export const UI_11: Record<keyof typeof UI, string> = {
  domains: 'Settings > MTA > Basic settings (relay domains and email routing)',
  basic: 'Settings > MTA > Basic settings',
  destination: 'Settings > MTA > Basic settings > Email destination address',
  trustedNetworks: 'Settings > MTA > Basic settings > Trusted networks',
  advanced: 'Settings > MTA > Advanced settings',
  recipientVerification: 'Settings > MTA > Advanced settings > Reject messages for unverified recipients',
  bcc: 'Settings > MTA > Advanced settings > BCC address for all messages',
  // The stored 1.1 help has no TLS page [GAP]: the 2.x location, marked as such.
  tls: 'Settings > Built-in MTA > TLS Encryption (KSMG 2.x; no TLS page is known for the 1.1 console)',
  queueTiming: 'Settings > MTA > Advanced settings',
  externalServices: 'Settings > Protection (SPF, DKIM and DMARC settings)',
  messageProcessing: 'Settings > Message processing',
  rules: 'Rules',
};

/** KSMG 2.x web UI in Czech (seed 000 gives the Settings > Built-in MTA and Protection paths). */
export const UI_CS: Record<keyof typeof UI, string> = {
  domains: 'Nastavení > Integrovaný agent MTA > Domény',
  basic: 'Nastavení > Integrovaný agent MTA > Základní nastavení',
  destination: 'Nastavení > Integrovaný agent MTA > Základní nastavení > Cílová adresa e-mailu',
  trustedNetworks: 'Nastavení > Integrovaný agent MTA > Základní nastavení > Důvěryhodné sítě',
  advanced: 'Nastavení > Integrovaný agent MTA > Rozšířené nastavení',
  recipientVerification: 'Nastavení > Integrovaný agent MTA > Rozšířené nastavení > Odmítat zprávy u příjemců',
  // not in the seed: our translation ("Adresa skryté kopie pro všechny zprávy")
  bcc: 'Nastavení > Integrovaný agent MTA > Rozšířené nastavení > Adresa skryté kopie pro všechny zprávy',
  // not in the seed: our translation ("Šifrování TLS"; the seed has no TLS step)
  tls: 'Nastavení > Integrovaný agent MTA > Šifrování TLS',
  // not in the seed: our translation (the 1.1 console has no Czech help page among the seeds)
  queueTiming: 'Nastavení > MTA > Rozšířené nastavení (konzole KSMG 1.1; ve webovém rozhraní 2.x tato pole nejsou)',
  externalServices: 'Nastavení > Obecné > Ochrana > Externí služby',
  // not in the seed: our translation ("Zpracování zpráv")
  messageProcessing: 'Nastavení > Obecné > Zpracování zpráv',
  // not in the seed: our translation ("Pravidla"; seed step 5 says "pravidla pro zpracování zpráv")
  rules: 'Pravidla',
};

/**
 * The 1.1 console in Czech: no seed gives its Czech labels, so the English console paths are
 * kept (not in the seed: left in English rather than invented).
 */
export const UI_11_CS: Record<keyof typeof UI, string> = UI_11;

export const uiFor = (version: KsmgVersion = '2.x', lang: Lang = 'en'): Record<keyof typeof UI, string> =>
  lang === 'cs' ? (version === '1.1' ? UI_11_CS : UI_CS) : version === '1.1' ? UI_11 : UI;

/** Field, button and choice labels the runbook names, per language. */
export interface FieldLabels {
  useMx: string;
  localDomain: string;
  addDomain: string;
  destination: string;
  sendViaEdge: string;
  trustedNetworks: string;
  add: string;
  hostname: string;
  domainName: string;
  messageSizeLimit: string;
  allowDns: string;
  useSpf: string;
  useDkim: string;
  useDmarc: string;
  dnsTimeout: string;
  rejectForRecipients: string;
  addXHeaders: string;
  sendNdrDelayed: string;
}

export const FIELD_LABELS: Record<Lang, FieldLabels> = {
  en: {
    useMx: 'Use MX lookup',
    localDomain: 'Local domain',
    addDomain: 'Add domain',
    destination: 'Email destination address',
    sendViaEdge: 'Send via edge gateway',
    trustedNetworks: 'Trusted networks',
    add: 'Add',
    hostname: 'Hostname',
    domainName: 'Domain name',
    messageSizeLimit: 'Message size limit',
    allowDns: 'Allow connection to DNS server',
    useSpf: 'Use SPF',
    useDkim: 'Use DKIM',
    useDmarc: 'Use DMARC',
    dnsTimeout: 'DNS server timeout',
    rejectForRecipients: 'Reject messages for recipients',
    addXHeaders: 'Add X-headers',
    sendNdrDelayed: 'Send NDR for messages rejected after the end of SMTP session',
  },
  cs: {
    // Seed 000: Použít vyhledávání MX, Místní doména, Přidat doménu, Cílová adresa e-mailu,
    // Odeslat prostřednictvím hraniční brány, Důvěryhodné sítě, Použít SPF, Použít DMARC,
    // Odmítat zprávy u příjemců.
    useMx: 'Použít vyhledávání MX',
    localDomain: 'Místní doména',
    addDomain: 'Přidat doménu',
    destination: 'Cílová adresa e-mailu',
    sendViaEdge: 'Odeslat prostřednictvím hraniční brány',
    trustedNetworks: 'Důvěryhodné sítě',
    useSpf: 'Použít SPF',
    useDmarc: 'Použít DMARC',
    rejectForRecipients: 'Odmítat zprávy u příjemců',
    // not in the seed: our translation (each of the following)
    add: 'Přidat',
    hostname: 'Název hostitele',
    domainName: 'Název domény',
    messageSizeLimit: 'Maximální velikost zprávy',
    allowDns: 'Povolit připojení k serveru DNS',
    useDkim: 'Použít DKIM',
    dnsTimeout: 'Časový limit serveru DNS',
    addXHeaders: 'Přidávat hlavičky X',
    sendNdrDelayed: 'Odesílat NDR u zpráv odmítnutých po skončení relace SMTP',
  },
};

type Verification = Config['mta']['advanced']['recipientVerification'];

/** The choices of "Reject messages for recipients" / "Odmítat zprávy u příjemců". */
export const VERIFICATION_CHOICES: Record<Lang, Record<Verification, string>> = {
  en: {
    none: 'Do not reject',
    'reject-unverified': 'Reject for unverified recipients',
    'reject-unlisted': 'Reject for recipients not in valid list',
  },
  cs: {
    none: 'Neodmítat', // seed 000 step 6
    // not in the seed: our translation
    'reject-unverified': 'Odmítat u neověřených příjemců',
    // not in the seed: our translation
    'reject-unlisted': 'Odmítat u příjemců mimo seznam platných',
  },
};

/**
 * Rule labels in Czech; English ones are in src/config/rule-actions.ts. Only "Odmítnout" and
 * "Odstranit zprávu" are in the seed (step 5); the rest is not in the seed: our translation.
 */
export const RULE_LABELS_CS = {
  modules: {
    antiVirus: 'Anti-Virus',
    antiSpam: 'Anti-Spam',
    antiPhishing: 'Anti-Phishing',
    contentFiltering: 'Filtrování obsahu',
    mailAuthentication: 'Ověření odesílatele zprávy',
  } satisfies Record<ModuleKey, string>,
  actions: {
    skip: 'Přeskočit',
    disinfect: 'Vyléčit',
    'delete-attachment': 'Odstranit přílohu',
    'delete-message': 'Odstranit zprávu', // seed 000 step 5
    reject: 'Odmítnout', // seed 000 step 5
    'apply-policy': 'Použít zásadu DMARC',
  } as Record<string, string>,
  modes: {
    scan: 'Použít nastavení modulů kontroly',
    reject: 'Odmítnout bez kontroly',
    delete: 'Odstranit bez upozornění odesílatele',
    skip: 'Přeskočit bez kontroly',
  } as Record<string, string>,
  /** What an action applies to, by `module.key`. */
  what: {
    'antiVirus.infected': 'infikované zprávy',
    'antiVirus.ifDisinfectionFails': 'pokud léčení selže',
    'antiSpam.spam': 'spam',
    'antiSpam.probableSpam': 'pravděpodobný spam',
    'antiPhishing.phishing': 'phishing',
    'contentFiltering.sizeExceeded': 'překročena velikost zprávy',
    'contentFiltering.banned': 'zakázaný název nebo typ přílohy',
    'mailAuthentication.spf': 'kontrola SPF selhala',
    'mailAuthentication.dkim': 'kontrola DKIM selhala',
    'mailAuthentication.dmarc': 'kontrola DMARC selhala',
  } as Record<string, string>,
};

export interface AdvancedField {
  /** The 2.x web-UI label. */
  label: string;
  /** The Czech 2.x label; none of these is in the seed (our translation). */
  labelCs?: string;
  /** The 1.1 console label, where it differs. */
  label11?: string;
  /** Only the 1.1 console has this field; 2.x keeps its own value. */
  only11?: boolean;
}

/** Advanced MTA settings: label per version and whether 2.x shows the field at all. */
export const ADVANCED_FIELDS: Partial<Record<keyof Advanced, AdvancedField>> = {
  greeting: { label: 'SMTP greeting text', labelCs: 'Text pozdravu SMTP' },
  connectionRateLimit: {
    label: 'Maximum connection attempts (per client per minute)',
    labelCs: 'Maximální počet pokusů o připojení (na klienta za minutu)',
  },
  connectionCountLimit: {
    label: 'Maximum simultaneous connection attempts (per client)',
    labelCs: 'Maximální počet souběžných pokusů o připojení (na klienta)',
  },
  messageRateLimit: {
    label: 'Maximum mail delivery requests (per client per minute)',
    labelCs: 'Maximální počet požadavků na doručení pošty (na klienta za minutu)',
  },
  sessionTimeout: { label: 'Maximum SMTP session length', labelCs: 'Maximální délka relace SMTP', label11: 'SMTP session timeout' },
  transportRetryTime: {
    label: 'Interval between destination address connection attempts',
    labelCs: 'Interval mezi pokusy o připojení k cílové adrese',
    only11: true,
  },
  minimalBackoff: {
    label: 'Minimum delivery interval for Deferred queue',
    labelCs: 'Minimální interval doručování pro frontu Deferred',
    only11: true,
  },
  maximalBackoff: {
    label: 'Maximum delivery interval for Deferred queue',
    labelCs: 'Maximální interval doručování pro frontu Deferred',
    only11: true,
  },
  queueRunDelay: { label: 'Deferred queue processing interval', labelCs: 'Interval zpracování fronty Deferred', only11: true },
  maximalQueueLifetime: { label: 'Maximum queue lifetime for a message', labelCs: 'Maximální doba zprávy ve frontě' },
  bounceQueueLifetime: { label: 'Maximum queue lifetime for a bounce message', labelCs: 'Maximální doba zprávy o nedoručení ve frontě' },
  alwaysBcc: { label: 'BCC address for all messages', labelCs: 'Adresa skryté kopie pro všechny zprávy' },
  strictRfc821Envelopes: { label: 'Check addresses format for RFC 821 compliance', labelCs: 'Kontrolovat formát adres podle RFC 821' },
  disableVrfy: { label: 'Disable recipient verification SMTP VRFY', labelCs: 'Zakázat ověřování příjemců příkazem SMTP VRFY' },
  discardEhloKeywords: { label: 'EHLO keywords not announced', labelCs: 'Neohlašovaná klíčová slova EHLO' },
  rejectUnknownRecipientDomains: {
    label: 'Reject messages for unknown recipient domains',
    labelCs: 'Odmítat zprávy pro neznámé domény příjemců',
  },
};

export function advancedLabel(key: keyof Advanced, version: KsmgVersion = '2.x', lang: Lang = 'en'): string {
  const f = ADVANCED_FIELDS[key];
  if (!f) return key;
  // The 1.1 console has no Czech labels in the seeds: its English label is kept.
  if (version === '1.1') return f.label11 ?? f.label;
  return lang === 'cs' ? (f.labelCs ?? f.label) : f.label;
}

/** Where an advanced setting is; a 1.1-only field says so in the 2.x path. */
export function advancedFieldPath(key: keyof Advanced, version: KsmgVersion = '2.x'): string {
  const f = ADVANCED_FIELDS[key];
  if (version === '2.x' && f?.only11) return `${UI_11.advanced} > ${f.label} (KSMG 1.1 console only; not in the 2.x web UI)`;
  return `${uiFor(version).advanced} > ${advancedLabel(key, version)}`;
}

/**
 * A finding's web-UI path (always stored in English, so the JSON stays the same in every language)
 * as the text report shows it: the Czech path for a path of the 2.x table or an advanced field of
 * it; anything else (the 1.1 console, a path with a note) as it is.
 */
export function localUiPath(path: string, lang: Lang): string {
  if (lang === 'en') return path;
  const key = (Object.keys(UI) as Array<keyof typeof UI>).find((k) => UI[k] === path);
  if (key) return UI_CS[key];
  // A 2.x section followed by a field label (`… > Basic settings > Message size limit`).
  for (const k of Object.keys(UI) as Array<keyof typeof UI>) {
    const label = (Object.keys(FIELD_LABELS.en) as Array<keyof FieldLabels>).find((f) => path === `${UI[k]} > ${FIELD_LABELS.en[f]}`);
    if (label) return `${UI_CS[k]} > ${FIELD_LABELS.cs[label]}`;
  }
  const prefix = `${UI.advanced} > `;
  if (path.startsWith(prefix)) {
    const label = path.slice(prefix.length);
    const field = Object.values(ADVANCED_FIELDS).find((f) => f?.label === label);
    if (field?.labelCs) return `${UI_CS.advanced} > ${field.labelCs}`;
  }
  return path;
}

/**
 * TLS Encryption page labels (reference/ksmg-product.md §4 "TLS", from the 2.0 help page 95403).
 * Czech: not in the seed (seed 000 has no TLS step) — our translation, check it against a Czech web UI.
 */
export const TLS_LABELS: Record<Lang, { serverLevel: string; levels: Record<'none' | 'may' | 'encrypt', string>; certificate: string }> = {
  en: {
    serverLevel: 'Server TLS security level',
    levels: { none: 'No TLS', may: 'Attempt TLS', encrypt: 'Require TLS' },
    certificate: 'Certificate',
  },
  cs: {
    // not in the seed: our translation
    serverLevel: 'Úroveň zabezpečení TLS serveru',
    // not in the seed: our translation
    levels: { none: 'Bez TLS', may: 'Zkusit TLS', encrypt: 'Vyžadovat TLS' },
    // not in the seed: our translation
    certificate: 'Certifikát',
  },
};
