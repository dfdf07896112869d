// VRFY (smtpd.c vrfy_cmd): disable_vrfy_command, a trailing SMTPUTF8, the address (sloppy:
// not strict RFC 821, an unterminated <… is read as is), the same recipient checks as RCPT,
// then `252 2.0.0 <argument as written>`.
import { REPLIES } from '../../../policy/replies.js';
import { addressResolves, extractAddress } from '../../../policy/address.js';
import { isDiscarded } from '../../../policy/ehlo.js';
import type { SmtpSession } from '../session.js';
import { recipientRefusal } from './rcpt.js';

export async function handleVrfy(s: SmtpSession, args: string): Promise<void> {
  const { config } = s.ctx;
  if (config.mta.advanced.disableVrfy) {
    s.wire.reply(REPLIES.vrfyDisabled());
    return;
  }
  const words = args
    .trim()
    .split(/[ \t]+/)
    .filter(Boolean);
  let smtputf8 = false;
  if (!isDiscarded(config, 'smtputf8') && words.length > 1 && words[words.length - 1]!.toUpperCase() === 'SMTPUTF8') {
    words.pop();
    smtputf8 = true;
  }
  if (!words.length) {
    s.wire.reply(REPLIES.vrfySyntax());
    return;
  }
  const arg = words.join(' ');
  const address = extractAddress(arg, false, false);
  if (address === null || !addressResolves(address, smtputf8)) {
    s.wire.reply(REPLIES.badRecipientSyntax());
    return;
  }
  const refusal = await recipientRefusal(s, address);
  s.wire.reply(refusal ?? REPLIES.vrfyAnswer(arg));
}
