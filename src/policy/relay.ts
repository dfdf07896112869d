// Relay control (smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination):
// an untrusted client may only send to local domains (relay_domains), matched exactly.
import type { Config } from '../config/schema.js';
import { resolveAddress } from './address.js';
import { REPLIES, type Reply } from './replies.js';
import type { ClientClass } from './client.js';

/** Local domains match exactly: a subdomain is local only with its own entry (KSMG's "add each domain or subdomain"). */
export function isLocalDomain(config: Config, domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return config.mta.domains.some((e) => e.local && e.name === d);
}

/**
 * null when the recipient may be relayed, else `554 5.7.1 <a>: Relay access denied`.
 * Untrusted: only a plain `user@localdomain` passes; routing in the local part (percent hack,
 * bang path, a second @ from a dequoted local part), address literals and numeric domains are
 * refused, as Postfix does with allow_untrusted_routing=no.
 */
export function relayDecision(config: Config, client: ClientClass, address: string): Reply | null {
  if (client === 'trusted') return null;
  const r = resolveAddress(address, config.mta.hostname);
  const ok = !r.routed && !r.literal && !r.numeric && !r.nullDomain && r.local !== '' && isLocalDomain(config, r.domain);
  return ok ? null : REPLIES.relayDenied(address);
}
