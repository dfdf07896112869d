// Which TLS level the relay's SMTP client uses towards a next hop, decided exactly as Postfix's
// smtp(8) decides it (smtp_tls_policy.c policy_create): the smtp_tls_policy_maps entry of the
// next-hop destination, else smtp_tls_security_level.
//
// The policy table is keyed by the next-hop destination verbatim — the recipient domain for MX
// delivery, or the transport/relayhost next hop with its brackets and port ("[10.0.0.25]:25") —
// never by the recipient domain of mail that goes through a route or the relayhost (TLS_README,
// "TLS policy table"). So a domain's `tls` is written under its route's next hop; a domain without
// a route under MX delivery is written under its name; and a domain without a route while a
// relayhost takes the mail has no entry Postfix could find: its mail uses the relayhost's level
// (mta.tls.outgoing or the entry of a route naming the same next hop). The export writes this
// table and the relay looks levels up in it, so the two agree by construction.
import type { Config, OutgoingTlsLevel } from '../config/schema.js';
import { describeNextHop, nextHopFor, type NextHop } from './routing.js';

export interface TlsPolicyEntry {
  /** The lookup key Postfix uses: "corp.example", "[10.0.0.25]:25", "mx.corp.example:25". */
  key: string;
  level: OutgoingTlsLevel;
  /** The ksmg.yaml domains whose `tls` this entry carries (for comments and findings). */
  domains: string[];
}

export interface OutgoingTlsPlan {
  /** smtp_tls_security_level: every next hop without a table entry. */
  defaultLevel: OutgoingTlsLevel;
  /** smtp_tls_policy_maps, in the config's domain order. */
  table: TlsPolicyEntry[];
  /** Domains with `tls` whose mail goes through the relayhost: Postfix never looks their name up. */
  viaRelayhost: string[];
}

/** The key smtp(8) looks up for a next hop (iter->dest): the domain, or the next hop as written. */
export function tlsPolicyKey(hop: NextHop): string {
  return hop.kind === 'mx' ? hop.domain : describeNextHop(hop).toLowerCase();
}

/** The policy table and default level the config implies. */
export function outgoingTlsPlan(config: Config): OutgoingTlsPlan {
  const table: TlsPolicyEntry[] = [];
  const viaRelayhost: string[] = [];
  for (const d of config.mta.domains) {
    if (!d.tls) continue;
    const hop = nextHopFor(config, `postmaster@${d.name}`);
    if (!hop) continue;
    if (hop.kind === 'relayhost') {
      viaRelayhost.push(d.name);
      continue;
    }
    const key = tlsPolicyKey(hop);
    const entry = table.find((e) => e.key === key);
    // Two different levels on one key are refused by the schema; the first one stands otherwise.
    if (entry) entry.domains.push(d.name);
    else table.push({ key, level: d.tls, domains: [d.name] });
  }
  return { defaultLevel: config.mta.tls.outgoing, table, viaRelayhost };
}

export interface OutgoingTlsDecision {
  level: OutgoingTlsLevel;
  /** The key that was looked up. */
  key: string;
  /** The table entry that decided, or null for smtp_tls_security_level. */
  entry: TlsPolicyEntry | null;
}

/**
 * tls_policy_lookup(): the exact key, then — for a domain name only, never for a bracketed or
 * ported next hop — its parent domains with a leading dot (".corp.example"). Case-insensitive,
 * as Postfix's hash tables fold keys.
 */
export function lookupTlsPolicy(plan: OutgoingTlsPlan, hop: NextHop): OutgoingTlsDecision {
  const key = tlsPolicyKey(hop);
  const find = (k: string) => plan.table.find((e) => e.key.toLowerCase() === k.toLowerCase()) ?? null;
  let entry = find(key);
  if (!entry && hop.kind === 'mx') {
    for (let dot = key.indexOf('.', 1); !entry && dot !== -1; dot = key.indexOf('.', dot + 1)) entry = find(key.slice(dot));
  }
  return { level: entry?.level ?? plan.defaultLevel, key, entry };
}

/** Levels at which smtp(8) sends STARTTLS when offered, and whether it must have TLS / a verified peer. */
export function levelSemantics(level: OutgoingTlsLevel): { starttls: boolean; required: boolean; verify: boolean } {
  return { starttls: level !== 'none', required: level === 'encrypt' || level === 'verify', verify: level === 'verify' };
}
