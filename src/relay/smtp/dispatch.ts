// Command dispatch (Postfix smtpd_proto's loop): verb → handler file, unknown verbs, and the
// "non-SMTP command" defence (a header line or an HTTP verb where a command belongs).
import { REPLIES } from '../../policy/replies.js';
import { looksLikeHeader } from '../../policy/message.js';
import { tlsRequiredRefusal } from '../../policy/tls.js';
import type { SmtpSession } from './session.js';
import { handleHelo } from './handlers/helo.js';
import { handleMail } from './handlers/mail.js';
import { handleRcpt } from './handlers/rcpt.js';
import { handleData } from './handlers/data.js';
import { handleBdat } from './handlers/bdat.js';
import { handleVrfy } from './handlers/vrfy.js';
import { handleXclient } from './handlers/xclient.js';
import { handleAuth, handleEtrn, handleNoop, handleQuit, handleRset, handleStarttls } from './handlers/misc.js';

type Handler = (s: SmtpSession, args: string, verb: string) => void | Promise<void>;

const HANDLERS: Record<string, Handler> = {
  HELO: handleHelo,
  EHLO: handleHelo,
  MAIL: handleMail,
  RCPT: handleRcpt,
  DATA: handleData,
  BDAT: handleBdat,
  RSET: handleRset,
  NOOP: handleNoop,
  VRFY: handleVrfy,
  ETRN: handleEtrn,
  QUIT: handleQuit,
  XCLIENT: handleXclient,
  STARTTLS: handleStarttls,
  AUTH: handleAuth,
};

/** Commands a client could repeat forever without a tarpit (SMTPD_CMD_FLAG_LIMIT in smtpd.c). */
const JUNK = new Set(['HELO', 'EHLO', 'RSET', 'NOOP', 'VRFY', 'ETRN']);

/** smtpd_forbid_cmds default. */
const FORBIDDEN = new Set(['CONNECT', 'GET', 'POST']);

export async function dispatchCommand(s: SmtpSession, line: string): Promise<void> {
  s.lastReplyCode = 0;
  let verbSeen = 'unknown';
  try {
    verbSeen = await runCommand(s, line);
  } finally {
    s.countCommand(verbSeen, s.lastReplyCode > 0 && s.lastReplyCode < 400);
  }
}

/** Runs one command line; returns the verb for the statistics ("unknown" when not a command). */
async function runCommand(s: SmtpSession, line: string): Promise<string> {
  const trimmed = line.replace(/^[ \t]+|[ \t\r]+$/g, '');
  const m = trimmed.match(/^(\S+)(?:[ \t]+(.*))?$/);
  if (!m) {
    s.wire.reply(REPLIES.badSyntax());
    return 'unknown';
  }
  const word = m[1]!;
  const verb = word.toUpperCase();
  const handler = HANDLERS[verb];
  if (!handler) {
    if (looksLikeHeader(word) || FORBIDDEN.has(verb)) {
      s.ctx.logger.info(`warning: non-SMTP command from ${s.namaddr}: ${trimmed.slice(0, 100)}`);
      s.wire.reply(REPLIES.nonSmtpCommand());
      s.wire.close();
      return 'unknown';
    }
    s.wire.reply(REPLIES.commandNotRecognized());
    return 'unknown';
  }
  // smtpd_tls_security_level = encrypt: after "command not recognized", before the command runs.
  const needTls = tlsRequiredRefusal(s.ctx.config, verb, s.tls !== null);
  if (needTls) {
    s.wire.reply(needTls);
    return verb.toLowerCase();
  }
  s.lastCommand = verb;
  await handler(s, m[2] ?? '', verb);
  if (JUNK.has(verb)) s.errors.recordJunk();
  return verb.toLowerCase();
}
