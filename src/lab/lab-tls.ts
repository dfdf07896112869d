// STARTTLS on the lab's simulated hosts, for the outgoing side of TLS. By default a host offers
// STARTTLS with the lab's certificate when the config requires TLS towards some next hop
// (encrypt or verify), so that every delivery scenario meets a next hop the admin's level can
// use, and offers none otherwise (nothing to see, no key to generate). A scenario can make a host
// TLS-less, or give it a certificate nothing trusts (`hosts: { internal: { tls: untrusted } }`).
// The lab's relay trusts the lab's certificate in place of mta.tls.caFile.
import type { Config } from '../config/schema.js';
import { lookupTlsPolicy, outgoingTlsPlan } from '../policy/outgoing-tls.js';
import { nextHopFor } from '../policy/routing.js';
import type { SinkTlsOptions } from './sink.js';
import { labCertificate } from './tls-cert.js';

export type LabHostTls = 'none' | 'trusted' | 'untrusted';

/** Levels some next hop of this config is sent mail at. */
function levelsInUse(config: Config): Set<string> {
  const plan = outgoingTlsPlan(config);
  return new Set([plan.defaultLevel, ...plan.table.map((e) => e.level)]);
}

/** What the lab's hosts offer unless a scenario says otherwise. */
export function defaultHostTls(config: Config): LabHostTls {
  const levels = levelsInUse(config);
  return levels.has('encrypt') || levels.has('verify') ? 'trusted' : 'none';
}

/** Whether the lab's relay needs the lab's certificate as its CA file from the start. */
export function labCaNeeded(config: Config): boolean {
  return levelsInUse(config).has('verify');
}

/** The sink options for a TLS mode; `names` are every host name and address of the lab. */
export function sinkTls(mode: LabHostTls, names: readonly string[]): SinkTlsOptions {
  if (mode === 'none') return { starttls: false };
  const { key, cert } = labCertificate(names, mode);
  return { starttls: true, key, cert };
}

/** The lab's CA file content (its trusted certificate). */
export function labCa(names: readonly string[]): string {
  return labCertificate(names, 'trusted').cert;
}

/** The config the lab's relay runs with: the lab's certificate as the CA the `verify` level trusts. */
export function labRelayConfig(config: Config, caFile: string): Config {
  return { ...config, mta: { ...config.mta, tls: { ...config.mta.tls, caFile } } };
}

/**
 * Scenario conditions on the outgoing TLS level (`when: { tls.localDomain: encrypt }`):
 * `tls.localDomain` is the level mail to the first local domain is sent at, `tls.external` the
 * level of mail to a domain nobody configured — each as smtp(8) would choose it for its next hop.
 */
export function tlsCondition(path: string, config: Config): string | undefined {
  const local = config.mta.domains.find((d) => d.local)?.name;
  const address =
    path === 'tls.localDomain' ? (local ? `postmaster@${local}` : null) : path === 'tls.external' ? 'x@elsewhere.example' : null;
  const hop = address ? nextHopFor(config, address) : null;
  return hop ? lookupTlsPolicy(outgoingTlsPlan(config), hop).level : undefined;
}
