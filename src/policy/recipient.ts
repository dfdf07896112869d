// Recipient checks after relay control: reject_unlisted_recipient (relay_recipient_maps),
// reject_unverified_recipient (verify(8) results → Postfix's texts) and
// reject_unknown_recipient_domain. Pure: the DNS lookups and callouts happen in the relay.
import type { Config } from '../config/schema.js';
import { resolveAddress } from './address.js';
import { REPLIES, type Reply } from './replies.js';
import { classifyAddress } from './relay.js';
import type { ClientClass } from './client.js';

/** Which checks apply to this recipient, before any I/O. */
export interface RecipientPlan {
  /** The gateway's own name (mydestination): only its local users (postmaster) exist. */
  local: boolean;
  /** reject_unlisted_recipient against validRecipients. */
  unlisted: boolean;
  /** reject_unverified_recipient: a callout is needed. */
  verify: boolean;
  /** reject_unknown_recipient_domain: the domain needs an MX/A/AAAA lookup. */
  domainCheck: string | null;
}

/** The gateway's local users (local_recipient_maps = $alias_maps: the aliases file of `export postfix`). */
export const LOCAL_USERS = ['postmaster'];

/**
 * Own names: the local user check, for every client. Local domains: the valid-recipient list for
 * every client (relay_recipient_maps: Postfix checks it for all, smtpd_reject_unlisted_recipient),
 * the verification probe for untrusted clients only (KSMG: "SMTP verification of recipient email
 * addresses is not performed … from trusted network hosts"). Other domains (only trusted clients
 * get there): the domain check.
 */
export function planRecipientChecks(
  config: Config,
  client: ClientClass,
  address: string,
  ownAddresses: readonly string[] = [],
): RecipientPlan {
  const adv = config.mta.advanced;
  const { cls, resolved } = classifyAddress(config, address, ownAddresses);
  const none = { local: false, unlisted: false, verify: false, domainCheck: null };
  if (cls === 'local') return { ...none, local: true };
  if (cls === 'relay' && client === 'trusted' && resolved.routed) {
    // A routed local part (user%site@localdomain): the trusted restriction class cannot accept it
    // by its local domain (Postfix's access maps skip the domain of a routed address), so it gets
    // the list and the domain check like any other domain.
    return {
      ...none,
      unlisted: adv.recipientVerification === 'reject-unlisted',
      domainCheck: adv.rejectUnknownRecipientDomains ? resolved.domain : null,
    };
  }
  if (cls === 'relay') {
    return {
      ...none,
      unlisted: adv.recipientVerification === 'reject-unlisted',
      verify: client === 'untrusted' && adv.recipientVerification === 'reject-unverified',
    };
  }
  const check = client === 'trusted' && adv.rejectUnknownRecipientDomains && !resolved.literal && resolved.domain !== '';
  return { ...none, domainCheck: check ? resolved.domain : null };
}

/** local_recipient_maps: the local part of an own-name recipient must be a local user. */
export function localRecipientDecision(config: Config, address: string, ownAddresses: readonly string[] = []): Reply | null {
  const local = classifyAddress(config, address, ownAddresses).resolved.local.toLowerCase();
  return LOCAL_USERS.includes(local) ? null : REPLIES.unknownLocalRecipient(address);
}

/** `user@domain` entries match exactly (case-insensitive), `@domain` accepts the whole domain. */
export function isListedRecipient(config: Config, address: string): boolean {
  const r = resolveAddress(address, config.mta.hostname);
  const a = `${r.local}@${r.domain}`.toLowerCase();
  const d = r.domain;
  return config.mta.advanced.validRecipients.some((v) => {
    const e = v.toLowerCase();
    return e.startsWith('@') ? e.slice(1) === d : e === a;
  });
}

export function unlistedDecision(config: Config, address: string): Reply | null {
  return isListedRecipient(config, address) ? null : REPLIES.unlistedRecipient(address);
}

/** Mirrors the recipient verifier's VerifyResult (src/relay/verify.ts). */
export interface VerifyOutcome {
  status: 'deliverable' | 'undeliverable' | 'deferred' | 'pending';
  code?: number;
  reply?: string;
}

/**
 * A verify(8) result → the RCPT reply. Bounced probes answer with unverified_recipient_reject_code
 * (450 keeps "unverified address", 550 says "undeliverable address"); deferred probes always 450.
 */
export function verificationDecision(address: string, result: VerifyOutcome | null, rejectCode: 450 | 550): Reply | null {
  if (!result) return REPLIES.verifyProblem(address);
  const detail = result.reply?.trim() || (result.code ? String(result.code) : 'unknown error');
  switch (result.status) {
    case 'deliverable':
      return null;
    case 'pending':
      return REPLIES.verifyInProgress(address);
    case 'deferred':
      return REPLIES.unverifiedRecipient(address, detail);
    case 'undeliverable':
      return rejectCode === 550 ? REPLIES.undeliverableRecipient(address, detail) : REPLIES.unverifiedRecipient(address, detail);
  }
}

/** What DNS said about a recipient domain (gathered by the relay). */
export type DomainLookup = 'found' | 'not-found' | 'null-mx' | 'tempfail' | 'malformed';

export function unknownDomainDecision(address: string, domain: string, lookup: DomainLookup): Reply | null {
  switch (lookup) {
    case 'found':
      return null;
    case 'null-mx':
      return REPLIES.nullMx(address, domain);
    case 'malformed':
      return REPLIES.malformedDnsReply(address);
    case 'not-found':
    case 'tempfail':
      // A temporary DNS failure is defer_if_permit: also a 450 with the same text.
      return REPLIES.unknownRecipientDomain(address);
  }
}
