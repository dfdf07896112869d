// The client side of TLS towards one next hop, as Postfix's smtp(8) does it (smtp_proto.c
// smtp_start_tls and the STARTTLS block of smtp_helo; smtp_connect.c for the plaintext retry):
//   none    never STARTTLS, even when offered;
//   may     STARTTLS when offered, no certificate check; the server refusing STARTTLS → carry
//           on in plaintext; a failed handshake → this server is skipped ("Cannot start TLS:
//           handshake failure"), and once the message has waited minimal_backoff_time in the
//           queue the same server is tried again in plaintext (PLAINTEXT_FALLBACK_OK_AFTER_
//           STARTTLS_FAILURE), so opportunistic TLS never keeps mail from a broken TLS stack;
//   encrypt STARTTLS or no delivery: not offered, refused, or a failed handshake defers;
//   verify  encrypt, plus a certificate chain to a trusted CA and the server's name
//           (smtp_tls_verify_cert_match = hostname: the MX or route host name) in it.
// The failure texts and status codes are Postfix's (replies.ts DELIVERY_TLS_TEXTS).
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import type { OutgoingTlsLevel } from '../../config/schema.js';
import { levelSemantics, lookupTlsPolicy, type OutgoingTlsPlan } from '../../policy/outgoing-tls.js';
import type { NextHop } from '../../policy/routing.js';

export type { OutgoingTlsLevel };

/** What one session needs to know about TLS. */
export interface SessionTls {
  level: OutgoingTlsLevel;
  /** CA certificates (PEM) for `verify`; absent: Node's bundled CAs (the system's, for the relay). */
  ca?: string;
  /** The TLS engine could not start (unreadable CA file): like Postfix's smtp_tls_ctx == 0. */
  engineUnavailable?: boolean;
}

export function tlsSemantics(t: SessionTls): ReturnType<typeof levelSemantics> {
  return levelSemantics(t.level);
}

/**
 * Whether a certificate check after the handshake passes, as Postfix's "verify" level wants it:
 * the chain ends at a trusted CA (Node's `authorized`) and the certificate names the server
 * (DNS subjectAltNames, else the CommonName; a leading "*." covers one label).
 */
export function certificateVerified(socket: tls.TLSSocket, name: string): boolean {
  if (!socket.authorized) return false;
  const cert = socket.getPeerCertificate();
  if (!cert || !Object.keys(cert).length) return false;
  return tls.checkServerIdentity(name.replace(/^\[|\]$/g, ''), cert) === undefined;
}

/** Loads the CA file once per path; a read error makes the TLS engine unavailable, as in Postfix. */
export class CaStore {
  private cache = new Map<string, Promise<string | null>>();

  load(file: string | undefined): Promise<string | null> | null {
    if (!file) return null;
    let p = this.cache.get(file);
    if (!p) {
      p = readFile(file, 'utf8').then(
        (text) => (/-----BEGIN CERTIFICATE-----/.test(text) ? text : null),
        () => null,
      );
      this.cache.set(file, p);
    }
    return p;
  }
}

/** A next hop's session TLS: its level from the plan, with the CA loaded for "verify". */
export async function sessionTlsFor(plan: OutgoingTlsPlan, hop: NextHop, caFile: string | undefined, store: CaStore): Promise<SessionTls> {
  const { level } = lookupTlsPolicy(plan, hop);
  if (level !== 'verify' || !caFile) return { level };
  const ca = await store.load(caFile);
  return ca ? { level, ca } : { level, engineUnavailable: true };
}
