// XCLIENT (Postfix smtpd.c xclient_cmd): only from --xclient-from peers; replaces the client
// attributes, resets HELO and the transaction, re-evaluates XCLIENT authorisation for the new
// client (so a second XCLIENT is refused unless the new address is authorised too) and starts
// over with connection limits and a new 220 greeting.
import { REPLIES } from '../../../policy/replies.js';
import { parseXclient } from '../../../policy/xclient.js';
import { inNetworks } from '../../../policy/client.js';
import type { SmtpSession } from '../session.js';
import { handleConnect, releaseConnectionSlot } from './connect.js';

export function handleXclient(s: SmtpSession, args: string): void {
  if (s.tx) {
    s.wire.reply(REPLIES.xclientNested());
    return;
  }
  if (!args.trim()) {
    s.wire.reply(REPLIES.xclientSyntax());
    return;
  }
  if (!s.xclientAllowed) {
    s.wire.reply(REPLIES.xclientNotAuthorized());
    return;
  }
  const parsed = parseXclient(args);
  if (!parsed.ok) {
    s.wire.reply(parsed.reply);
    return;
  }
  const u = parsed.update;
  const before = s.namaddr;
  if (u.addr !== undefined) s.address = u.addr;
  if (u.name !== undefined) s.name = u.name;
  if (u.port !== undefined) s.port = u.port;
  s.helo = u.helo !== undefined ? u.helo || null : null;
  s.protocol = u.proto ?? 'SMTP';
  s.login = u.login ?? null;
  s.resetTransaction();
  s.xclientAllowed = inNetworks(s.ctx.xclientFrom, s.address);
  s.ctx.logger.info(`xclient: ${before} is now ${s.namaddr}`, { event: 'xclient', client: s.address });
  releaseConnectionSlot(s);
  handleConnect(s, { afterXclient: true });
}
