// Connect / disconnect: the anvil connection limits and the 220 greeting. Also re-run after a
// successful XCLIENT, as Postfix does, so limits see the impersonated client.
import { REPLIES } from '../../../policy/replies.js';
import { expandBanner } from '../../../policy/message.js';
import type { SmtpSession } from '../session.js';

export function handleConnect(s: SmtpSession, opts: { afterXclient?: boolean } = {}): void {
  const { ctx } = s;
  const h = ctx.config.mta.hostname;
  if (!opts.afterXclient) ctx.logger.info(`connect from ${s.namaddr}`, { event: 'connect', client: s.address });
  if (ctx.stopping) {
    s.wire.reply(REPLIES.shuttingDown(h));
    s.wire.close();
    return;
  }
  if (!s.limitsExempt) {
    s.countedAddress = s.address;
    const v = ctx.limits.connect(ctx.config, s.address);
    if (!v.ok) {
      ctx.logger.info(
        v.reason === 'count'
          ? `warning: Connection concurrency limit exceeded: ${v.count} from ${s.namaddr} for service smtp`
          : `warning: Connection rate limit exceeded: ${v.rate} from ${s.namaddr} for service smtp`,
        { event: 'limit', reason: v.reason, client: s.address },
      );
      s.wire.reply(REPLIES.tooManyConnections(h, s.address));
      s.wire.close();
      return;
    }
  }
  s.wire.reply(REPLIES.greeting(expandBanner(ctx.config)));
}

/** Releases the connection-count slot held for the current client. */
export function releaseConnectionSlot(s: SmtpSession): void {
  if (s.countedAddress) s.ctx.limits.disconnect(s.countedAddress);
  s.countedAddress = null;
}

/** smtpd's command table order, used for the disconnect statistics. */
const ORDER = ['helo', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'rset', 'noop', 'vrfy', 'etrn', 'quit', 'xclient', 'unknown'];

/** Postfix ≥ 3.0: `ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4` (ok/total, "/total" only when some failed). */
export function commandStatsText(stats: ReadonlyMap<string, [number, number]>): string {
  const parts: string[] = [];
  let ok = 0;
  let total = 0;
  for (const verb of ORDER) {
    const v = stats.get(verb);
    if (!v) continue;
    parts.push(v[0] === v[1] ? `${verb}=${v[0]}` : `${verb}=${v[0]}/${v[1]}`);
    ok += v[0];
    total += v[1];
  }
  parts.push(ok === total ? `commands=${ok}` : `commands=${ok}/${total}`);
  return parts.join(' ');
}

export function handleDisconnect(s: SmtpSession): void {
  releaseConnectionSlot(s);
  if (!s.endedByServer) {
    s.ctx.logger.info(`lost connection after ${s.lastCommand ?? 'CONNECT'} from ${s.namaddr}`, { event: 'lost', client: s.address });
  }
  s.ctx.logger.info(`disconnect from ${s.namaddr} ${commandStatsText(s.commandStats)}`, {
    event: 'disconnect',
    client: s.address,
    accepted: s.accepted,
  });
}
