// Recipient verification callouts (Postfix reject_unverified_recipient + verify(8)).
// A probe is what verify(8) makes smtp(8) send to the recipient's next hop (its route, else the
// relayhost or MX — the same next hop the queue would deliver to): EHLO, MAIL FROM with the
// sender double-bounce@$myhostname and the SIZE of the (empty) probe message, RCPT TO with
// ORCPT, then RSET (smtp(8) resets a connection it could reuse) and QUIT. The cache key is the
// address exactly as given: verify(8) probes NOBODY@ again after nobody@. Results are
// cached like verify(8): deliverable for 31 days, undeliverable for 3 days, a deferred probe for
// 3 hours (negative refresh), on the injected Clock. The first request for an address waits a
// few seconds (wall clock, Postfix: 3 polls × 3 s) for the probe; if it has not finished the
// answer is 'pending' (450 "Address verification in progress") and the result is cached for
// the client's retry. The SMTP side (src/relay/smtp/handlers/rcpt.ts) maps a result to
// Postfix's reply texts.
import type { Config } from '../config/schema.js';
import { queueFileSize } from '../policy/content.js';
import { compactTime, localReceivedHeader, mailDate } from '../policy/received.js';
import { outgoingTlsPlan } from '../policy/outgoing-tls.js';
import { nextHopFor } from '../policy/routing.js';
import { systemClock, type Clock } from './clock.js';
import { resolveTargets } from './delivery/next-hop.js';
import type { RouteMap } from './delivery/route-map.js';
import { SmtpError, SmtpSession } from './delivery/smtp-client.js';
import { CaStore, sessionTlsFor } from './delivery/tls-policy.js';
import type { Resolver } from './resolver.js';

export interface VerifyResult {
  status: 'deliverable' | 'undeliverable' | 'deferred' | 'pending';
  /** The next hop's reply code to the probe RCPT (or to the step that failed). */
  code?: number;
  /** The downstream reply text, e.g. "host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <a>: User unknown (in reply to RCPT TO command)". */
  reply?: string;
}

export interface RecipientVerifier {
  verify(address: string): Promise<VerifyResult>;
}

export interface CalloutVerifierOptions {
  config: Config;
  resolver: Resolver;
  routeMap?: RouteMap;
  clock?: Clock;
  /** Seconds a result stays valid (Postfix address_verify_positive_expire_time 31d, negative 3d). */
  positiveExpire?: number;
  negativeExpire?: number;
  /** Seconds a deferred probe result is kept (address_verify_negative_refresh_time 3h). */
  deferredExpire?: number;
  /** Wall-clock wait for a new probe before answering 'pending' (Postfix ≈ 6 s). */
  waitMs?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

interface CacheEntry {
  result: VerifyResult;
  expiresAt: number;
}

export class CalloutVerifier implements RecipientVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly caStore = new CaStore();
  private readonly inFlight = new Map<string, Promise<VerifyResult>>();
  private readonly clock: Clock;
  /** Probes sent so far (for tests and logs). */
  probes = 0;

  constructor(private readonly opts: CalloutVerifierOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  async verify(address: string): Promise<VerifyResult> {
    const key = address;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.clock.now()) return hit.result;
    let probe = this.inFlight.get(key);
    if (!probe) {
      probe = this.probe(address).then((result) => {
        this.cache.set(key, { result, expiresAt: this.clock.now() + this.expiry(result) * 1000 });
        this.inFlight.delete(key);
        return result;
      });
      this.inFlight.set(key, probe);
    }
    const waitMs = this.opts.waitMs ?? 6000;
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<VerifyResult>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'pending' }), waitMs);
      timer.unref();
    });
    try {
      return await Promise.race([probe, pending]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets cached results (e.g. after the lab changes its users). */
  clear(): void {
    this.cache.clear();
  }

  private expiry(r: VerifyResult): number {
    if (r.status === 'deliverable') return this.opts.positiveExpire ?? 31 * 86400;
    if (r.status === 'undeliverable') return this.opts.negativeExpire ?? 3 * 86400;
    return this.opts.deferredExpire ?? 3 * 3600;
  }

  private async probe(address: string): Promise<VerifyResult> {
    this.probes++;
    const hop = nextHopFor(this.opts.config, address);
    if (!hop) return { status: 'undeliverable', reply: 'mail transport unavailable' };
    const res = await resolveTargets(hop, this.opts.resolver, this.opts.routeMap);
    if (!res.ok) return { status: res.permanent ? 'undeliverable' : 'deferred', reply: res.reason };
    let last: SmtpError | null = null;
    // The probe goes through smtp(8) like the mail would, at the next hop's TLS level.
    const tls = await sessionTlsFor(outgoingTlsPlan(this.opts.config), hop, this.opts.config.mta.tls.caFile, this.caStore);
    for (const t of res.targets) {
      let session: SmtpSession;
      try {
        session = await SmtpSession.open({
          host: t.connect.host,
          port: t.connect.port,
          label: t.label,
          servername: t.name,
          verifyName: t.name,
          heloName: this.opts.config.mta.hostname!,
          tls,
          connectTimeoutMs: this.opts.connectTimeoutMs ?? 30_000,
          commandTimeoutMs: this.opts.commandTimeoutMs ?? 60_000,
        });
      } catch (e) {
        last = e instanceof SmtpError ? e : new SmtpError('connect', String(e));
        continue;
      }
      try {
        const r = await session.probe(probeSender(this.opts.config), address, probeSize(this.opts.config, this.clock.now()));
        await session.reset();
        const text = `host ${t.label.replace(/:\d+$/, '')} said: ${r.reply.text} (in reply to ${r.stage} command)`;
        if (r.reply.code >= 200 && r.reply.code < 300) return { status: 'deliverable', code: r.reply.code, reply: r.reply.text };
        return { status: r.reply.code >= 500 ? 'undeliverable' : 'deferred', code: r.reply.code, reply: text };
      } catch (e) {
        const err = e instanceof SmtpError ? e : new SmtpError('connect', String(e));
        return { status: 'deferred', code: err.reply?.code, reply: err.message };
      } finally {
        void session.quit();
      }
    }
    return {
      status: last?.permanent ? 'undeliverable' : 'deferred',
      code: last?.reply?.code,
      reply: last?.message ?? 'no address to connect to',
    };
  }
}

/** verify(8)'s probe sender: double-bounce@$myhostname (address_verify_sender = $double_bounce_sender). */
export function probeSender(config: Config): string {
  return `double-bounce@${config.mta.hostname}`;
}

/**
 * SIZE= of a probe: the message post_mail() makes (Received:, Date:) plus what cleanup adds for
 * local mail (Message-Id:, From:), with an 11-character queue id as Postfix's.
 */
export function probeSize(config: Config, now: number): number {
  const host = config.mta.hostname;
  const id = '0'.repeat(11);
  const text =
    localReceivedHeader(host, id, now) +
    `Date: ${mailDate(now)}\r\n` +
    `Message-Id: <${compactTime(now)}.${id}@${host}>\r\n` +
    `From: ${probeSender(config)}\r\n`;
  return queueFileSize(Buffer.from(text, 'latin1'));
}
