// Validators for typed answers. Every format rule comes from the config schema's own sub-schemas
// (and src/config/net.ts), so the wizard accepts exactly what ksmg.yaml accepts — never a second
// set of rules. The only wizard-specific rules are about judgement, not format (a trusted network
// that covers the internet; the same domain twice).
import type { z } from 'zod';
import { CHECKS } from '../audit/index.js';
import { advancedSchema, configSchema, destinationSchema, domainSchema, mtaSchema } from '../config/schema.js';
import { cidrCovers, hostKind, hostProblem, parseCidr, unmappedIpv4 } from '../config/net.js';
import { tEn, type Translate } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';
import type { Validator } from './prompts.js';

/** The first schema message for `value`, or the parsed value. */
export function check<S extends z.ZodType>(schema: S, value: unknown): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: r.error.issues[0]?.message ?? 'invalid value' };
}

const asValidator =
  (schema: z.ZodType, convert: (text: string) => unknown = (t) => t): Validator =>
  (text) => {
    const r = check(schema, convert(text));
    return r.ok ? true : r.message;
  };

/** Text to number the way YAML would read it; anything else stays a string so the schema names it. */
export function toNumber(text: string): unknown {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
}

export const schemas = {
  domainName: domainSchema.shape.name,
  host: destinationSchema.shape.host.unwrap(),
  port: destinationSchema.shape.port.unwrap(),
  hostname: mtaSchema.shape.hostname.unwrap(),
  messageSizeLimit: mtaSchema.shape.messageSizeLimit.unwrap(),
  network: mtaSchema.shape.trustedNetworks.unwrap().element,
  validRecipient: advancedSchema.shape.validRecipients.unwrap().element,
  advanced: advancedSchema.shape,
};

/**
 * A validator speaking `t`'s language: the schema's messages are English (they are the config
 * loader's too), read back into the catalogue and rendered in the admin's language.
 */
export const inLang =
  (t: Translate, validate: Validator): Validator =>
  (text) => {
    const r = validate(text);
    return r === true ? true : translateKnown(t.lang, r);
  };

export const validateDomainName = asValidator(schemas.domainName);
/** A host as the schema takes it, minus forms that pass the schema but are not what was meant (::ffff:10.0.0.25). */
export const validateHost: Validator = (text) => {
  const r = check(schemas.host, text.trim());
  if (!r.ok) return r.message;
  return hostProblem(text) ?? true;
};
export const validatePort = asValidator(schemas.port, toNumber);
export const validateHostname = asValidator(schemas.hostname);
export const validateMessageSizeLimit = asValidator(schemas.messageSizeLimit, toNumber);
export const validateValidRecipient = asValidator(schemas.validRecipient);

/**
 * A trusted network may relay anywhere, so one that covers a large part of the internet makes KSMG
 * an open relay. The judgement is the audit's own check (networks.open-relay), run on this one network.
 */
export function openRelayReason(network: string, t: Translate = tEn): string | null {
  const config = configSchema.safeParse({ version: 1, integration: 'edge', mta: { trustedNetworks: [network] } });
  if (!config.success) return null;
  const check = CHECKS.find((c) => c.id === 'networks.open-relay');
  return check?.run(config.data, t)[0]?.message ?? null;
}

/** `::ffff:10.0.0.0/104` → `10.0.0.0/8`: the IPv4 network an IPv4-mapped entry means, or null. */
export function mappedNetworkAsIpv4(text: string): string | null {
  const r = parseCidr(text);
  if (!r.ok || r.cidr.bits !== 128 || r.cidr.prefix < 96) return null;
  const v4 = unmappedIpv4(r.cidr.address);
  return v4 ? (r.cidr.prefix === 128 ? v4 : `${v4}/${r.cidr.prefix - 96}`) : null;
}

/** The listed network that already contains `text`, if any (the new entry would change nothing). */
export function coveringNetwork(text: string, list: readonly string[]): string | null {
  const r = parseCidr(text);
  if (!r.ok) return null;
  for (const n of list) {
    const o = parseCidr(n);
    if (o.ok && n !== text && cidrCovers(o.cidr, r.cidr)) return n;
  }
  return null;
}

/** A trusted network as typed: the schema's format, then the judgement (mapped IPv4, open relay). */
export const networkValidator =
  (t: Translate): Validator =>
  (text) => {
    const r = check(schemas.network, text);
    if (!r.ok) return translateKnown(t.lang, r.message);
    const v4 = mappedNetworkAsIpv4(text);
    // KSMG (Postfix) matches IPv4 clients against IPv4 networks only: the mapped form trusts nobody.
    if (v4) return t(v4.includes('/') ? 'wizard.trusted.mappedNetwork' : 'wizard.trusted.mappedAddress', { text, v4 });
    const reason = openRelayReason(text, t);
    return reason ? t('wizard.trusted.internalOnly', { reason }) : true;
  };

export const validateNetwork: Validator = networkValidator(tEn);

/** Validates one advanced setting as typed, through that key's schema. */
export function validateAdvanced(key: keyof typeof advancedSchema.shape): Validator {
  return asValidator(advancedSchema.shape[key] as z.ZodType, (t) => convertAdvanced(key, t));
}

/** Typed text → the value as it would stand in ksmg.yaml (numbers as numbers, lists comma-separated). */
export function convertAdvanced(key: keyof typeof advancedSchema.shape, text: string): unknown {
  const t = text.trim();
  switch (key) {
    case 'discardEhloKeywords':
    case 'validRecipients':
      return t ? t.split(/[\s,]+/).filter(Boolean) : [];
    case 'alwaysBcc':
      return t === '' || t === 'none' ? null : t;
    case 'strictRfc821Envelopes':
    case 'disableVrfy':
    case 'rejectUnknownRecipientDomains':
      return /^(y|yes|true|on)$/i.test(t) ? true : /^(n|no|false|off)$/i.test(t) ? false : t;
    case 'greeting':
    case 'recipientVerification':
      return t;
    default:
      return toNumber(t);
  }
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function parseHostPort(text: string): { host: string; port?: number } | { error: string } {
  const t = text.trim();
  let host = t;
  let portText: string | undefined;
  const bracket = t.match(/^\[([^\]]+)\](?::(.*))?$/);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if (hostKind(t) !== 'ipv6' && t.includes(':')) {
    const i = t.lastIndexOf(':');
    host = t.slice(0, i);
    portText = t.slice(i + 1);
  }
  const h = check(schemas.host, host);
  if (!h.ok) return { error: `"${host}": ${h.message}` };
  if (portText === undefined) return { host };
  const p = check(schemas.port, toNumber(portText));
  if (!p.ok) return { error: tEn('wizard.flags.port', { port: portText, problem: p.message }) };
  return { host, port: p.value };
}

export function formatHostPort(host: string, port: number): string {
  return hostKind(host) === 'ipv6' ? `[${host}]:${port}` : `${host}:${port}`;
}
