// Non-interactive answers: a flag for every question, `--answers FILE` (YAML with the same names)
// and `--yes`. Both become a Draft through ONE normaliser, validated with the same validators the
// prompts use, so flags, answers file and prompts give the same ksmg.yaml for the same answers.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import YAML from 'yaml';
import {
  advancedSchema,
  domainSchema,
  INTEGRATIONS,
  TLS_SECURITY_LEVELS,
  type Config,
  type Integration,
  type TlsSecurityLevel,
} from '../config/schema.js';
import { hostKind } from '../config/net.js';
import type { AdvancedInput, DomainInput, Draft } from './context.js';
import { tEn, type Translate } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';
import { check, convertAdvanced, inLang, networkValidator, parseHostPort, schemas, toNumber, validateValidRecipient } from './validate.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Options shared by `init`. Names are the CLI contract in ARCHITECTURE.md §3. */
export function addWizardOptions(cmd: Command, t: Translate = tEn): Command {
  return cmd
    .option('-c, --config <file>', t('wizard.option.config'), 'ksmg.yaml')
    .option('--answers <file>', t('wizard.option.answers'))
    .option('-y, --yes', t('wizard.option.yes'))
    .option('--no-verify', t('wizard.option.noVerify'))
    .option('--accept-findings', t('wizard.option.acceptFindings'))
    .addOption(new Option('--integration <scheme>', t('wizard.option.integration')).choices([...INTEGRATIONS]))
    .option('--domain <spec>', t('wizard.option.domain'), collect)
    .option('--relayhost <host[:port]>', t('wizard.option.relayhost'))
    .option('--mx', t('wizard.option.mx'))
    .option('--no-mx', t('wizard.option.noMx'))
    .option('--trusted <network>', t('wizard.option.trusted'), collect)
    .option('--spf', t('wizard.option.spf'))
    .option('--no-spf', t('wizard.option.noSpf'))
    .option('--dmarc', t('wizard.option.dmarc'))
    .option('--no-dmarc', t('wizard.option.noDmarc'))
    .option('--reject-to-delete', t('wizard.option.rejectToDelete'))
    .option('--no-reject-to-delete', t('wizard.option.noRejectToDelete'))
    .addOption(
      new Option('--recipient-verification <mode>', t('wizard.option.recipientVerification')).choices([
        'none',
        'reject-unverified',
        'reject-unlisted',
      ]),
    )
    .option('--reject-code <code>', t('wizard.option.rejectCode'))
    .option('--valid-recipient <address>', t('wizard.option.validRecipient'), collect)
    .addOption(new Option('--tls-level <level>', t('wizard.option.tlsLevel')).choices([...TLS_SECURITY_LEVELS]))
    .option('--hostname <fqdn>', t('wizard.option.hostname'))
    .option('--message-size-limit <bytes>', t('wizard.option.messageSizeLimit'))
    .option('--advanced <key=value>', t('wizard.option.advanced'), collect);
}

/** The keys an answers file (or the parsed flags) may carry. */
const ANSWER_KEYS = [
  'integration',
  'domain',
  'relayhost',
  'mx',
  'trusted',
  'spf',
  'dmarc',
  'rejectToDelete',
  'recipientVerification',
  'rejectCode',
  'validRecipient',
  'tlsLevel',
  'hostname',
  'messageSizeLimit',
  'advanced',
] as const;
type AnswerKey = (typeof ANSWER_KEYS)[number];
export type Answers = Partial<Record<AnswerKey, unknown>>;

const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Reads an answers file: a YAML mapping with the flag names (kebab-case or camelCase). */
export async function readAnswersFile(path: string, t: Translate = tEn): Promise<{ answers: Answers; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return {
      answers: {},
      errors: [t('wizard.flags.cannotRead', { file: path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message })],
    };
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    return { answers: {}, errors: [t('wizard.flags.notYaml', { file: path, reason: (e as Error).message.split('\n')[0]! })] };
  }
  if (doc === null || doc === undefined) return { answers: {}, errors: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { answers: {}, errors: [t('wizard.flags.notMapping', { file: path })] };
  const answers: Answers = {};
  const errors: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const key = camel(k) as AnswerKey;
    // Plural spellings read naturally in a file.
    const alias: Record<string, AnswerKey> = { domains: 'domain', validRecipients: 'validRecipient', trustedNetworks: 'trusted' };
    const real = alias[key] ?? key;
    if (!ANSWER_KEYS.includes(real)) errors.push(t('wizard.flags.unknownAnswer', { file: path, key: k, known: ANSWER_KEYS.join(', ') }));
    else answers[real] = v;
  }
  return { answers, errors };
}

/** Picks the answer keys out of commander's parsed options (undefined = not given). */
export function answersFromFlags(opts: Record<string, unknown>): Answers {
  const out: Answers = {};
  for (const k of ANSWER_KEYS) if (opts[k] !== undefined) out[k] = opts[k];
  // commander gives `verify: true` by default and never undefined for --no-x pairs it did not see.
  return out;
}

/** NAME, NAME=HOST[:PORT], with ",mx" / ",not-local" options. */
export function parseDomainSpec(spec: string, t: Translate = tEn): { domain: DomainInput } | { error: string } {
  const [main = '', ...opts] = spec.split(',').map((s) => s.trim());
  const eq = main.indexOf('=');
  const nameText = eq === -1 ? main : main.slice(0, eq);
  const name = check(schemas.domainName, nameText);
  if (!name.ok) return { error: `--domain "${spec}": "${nameText}": ${translateKnown(t.lang, name.message)}` };
  const unknown = opts.filter((o) => o !== 'mx' && o !== 'not-local');
  if (unknown.length) return { error: t('wizard.flags.domainUnknownOption', { spec, option: unknown[0]! }) };
  const domain: DomainInput = { name: name.value, local: !opts.includes('not-local') };
  if (eq !== -1) {
    const hp = parseHostPort(main.slice(eq + 1));
    if ('error' in hp) return { error: `--domain "${spec}": ${translateHostPortError(t, hp.error)}` };
    const mxLookup = opts.includes('mx');
    if (mxLookup && hostKind(hp.host) !== 'name')
      return { error: `--domain "${spec}": ${t('wizard.flags.mxNeedsName', { host: hp.host })}` };
    domain.route = { host: hp.host, port: hp.port ?? 25, mxLookup };
  } else if (opts.includes('mx')) {
    return { error: t('wizard.flags.mxNeedsRoute', { spec }) };
  }
  return { domain };
}

/** parseHostPort's error (`"host": <schema message>` or `port "x": <schema message>`) in `t`'s language. */
function translateHostPortError(t: Translate, error: string): string {
  if (t.lang === 'en') return error;
  const m = error.match(/^("[^"]*": )([\s\S]*)$/);
  if (m) return m[1]! + translateKnown(t.lang, m[2]!);
  const p = error.match(/^port "([^"]*)": ([\s\S]*)$/);
  return p ? t('wizard.flags.port', { port: p[1]!, problem: translateKnown(t.lang, p[2]!) }) : error;
}

function bool(v: unknown, flag: string, errors: string[], t: Translate): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  errors.push(t('wizard.flags.expectedBoolean', { flag, value: JSON.stringify(v) }));
  return undefined;
}

/** Answers (from flags, a file, or both merged) → a Draft, or the errors naming the flag. */
export function answersToDraft(a: Answers, t: Translate = tEn): { draft: Draft; errors: string[] } {
  const known = (message: string) => translateKnown(t.lang, message);
  const errors: string[] = [];
  const draft: Draft = {};
  const mta: NonNullable<Draft['mta']> = {};

  if (a.integration !== undefined) {
    if (typeof a.integration === 'string' && (INTEGRATIONS as readonly string[]).includes(a.integration))
      draft.integration = a.integration as Integration;
    else errors.push(t('wizard.flags.expectedScheme', { schemes: INTEGRATIONS.join(', '), value: JSON.stringify(a.integration) }));
  }

  if (a.domain !== undefined) {
    const domains: DomainInput[] = [];
    for (const d of asList(a.domain)) {
      if (typeof d === 'string') {
        const r = parseDomainSpec(d, t);
        if ('error' in r) errors.push(r.error);
        else domains.push(r.domain);
      } else {
        const r = domainSchema.safeParse(d);
        if (r.success) domains.push(r.data);
        else
          errors.push(
            `domain ${JSON.stringify(d)}: ${r.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${known(i.message)}`).join('; ')}`,
          );
      }
    }
    const names = domains.map((d) => d.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) errors.push(t('wizard.flags.givenTwice', { name: dup }));
    mta.domains = domains;
  }

  const mx = bool(a.mx, '--mx', errors, t);
  if (a.relayhost !== undefined) {
    const hp = typeof a.relayhost === 'string' ? parseHostPort(a.relayhost) : { error: t('wizard.flags.expectedHostPort') };
    if ('error' in hp) errors.push(`--relayhost: ${translateHostPortError(t, hp.error)}`);
    else if (mx && hostKind(hp.host) !== 'name') errors.push(`--mx: ${t('wizard.flags.mxNeedsName', { host: hp.host })}`);
    else mta.destination = { mode: 'edge-gateway', host: hp.host, port: hp.port ?? 25, mxLookup: mx ?? false };
  } else if (mx !== undefined) {
    mta.destination = { mxLookup: mx };
  }

  if (a.trusted !== undefined) {
    const nets = asList(a.trusted)
      .flatMap((t) => String(t).split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const validateNetwork = networkValidator(t);
    for (const n of nets) {
      const r = validateNetwork(n);
      if (r !== true) errors.push(`--trusted "${n}": ${r}`);
    }
    mta.trustedNetworks = [...new Set(nets)];
  }

  const spf = bool(a.spf, '--spf', errors, t);
  const dmarc = bool(a.dmarc, '--dmarc', errors, t);
  if (spf !== undefined || dmarc !== undefined)
    draft.protection = { ...(spf !== undefined && { spf }), ...(dmarc !== undefined && { dmarc }) };
  const r2d = bool(a.rejectToDelete, '--reject-to-delete', errors, t);
  if (r2d !== undefined) draft.rejectToDelete = r2d;

  const advanced: Partial<AdvancedInput> = {};
  const setAdvanced = (key: string, raw: unknown, flag: string) => {
    if (!(key in advancedSchema.shape)) {
      errors.push(t('wizard.flags.unknownAdvanced', { flag, key, known: Object.keys(advancedSchema.shape).join(', ') }));
      return;
    }
    const k = key as keyof typeof advancedSchema.shape;
    const value = typeof raw === 'string' ? convertAdvanced(k, raw) : raw;
    const r = check(advancedSchema.shape[k], value);
    if (!r.ok) errors.push(`${flag}: ${known(r.message)}`);
    else (advanced as Record<string, unknown>)[k] = value;
  };
  if (a.advanced !== undefined) {
    if (typeof a.advanced === 'object' && a.advanced !== null && !Array.isArray(a.advanced)) {
      for (const [k, v] of Object.entries(a.advanced)) setAdvanced(camel(k), v, `advanced.${k}`);
    } else {
      for (const item of asList(a.advanced)) {
        const s = String(item);
        const eq = s.indexOf('=');
        if (eq === -1) errors.push(t('wizard.flags.expectedKeyValue', { text: s }));
        else setAdvanced(camel(s.slice(0, eq).trim()), s.slice(eq + 1), `--advanced ${s.slice(0, eq).trim()}`);
      }
    }
  }
  if (a.recipientVerification !== undefined) setAdvanced('recipientVerification', a.recipientVerification, '--recipient-verification');
  if (a.rejectCode !== undefined)
    setAdvanced('unverifiedRecipientRejectCode', typeof a.rejectCode === 'string' ? toNumber(a.rejectCode) : a.rejectCode, '--reject-code');
  if (a.validRecipient !== undefined) {
    const list = asList(a.validRecipient).map(String);
    const validateRecipient = inLang(t, validateValidRecipient);
    for (const v of list) {
      const r = validateRecipient(v);
      if (r !== true) errors.push(`--valid-recipient "${v}": ${r}`);
    }
    advanced.validRecipients = list;
  }
  if (Object.keys(advanced).length) mta.advanced = advanced;

  if (a.tlsLevel !== undefined) {
    const level = String(a.tlsLevel);
    if ((TLS_SECURITY_LEVELS as readonly string[]).includes(level)) mta.tls = { securityLevel: level as TlsSecurityLevel };
    else errors.push(`--tls-level: expected ${TLS_SECURITY_LEVELS.join(', ')}, found "${level}"`);
  }
  if (a.hostname !== undefined) {
    const r = check(schemas.hostname, String(a.hostname));
    if (r.ok) mta.hostname = r.value;
    else errors.push(`--hostname: ${known(r.message)}`);
  }
  if (a.messageSizeLimit !== undefined) {
    const v = typeof a.messageSizeLimit === 'string' ? toNumber(a.messageSizeLimit) : a.messageSizeLimit;
    const r = check(schemas.messageSizeLimit, v);
    if (r.ok) mta.messageSizeLimit = r.value;
    else errors.push(`--message-size-limit: ${known(r.message)}`);
  }
  if (Object.keys(mta).length) draft.mta = mta;
  return { draft, errors };
}

/**
 * The flags a non-interactive run still needs. `required` have no sensible default; `defaulted`
 * have a scheme recommendation that only --yes (or an existing ksmg.yaml) may take.
 */
export function missingAnswers(given: Draft, current: Config | undefined, yes: boolean): { required: string[]; defaulted: string[] } {
  const required: string[] = [];
  const defaulted: string[] = [];
  const scheme = given.integration ?? current?.integration;
  if (!scheme) required.push('--integration edge|behind-edge-verify|behind-edge-no-verify');
  if (!(given.mta?.domains?.length || current?.mta.domains.length)) required.push('--domain NAME[=HOST[:PORT]]');
  const currentGateway = current?.mta.destination.mode === 'edge-gateway' && current.mta.destination.host;
  if (scheme !== 'edge' && !given.mta?.destination?.host && !currentGateway) {
    required.push(scheme ? '--relayhost HOST[:PORT]' : tEn('wizard.flags.unlessEdge', { flag: '--relayhost HOST[:PORT]' }));
  }
  if (!yes && !current) {
    if (!given.mta?.trustedNetworks) defaulted.push('--trusted NETWORK');
    if (given.protection?.spf === undefined) defaulted.push('--spf/--no-spf');
    if (given.protection?.dmarc === undefined) defaulted.push('--dmarc/--no-dmarc');
    if (scheme !== 'edge' && given.rejectToDelete === undefined) defaulted.push('--reject-to-delete/--no-reject-to-delete');
    if (!given.mta?.advanced?.recipientVerification) defaulted.push('--recipient-verification MODE');
  }
  return { required, defaulted };
}

export function formatMissing(m: { required: string[]; defaulted: string[] }, t: Translate = tEn): string {
  const lines = [t('wizard.flags.missing')];
  const unlessEdge = tEn('wizard.flags.unlessEdge', { flag: '--relayhost HOST[:PORT]' });
  // The flags themselves stay as typed; only the note around them is translated.
  for (const f of m.required) lines.push(`  ${f === unlessEdge ? t('wizard.flags.unlessEdge', { flag: '--relayhost HOST[:PORT]' }) : f}`);
  for (const f of m.defaulted) lines.push(`  ${t('wizard.flags.orYes', { flag: f })}`);
  lines.push(t('wizard.flags.howToGive'));
  return lines.join('\n');
}
