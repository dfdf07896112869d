// Step 8: advanced settings — skipped unless asked. Each shows the KSMG default and accepts the
// same units as ksmg.yaml (durations 30s/5m/4h/3d), validated by that key's schema.
import { ADVANCED_DURATION_KEYS, advancedSchema, formatDuration, parseDuration } from '../../config/schema.js';
import { explain, given, type AdvancedInput, type WizardContext } from '../context.js';
import { check, convertAdvanced, schemas, toNumber, validateAdvanced, validateHostname, validateMessageSizeLimit } from '../validate.js';
import { currentFindings, findingsAt, patchedValue } from '../findings.js';
import type { Step } from './types.js';

type AdvKey = keyof typeof advancedSchema.shape;
/** Asked in the recipient-verification step instead. */
const ELSEWHERE: AdvKey[] = ['recipientVerification', 'unverifiedRecipientRejectCode', 'validRecipients'];
const DURATIONS: readonly AdvKey[] = ADVANCED_DURATION_KEYS;
const BOOLEANS: AdvKey[] = ['strictRfc821Envelopes', 'disableVrfy', 'rejectUnknownRecipientDomains'];

export const ADVANCED_LABELS: Record<string, string> = {
  hostname: 'Host name (myhostname)',
  messageSizeLimit: 'Message size limit, bytes or with a unit such as 20MB (0 = unlimited)',
  greeting: 'SMTP greeting text',
  connectionRateLimit: 'Maximum connection attempts per client per minute (0 = unlimited)',
  connectionCountLimit: 'Maximum simultaneous connections per client',
  messageRateLimit: 'Maximum mail delivery requests per client per minute (0 = unlimited)',
  sessionTimeout: 'Maximum SMTP session length',
  transportRetryTime: 'Interval between connection attempts to a destination',
  minimalBackoff: 'Minimum delivery interval for the deferred queue',
  maximalBackoff: 'Maximum delivery interval for the deferred queue',
  queueRunDelay: 'Deferred queue processing interval',
  maximalQueueLifetime: 'Maximum queue lifetime for a message',
  bounceQueueLifetime: 'Maximum queue lifetime for a bounce',
  alwaysBcc: 'BCC address for all messages (empty = none)',
  strictRfc821Envelopes: 'Check addresses for RFC 821 compliance',
  disableVrfy: 'Disable the SMTP VRFY command',
  discardEhloKeywords: 'EHLO keywords not announced (comma-separated)',
  rejectUnknownRecipientDomains: 'Reject messages for unknown recipient domains',
};

export const ADVANCED_KEYS = (Object.keys(advancedSchema.shape) as AdvKey[]).filter((k) => !ELSEWHERE.includes(k));
const KSMG_DEFAULTS = advancedSchema.parse({});

/** A value as the admin would type it. */
export function formatAdvanced(key: AdvKey, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (DURATIONS.includes(key)) {
    const seconds = parseDuration(value);
    return seconds === null ? String(value) : formatDuration(seconds);
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export const advancedStep: Step = {
  id: 'advanced',
  title: 'Advanced settings',
  async run(ctx: WizardContext) {
    const fixedMta = ctx.given.mta ?? {};
    const fixedAdv: Partial<AdvancedInput> = { ...fixedMta.advanced };
    for (const k of ELSEWHERE) delete fixedAdv[k];
    const mta = { ...ctx.draft.mta };
    const adv: Partial<AdvancedInput> = { ...mta.advanced };
    if (fixedMta.hostname) {
      mta.hostname = fixedMta.hostname;
      given(ctx, 'Host name', fixedMta.hostname);
    }
    if (fixedMta.messageSizeLimit !== undefined) {
      mta.messageSizeLimit = fixedMta.messageSizeLimit;
      given(ctx, 'Message size limit', String(fixedMta.messageSizeLimit));
    }
    for (const [k, v] of Object.entries(fixedAdv)) {
      (adv as Record<string, unknown>)[k] = v;
      given(ctx, ADVANCED_LABELS[k] ?? k, formatAdvanced(k as AdvKey, v));
    }
    ctx.draft.mta = { ...mta, advanced: adv };
    if (!ctx.interactive) return;

    explain(ctx, "Host name, size limit, rate limits, timeouts and queue lifetimes. KSMG's defaults suit most sites.");
    // On a rerun, settings the audit objects to are prefilled with its recommendation (the value its
    // fix would set, else the KSMG default), not with the current bad value, and offered ticked.
    const findings = currentFindings(ctx);
    const flaggedKeys = new Set(ADVANCED_KEYS.filter((k) => findingsAt(findings, `mta.advanced.${k}`).length > 0));
    const recommendation = (k: AdvKey): unknown => {
      const p = patchedValue(findings, `mta.advanced.${k}`);
      return p ? p.value : KSMG_DEFAULTS[k];
    };
    if (flaggedKeys.size)
      ctx.stdout.write(`The audit has findings on: ${[...flaggedKeys].map((k) => ADVANCED_LABELS[k] ?? k).join(', ')}.\n`);
    const anyFlagged = flaggedKeys.size > 0 || findingsAt(findings, 'mta.messageSizeLimit').length > 0;
    if (!(await ctx.prompt.confirm({ message: 'Change advanced settings?', default: anyFlagged }))) return;

    const cur = { ...ctx.current?.mta.advanced, ...adv } as Record<string, unknown>;
    for (const k of flaggedKeys) if (!(k in adv)) cur[k] = recommendation(k);
    const firstDomain = mta.domains?.[0]?.name ?? ctx.current?.mta.domains[0]?.name;
    const hostnameNow = mta.hostname ?? ctx.current?.mta.hostname ?? (firstDomain ? `ksmg.${firstDomain}` : undefined);
    const sizeFlagged = findingsAt(findings, 'mta.messageSizeLimit').length > 0 && mta.messageSizeLimit === undefined;
    const sizeNow = sizeFlagged
      ? Number(patchedValue(findings, 'mta.messageSizeLimit')?.value ?? 20971520)
      : (mta.messageSizeLimit ?? ctx.current?.mta.messageSizeLimit ?? 20971520);
    const keys = await ctx.prompt.checkbox<string>({
      message: 'Which settings?',
      choices: [
        { value: 'hostname', name: `${ADVANCED_LABELS.hostname}: ${hostnameNow ?? '(derived from the first domain)'}` },
        {
          value: 'messageSizeLimit',
          name: `${ADVANCED_LABELS.messageSizeLimit}: ${sizeFlagged ? `${ctx.current?.mta.messageSizeLimit} (audit finding; recommended ${sizeNow})` : sizeNow}`,
          checked: sizeFlagged,
        },
        ...ADVANCED_KEYS.map((k) => ({
          value: k,
          name: `${ADVANCED_LABELS[k] ?? k}: ${flaggedKeys.has(k) ? `${formatAdvanced(k, ctx.current?.mta.advanced[k]) || 'none'} (audit finding; recommended ${formatAdvanced(k, cur[k]) || 'none'})` : formatAdvanced(k, cur[k] ?? KSMG_DEFAULTS[k]) || 'none'}`,
          checked: flaggedKeys.has(k),
        })),
      ],
    });
    for (const key of keys) {
      if (key === 'hostname') {
        const v = await ctx.prompt.input({ message: ADVANCED_LABELS.hostname!, default: hostnameNow, validate: validateHostname });
        const r = check(schemas.hostname, v);
        if (r.ok) mta.hostname = r.value;
      } else if (key === 'messageSizeLimit') {
        const v = await ctx.prompt.input({
          message: `${ADVANCED_LABELS.messageSizeLimit} — KSMG default 20971520`,
          default: String(sizeNow),
          validate: validateMessageSizeLimit,
        });
        // 20MB and the like are taken and stored as bytes.
        const r = check(schemas.messageSizeLimit, toNumber(v));
        if (r.ok) mta.messageSizeLimit = r.value;
      } else {
        const k = key as AdvKey;
        const def = formatAdvanced(k, KSMG_DEFAULTS[k]) || 'none';
        const now = cur[k] ?? KSMG_DEFAULTS[k];
        if (BOOLEANS.includes(k)) {
          (adv as Record<string, unknown>)[k] = await ctx.prompt.confirm({
            message: `${ADVANCED_LABELS[k]}? (KSMG default: ${def})`,
            default: now as boolean,
          });
        } else {
          const v = await ctx.prompt.input({
            message: `${ADVANCED_LABELS[k] ?? k} — KSMG default ${def}`,
            default: formatAdvanced(k, now),
            validate: validateAdvanced(k),
          });
          (adv as Record<string, unknown>)[k] = convertAdvanced(k, v);
        }
      }
    }
    ctx.draft.mta = { ...mta, advanced: adv };
  },
};
