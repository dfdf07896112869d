// Relay control (reject_unauth_destination) and the recipient's address class, as Postfix's
// trivial-rewrite resolves it: `local` = the gateway's own names (mydestination: $myhostname,
// localhost.$mydomain, localhost, an [address literal] of the gateway itself, and an unqualified
// name, which gets @$myhostname); `relay` = a local domain of ksmg.yaml (relay_domains, matched
// exactly); anything else is `remote`. An untrusted client may send to local and relay
// recipients only; trusted clients anywhere.
import type { Config } from '../config/schema.js';
import { bareAddress } from './client.js';
import { resolveAddress, type ResolvedAddress } from './address.js';
import { REPLIES, type Reply } from './replies.js';
import type { ClientClass } from './client.js';

export type AddressClass = 'local' | 'relay' | 'remote';

/** Local domains match exactly: a subdomain is local only with its own entry (KSMG's "add each domain or subdomain"). */
export function isLocalDomain(config: Config, domain: string): boolean {
  const d = asciiDomain(domain.toLowerCase().replace(/\.$/, ''));
  return config.mta.domains.some((e) => e.local && e.name === d);
}

/** A UTF-8 domain (SMTPUTF8) in the A-label form the config stores. */
function asciiDomain(d: string): string {
  if (/^[\x00-\x7f]*$/.test(d)) return d;
  try {
    return new URL(`http://${d}/`).hostname;
  } catch {
    return d;
  }
}

/** mydestination = $myhostname, localhost.$mydomain, localhost; plus the gateway's own [address]. */
export function isOwnName(config: Config, domain: string, ownAddresses: readonly string[] = []): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (d === config.mta.hostname || d === 'localhost' || d === `localhost.${config.mta.domain}`) return true;
  const m = d.match(/^\[(?:ipv6:)?(.+)\]$/);
  return m !== null && ownAddresses.some((a) => bareAddress(a) === bareAddress(m[1]!));
}

/** The address class and resolved form; a routed local part of an own name is resolved further (percent hack). */
export function classifyAddress(
  config: Config,
  address: string,
  ownAddresses: readonly string[] = [],
): { cls: AddressClass; resolved: ResolvedAddress } {
  let r = resolveAddress(address, config.mta.hostname);
  // trivial-rewrite strips a local domain and re-resolves what is left (user%site@gateway → user@site).
  for (let i = 0; i < 5 && r.routed && isOwnName(config, r.domain, ownAddresses); i++) {
    const inner = r.local.replace(/%([^%]*)$/, '@$1');
    r = resolveAddress(inner, config.mta.hostname);
  }
  if (!r.routed && isOwnName(config, r.domain, ownAddresses)) return { cls: 'local', resolved: r };
  if (!r.literal && !r.numeric && !r.nullDomain && isLocalDomain(config, r.domain)) return { cls: 'relay', resolved: r };
  return { cls: 'remote', resolved: r };
}

/**
 * null when the recipient may be relayed, else `554 5.7.1 <a>: Relay access denied`.
 * Untrusted: local and relay class only; routing in the local part (percent hack, bang path, a
 * second @ from a dequoted local part) is refused, as Postfix does with allow_untrusted_routing=no.
 */
export function relayDecision(config: Config, client: ClientClass, address: string, ownAddresses: readonly string[] = []): Reply | null {
  if (client === 'trusted') return null;
  const { cls, resolved } = classifyAddress(config, address, ownAddresses);
  const ok = !resolved.routed && (cls === 'local' || cls === 'relay');
  return ok ? null : REPLIES.relayDenied(address);
}
