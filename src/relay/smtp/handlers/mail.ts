// MAIL FROM (smtpd.c mail_cmd order): nested MAIL, MAIL after BDAT, syntax, message rate,
// address (SMTPUTF8 is read first: it decides whether a UTF-8 domain is allowed), parameters, SIZE.
import { REPLIES } from '../../../policy/replies.js';
import { hasEnvelopeKeyword, parseEnvelopeCommand } from '../../../policy/address.js';
import { isDiscarded } from '../../../policy/ehlo.js';
import { parseMailParams, sizeDecision } from '../../../policy/params.js';
import type { SmtpSession } from '../session.js';

export async function handleMail(s: SmtpSession, args: string): Promise<void> {
  const { ctx } = s;
  if (s.tx) {
    s.wire.reply(REPLIES.nestedMail());
    return;
  }
  if (s.bdat !== 'none') {
    s.wire.reply(REPLIES.mailAfterBdat());
    return;
  }
  if (!hasEnvelopeKeyword('MAIL', args)) {
    s.wire.reply(REPLIES.mailSyntax());
    return;
  }
  // smtpd_client_message_rate_limit counts every MAIL, accepted or not (the XCLIENT address).
  if (!s.limitsExempt && !ctx.limits.mail(ctx.config, s.address)) {
    ctx.logger.info(`warning: Message delivery request rate limit exceeded from ${s.namaddr} for service smtp`, {
      event: 'limit',
      reason: 'message-rate',
      client: s.address,
    });
    s.wire.reply(REPLIES.tooMuchMail(s.address));
    return;
  }
  const smtputf8Offered = !isDiscarded(ctx.config, 'smtputf8');
  const parsed = parseEnvelopeCommand('MAIL', args, { strict: ctx.config.mta.advanced.strictRfc821Envelopes, smtputf8Offered });
  if (!parsed.ok) {
    s.wire.reply(parsed.reply);
    return;
  }
  const params = parseMailParams(ctx.config, parsed.value.params);
  if (!params.ok) {
    s.wire.reply(params.reply);
    return;
  }
  const tooBig = sizeDecision(ctx.config, params.value.size);
  if (tooBig) {
    ctx.logger.info(
      `NOQUEUE: reject: MAIL from ${s.namaddr}: ${tooBig.code} ${tooBig.enhanced} ${tooBig.text}; proto=${s.protocol} helo=<${s.helo ?? ''}>`,
    );
    s.wire.reply(tooBig);
    return;
  }
  // smtpd_check_queue(): not enough room in the spool for a message of the size limit.
  const room = await ctx.spool.hasRoomForMessage(ctx.config.mta.messageSizeLimit).catch(() => ({ ok: true, free: 0 }));
  if (!room.ok) {
    const r = REPLIES.insufficientStorage();
    ctx.logger.info(
      `NOQUEUE: reject: MAIL from ${s.namaddr}: ${r.code} ${r.enhanced} ${r.text}; proto=${s.protocol} helo=<${s.helo ?? ''}>`,
      { event: 'reject', stage: 'MAIL', reason: 'storage' },
    );
    ctx.logger.info(`warning: not enough free space in mail queue: ${room.free} bytes < 1.5*message size limit`, { event: 'error' });
    s.wire.reply(r);
    return;
  }
  s.tx = {
    sender: parsed.value.address,
    params: params.value,
    recipients: [],
    queueId: null,
    started: ctx.clock.now(),
    smtputf8: params.value.smtputf8 === true,
  };
  s.wire.reply(REPLIES.mailOk());
}
