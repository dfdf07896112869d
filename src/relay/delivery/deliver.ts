// One delivery attempt to one next hop: resolve it, try its addresses in order until one
// answers, run ONE transaction carrying every recipient for that hop, and turn the replies into
// per-recipient outcomes with Postfix's wording. Idle connections are cached per address
// (Postfix's connection cache) so a busy destination does not pay a TCP+EHLO per message.
import type { OutgoingTlsPlan } from '../../policy/outgoing-tls.js';
import { declaresEightBit, downgradeMime } from '../../policy/mime-downgrade.js';
import type { NextHop } from '../../policy/routing.js';
import type { Resolver } from '../resolver.js';
import { resolveTargets, type Target } from './next-hop.js';
import type { RouteMap } from './route-map.js';
import { SmtpError, SmtpSession, type EnvelopeRecipient, type SmtpReply } from './smtp-client.js';
import { CaStore, sessionTlsFor, type SessionTls } from './tls-policy.js';

export type OutcomeStatus = 'sent' | 'deferred' | 'bounced';

export interface RecipientOutcome {
  address: string;
  status: OutcomeStatus;
  /** Postfix's parenthesised reason: "250 2.0.0 Ok: queued as X" or "host h[ip] said: 550 … (in reply to RCPT TO command)". */
  reason: string;
  /** RFC 3463 status for the DSN. */
  enhanced: string;
  /** "host[ip]:port" or "none" when nothing answered. */
  relay: string;
  /** The next hop's name for Remote-MTA, when one answered. */
  remoteMta?: string;
  /** The next hop's reply ("550 5.1.1 …") for Diagnostic-Code, when there was one. */
  diagnostic?: string;
  /** The next hop offered DSN, so NOTIFY went with the recipient (no success notice of ours). */
  dsnPassedOn?: boolean;
}

export interface DeliveryRequest {
  hop: NextHop;
  sender: string;
  recipients: EnvelopeRecipient[];
  data: Buffer;
  envid?: string;
  ret?: string;
  /** BODY= and SMTPUTF8 as the client declared them at MAIL FROM. */
  body?: '7BIT' | '8BITMIME';
  smtputf8?: boolean;
  /**
   * Seconds between the message's arrival and this delivery attempt (Postfix PREACTIVE_DELAY):
   * only a message that waited minimal_backoff_time gets the plaintext retry after a failed
   * opportunistic TLS handshake.
   */
  preactiveDelaySeconds?: number;
}

export interface DeliveryReport {
  outcomes: RecipientOutcome[];
  /** Set when no address of the hop could be reached (transport_retry_time applies). */
  destinationDown?: string;
}

export interface DelivererOptions {
  resolver: Resolver;
  routeMap?: RouteMap;
  heloName: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** How long an idle cached connection is kept (wall clock). 0 disables the cache. */
  idleTimeoutMs?: number;
  /** Verify next hops' certificates on STARTTLS (the "verify" level for every hop; without `tls`). */
  tlsVerify?: boolean;
  /** The outgoing TLS levels (policy/outgoing-tls.ts) and the CA file for "verify". */
  tls?: { plan: OutgoingTlsPlan; caFile?: string };
  /** minimal_backoff_time in seconds (the plaintext retry after a TLS handshake failure). */
  minimalBackoffSeconds?: number;
}

interface Idle {
  session: SmtpSession;
  timer: NodeJS.Timeout;
}

export class Deliverer {
  private idle = new Map<string, Idle[]>();
  private readonly busy = new Set<SmtpSession>();
  private closed = false;
  private readonly caStore = new CaStore();

  constructor(private readonly opts: DelivererOptions) {}

  /** The TLS level of a next hop: its smtp_tls_policy_maps entry, else smtp_tls_security_level. */
  private sessionTls(hop: NextHop): Promise<SessionTls> | SessionTls {
    if (!this.opts.tls) return { level: this.opts.tlsVerify ? 'verify' : 'may' };
    return sessionTlsFor(this.opts.tls.plan, hop, this.opts.tls.caFile, this.caStore);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryReport> {
    // qmgr sorts a message's recipients (domain, then address) before smtp(8) sends them.
    const req = { ...request, recipients: [...request.recipients].sort(compareRecipients) };
    const resolution = await resolveTargets(req.hop, this.opts.resolver, this.opts.routeMap);
    if (!resolution.ok) {
      const status: OutcomeStatus = resolution.permanent ? 'bounced' : 'deferred';
      return {
        outcomes: req.recipients.map((r) => ({
          address: r.address,
          status,
          reason: resolution.reason,
          enhanced: resolution.enhanced,
          relay: 'none',
        })),
      };
    }
    let lastError: SmtpError | null = null;
    let lastTarget: Target | null = null;
    const hopTls = await this.sessionTls(req.hop);
    const plaintextRetryOk = (req.preactiveDelaySeconds ?? 0) >= (this.opts.minimalBackoffSeconds ?? 300);
    for (const t of resolution.targets) {
      let session: SmtpSession;
      let reused: boolean;
      try {
        ({ session, reused } = await this.session(t, hopTls));
      } catch (e) {
        lastError = e instanceof SmtpError ? e : new SmtpError('connect', String(e));
        lastTarget = t;
        // smtp_connect.c: after a failed opportunistic handshake, the same address in plaintext.
        if (lastError.tlsHandshakeFailed && plaintextRetryOk) {
          try {
            ({ session, reused } = await this.session(t, { level: 'none' }));
          } catch (e2) {
            lastError = e2 instanceof SmtpError ? e2 : new SmtpError('connect', String(e2));
            continue;
          }
        } else continue; // the next MX / address
      }
      try {
        return { outcomes: await this.transaction(session, t, req) };
      } catch (caught) {
        let e: unknown = caught;
        // A cached connection the server closed meanwhile: retry once on a fresh one.
        if (reused && e instanceof SmtpError && (!e.reply || e.reply.code === 421)) {
          try {
            const fresh = await this.open(t, hopTls);
            return { outcomes: await this.transaction(fresh, t, req) };
          } catch (e2) {
            e = e2;
          }
        }
        const err = e instanceof SmtpError ? e : new SmtpError('connect', String(e));
        return { outcomes: failAll(req.recipients, err, t) };
      }
    }
    const err = lastError ?? new SmtpError('connect', 'no address to connect to');
    const report: DeliveryReport = { outcomes: failAll(req.recipients, err, lastTarget ?? undefined) };
    // A TLS verdict is about this message's level, not a dead destination (smtp_bulk_fail()
    // throttles only when the defer log fails).
    if (!err.permanent && !err.byLocalMta) report.destinationDown = err.message;
    return report;
  }

  /** The transaction on this session; on any error the session is dropped and the error rethrown. */
  private async transaction(session: SmtpSession, t: Target, req: DeliveryRequest): Promise<RecipientOutcome[]> {
    try {
      return await this.transact(session, t, req);
    } catch (e) {
      this.drop(session);
      throw e;
    }
  }

  private drop(session: SmtpSession): void {
    this.busy.delete(session);
    session.destroy();
  }

  private async transact(session: SmtpSession, t: Target, req: DeliveryRequest): Promise<RecipientOutcome[]> {
    // cleanup upgrades the declared encoding when a Content-Transfer-Encoding says 8bit.
    const eightBit = req.body === '8BITMIME' || declaresEightBit(req.data);
    const body: DeliveryRequest['body'] = eightBit ? '8BITMIME' : req.body;
    // SMTP_MIME_DOWNGRADE: a next hop without 8BITMIME gets 8-bit parts as quoted-printable,
    // unless the message is known to be 7bit (BODY=7BIT and no 8bit part).
    const downgraded = !session.features.has('8BITMIME') && (eightBit || req.body !== '7BIT');
    let data = req.data;
    let mimeError: string | undefined;
    if (downgraded) {
      const converted = downgradeMime(req.data);
      mimeError = converted.error;
      data = converted.data;
    }
    const env = {
      sender: req.sender,
      recipients: req.recipients,
      envid: req.envid,
      ret: req.ret,
      body,
      smtputf8: req.smtputf8,
      downgraded,
    };
    if (mimeError) {
      // smtp_mime_fail(): the transaction cannot be cancelled, so the connection is dropped after
      // the 354; the accepted recipients bounce, reported by the local MTA (no Remote-MTA).
      const aborted = await session.send({ ...env, abortData: true }, Buffer.alloc(0));
      this.drop(session);
      return req.recipients.map((r, i): RecipientOutcome => {
        const rr = aborted.rcpt[i]!;
        if (rr.code < 200 || rr.code >= 300) return fromReply(r.address, rr, 'RCPT TO', t);
        return { address: r.address, status: 'bounced', reason: mimeError!, enhanced: '5.6.0', relay: t.label };
      });
    }
    const result = await session.send(env, data);
    const outcomes = req.recipients.map((r, i): RecipientOutcome => {
      const rr = result.rcpt[i]!;
      if (rr.code < 200 || rr.code >= 300) return fromReply(r.address, rr, 'RCPT TO', t);
      if (!result.data) return fromReply(r.address, rr, 'RCPT TO', t);
      if (result.data.code >= 200 && result.data.code < 300) {
        return {
          address: r.address,
          status: 'sent',
          reason: result.data.text,
          enhanced: result.data.enhanced || '2.0.0',
          relay: t.label,
          remoteMta: t.name,
          diagnostic: result.data.text,
          dsnPassedOn: session.features.has('DSN'),
        };
      }
      return fromReply(r.address, result.data, 'end of DATA', t);
    });
    if (result.data) this.release(t, session);
    else if (await session.reset()) this.release(t, session);
    else this.drop(session);
    return outcomes;
  }

  private async session(t: Target, tls: SessionTls): Promise<{ session: SmtpSession; reused: boolean }> {
    const key = connKey(t, tls);
    const list = this.idle.get(key);
    while (list?.length) {
      const { session, timer } = list.pop()!;
      clearTimeout(timer);
      if (session.usable) {
        this.busy.add(session);
        return { session, reused: true };
      }
    }
    return { session: await this.open(t, tls), reused: false };
  }

  private async open(t: Target, tls: SessionTls): Promise<SmtpSession> {
    const session = await SmtpSession.open({
      tls,
      verifyName: t.name,
      host: t.connect.host,
      port: t.connect.port,
      label: t.label,
      heloName: this.opts.heloName,
      servername: t.name,
      rejectUnauthorized: this.opts.tlsVerify ?? false,
      connectTimeoutMs: this.opts.connectTimeoutMs ?? 30_000,
      commandTimeoutMs: this.opts.commandTimeoutMs ?? 300_000,
    });
    this.busy.add(session);
    return session;
  }

  private release(t: Target, session: SmtpSession): void {
    this.busy.delete(session);
    const idleMs = this.opts.idleTimeoutMs ?? 2000;
    if (this.closed || idleMs <= 0 || !session.usable) {
      void session.quit();
      return;
    }
    const key = connKey(t, session.opts.tls);
    const list = this.idle.get(key) ?? [];
    this.idle.set(key, list);
    const entry: Idle = {
      session,
      timer: setTimeout(() => {
        const i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
        void session.quit();
      }, idleMs),
    };
    entry.timer.unref();
    list.push(entry);
  }

  /** Closes every cached connection (QUIT). */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.busy) s.destroy(); // only sessions still busy after the queue's grace
    this.busy.clear();
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map(({ session, timer }) => (clearTimeout(timer), session.quit())));
  }
}

/** Cached connections are reused only at the same TLS level, as Postfix's scache labels include it. */
function connKey(t: Target, tls?: SessionTls): string {
  return `${t.connect.host}|${t.connect.port}|${t.label}|${tls?.level ?? 'may'}`;
}

function fromReply(address: string, r: SmtpReply, command: string, t: Target): RecipientOutcome {
  const permanent = r.code >= 500;
  return {
    address,
    status: permanent ? 'bounced' : 'deferred',
    reason: `host ${t.label.replace(/:\d+$/, '')} said: ${r.text} (in reply to ${command} command)`,
    enhanced: r.enhanced || (permanent ? '5.0.0' : '4.0.0'),
    relay: t.label,
    remoteMta: t.name,
    diagnostic: r.text,
  };
}

function failAll(recipients: EnvelopeRecipient[], err: SmtpError, t?: Target): RecipientOutcome[] {
  const answered = !!err.reply;
  return recipients.map((r) => ({
    address: r.address,
    status: err.permanent ? 'bounced' : 'deferred',
    reason: err.message,
    enhanced: err.dsnStatus,
    relay: (answered || err.byLocalMta) && t ? t.label : 'none',
    remoteMta: answered ? t?.name : undefined,
    diagnostic: err.reply?.text,
  }));
}

/** qmgr_message_sort_compare() within one next hop: the domain (case-insensitive), then the address bytes. */
export function compareRecipients(a: EnvelopeRecipient, b: EnvelopeRecipient): number {
  const da = a.address.slice(a.address.lastIndexOf('@') + 1).toLowerCase();
  const db = b.address.slice(b.address.lastIndexOf('@') + 1).toLowerCase();
  if (da !== db) return Buffer.compare(Buffer.from(da), Buffer.from(db));
  return Buffer.compare(Buffer.from(a.address), Buffer.from(b.address));
}
