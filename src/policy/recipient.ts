// Recipient checks after relay control: reject_unlisted_recipient (relay_recipient_maps),
// reject_unverified_recipient (verify(8) results → Postfix's texts) and
// reject_unknown_recipient_domain. Pure: the DNS lookups and callouts happen in the relay.
import type { Config } from '../config/schema.js';
import { domainOf, resolveAddress } from './address.js';
import { REPLIES, type Reply } from './replies.js';
import { isLocalDomain } from './relay.js';
import type { ClientClass } from './client.js';

/** Which checks apply to this recipient, before any I/O. */
export interface RecipientPlan {
  /** reject_unlisted_recipient against validRecipients. */
  unlisted: boolean;
  /** reject_unverified_recipient: a callout is needed. */
  verify: boolean;
  /** reject_unknown_recipient_domain: the domain needs an MX/A/AAAA lookup. */
  domainCheck: string | null;
}

/**
 * Trusted clients skip recipient verification (KSMG: "not performed … from trusted network
 * hosts") but their outbound mail has its domain checked; untrusted clients reach here only for
 * local domains, whose recipients are checked per recipientVerification.
 */
export function planRecipientChecks(config: Config, client: ClientClass, address: string): RecipientPlan {
  const adv = config.mta.advanced;
  const domain = resolveAddress(address, config.mta.hostname).domain;
  if (client === 'trusted') {
    const check = adv.rejectUnknownRecipientDomains && !isLocalDomain(config, domain) && !domain.startsWith('[');
    return { unlisted: false, verify: false, domainCheck: check ? domain : null };
  }
  return {
    unlisted: adv.recipientVerification === 'reject-unlisted',
    verify: adv.recipientVerification === 'reject-unverified',
    domainCheck: null,
  };
}

/** `user@domain` entries match exactly (case-insensitive), `@domain` accepts the whole domain. */
export function isListedRecipient(config: Config, address: string): boolean {
  const a = address.toLowerCase();
  const d = domainOf(a);
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
