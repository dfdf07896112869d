// RCPT TO (smtpd.c rcpt_cmd + smtpd_check_rcpt): syntax, DSN parameters, recipient limit, relay
// control, then the recipient checks (unlisted / verified / unknown domain).
import { REPLIES, type Reply } from '../../../policy/replies.js';
import { parseEnvelopeCommand } from '../../../policy/address.js';
import { parseRcptParams } from '../../../policy/params.js';
import { classifyAddress, relayDecision } from '../../../policy/relay.js';
import type { RcptParams } from '../../../policy/params.js';
import {
  localRecipientDecision,
  planRecipientChecks,
  unknownDomainDecision,
  unlistedDecision,
  verificationDecision,
} from '../../../policy/recipient.js';
import { RECIPIENT_OVERSHOOT_LIMIT } from '../../../policy/limits.js';
import { newQueueId } from '../../spool.js';
import { lookupRecipientDomain } from '../domain-lookup.js';
import type { AcceptedRecipient, SmtpSession } from '../session.js';

export async function handleRcpt(s: SmtpSession, args: string): Promise<void> {
  const { ctx } = s;
  const tx = s.tx;
  if (!tx) {
    s.wire.reply(REPLIES.needMail());
    return;
  }
  if (s.bdat !== 'none') {
    s.wire.reply(REPLIES.rcptAfterBdat());
    return;
  }
  const parsed = parseEnvelopeCommand('RCPT', args, {
    strict: ctx.config.mta.advanced.strictRfc821Envelopes,
    smtputf8: tx.smtputf8 === true,
  });
  if (!parsed.ok) {
    s.wire.reply(parsed.reply);
    return;
  }
  const params = parseRcptParams(ctx.config, parsed.value.params);
  if (!params.ok) {
    s.wire.reply(params.reply);
    return;
  }
  if (tx.recipients.length >= ctx.recipientLimit) {
    // Not an error until smtpd_recipient_overshoot_limit more have been refused.
    tx.overshoot = (tx.overshoot ?? 0) + 1;
    s.wire.reply(REPLIES.tooManyRecipients(), { countsAsError: tx.overshoot > RECIPIENT_OVERSHOOT_LIMIT });
    return;
  }
  const address = parsed.value.address;
  const refusal = await recipientRefusal(s, address);
  if (refusal) {
    logReject(s, address, refusal);
    s.wire.reply(refusal);
    return;
  }
  if (!tx.queueId) {
    tx.queueId = newQueueId(ctx.clock.now());
    ctx.logger.info(`${tx.queueId}: client=${s.namaddr}`, { event: 'client', id: tx.queueId, client: s.address });
  }
  tx.recipients.push(localDelivery(s, address, params.value));
  s.wire.reply(REPLIES.rcptOk());
}

/**
 * Where an accepted recipient goes: the gateway's postmaster (aliases: `postmaster: <mta.postmaster>`)
 * is forwarded to mta.postmaster with the original address as ORCPT, or, without it, kept in the
 * gateway's local mailbox (recorded, not relayed); every other recipient as it is.
 */
function localDelivery(s: SmtpSession, address: string, params: RcptParams): AcceptedRecipient {
  if (classifyAddress(s.ctx.config, address, s.ownAddresses).cls !== 'local') return { address, ...params };
  const target = s.ctx.config.mta.postmaster;
  if (!target) return { address, ...params, localMailbox: true };
  return { ...params, address: target, orcpt: params.orcpt ?? `rfc822;${address}` };
}

/** smtpd_check_rcpt(): relay control, then the recipient checks (shared with VRFY). */
export async function recipientRefusal(s: SmtpSession, address: string): Promise<Reply | null> {
  return relayDecision(s.ctx.config, s.clientClass, address, s.ownAddresses) ?? (await recipientChecks(s, address));
}

async function recipientChecks(s: SmtpSession, address: string): Promise<Reply | null> {
  const { ctx } = s;
  const plan = planRecipientChecks(ctx.config, s.clientClass, address, s.ownAddresses);
  if (plan.local) return localRecipientDecision(ctx.config, address, s.ownAddresses);
  if (plan.unlisted) {
    const refused = unlistedDecision(ctx.config, address);
    if (refused) return refused;
  }
  if (plan.verify) {
    if (!ctx.verifier) return verificationDecision(address, null, ctx.config.mta.advanced.unverifiedRecipientRejectCode);
    let result = null;
    try {
      // The probe goes to the resolved address (trivial-rewrite drops the domain's trailing dot).
      result = await ctx.verifier.verify(address.replace(/([^.])\.$/, '$1'));
    } catch {
      result = null; // verify(8) unavailable: "address verification problem"
    }
    // The next hop's reply comes as bytes (latin1 text); Postfix passes them on unchanged.
    if (result?.reply) result = { ...result, reply: bytesAsText(result.reply) };
    return verificationDecision(address, result, ctx.config.mta.advanced.unverifiedRecipientRejectCode);
  }
  if (plan.domainCheck && ctx.resolver) {
    const lookup = await lookupRecipientDomain(ctx.resolver, plan.domainCheck);
    return unknownDomainDecision(address, plan.domainCheck, lookup);
  }
  return null;
}

/** A latin1 "byte string" as the UTF-8 text it holds (unchanged when it is not UTF-8). */
function bytesAsText(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

/** `NOQUEUE: reject: RCPT from name[ip]: 554 5.7.1 <a>: Relay access denied; from=<s> to=<a> proto=ESMTP helo=<h>` */
function logReject(s: SmtpSession, address: string, r: Reply): void {
  const id = s.tx?.queueId ?? 'NOQUEUE';
  const text = [r.code, r.enhanced, r.text].filter(Boolean).join(' ');
  s.ctx.logger.info(
    `${id}: reject: RCPT from ${s.namaddr}: ${text}; from=<${s.tx?.sender ?? ''}> to=<${address}> proto=${s.protocol} helo=<${s.helo ?? ''}>`,
    { event: 'reject', stage: 'RCPT', code: r.code, enhanced: r.enhanced, client: s.address, from: s.tx?.sender, to: address },
  );
}
