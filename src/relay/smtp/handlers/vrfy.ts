// VRFY (smtpd.c vrfy_cmd): disable_vrfy_command, else the recipient checks, then 252.
import { REPLIES } from '../../../policy/replies.js';
import { extractAddress } from '../../../policy/address.js';
import { relayDecision } from '../../../policy/relay.js';
import type { SmtpSession } from '../session.js';

export function handleVrfy(s: SmtpSession, args: string): void {
  const { config } = s.ctx;
  if (config.mta.advanced.disableVrfy) {
    s.wire.reply(REPLIES.vrfyDisabled());
    return;
  }
  const arg = args.trim().replace(/[ \t]+/g, ' ');
  if (!arg) {
    s.wire.reply(REPLIES.vrfySyntax());
    return;
  }
  const address = extractAddress(arg, false, false);
  if (address === null) {
    s.wire.reply(REPLIES.badRecipientSyntax());
    return;
  }
  const refusal = relayDecision(config, s.clientClass, address);
  // Postfix echoes the argument as the client wrote it.
  s.wire.reply(refusal ?? REPLIES.vrfyAnswer(arg));
}
