// BDAT (RFC 3030 CHUNKING, smtpd.c bdat_cmd / skip_bdat): the chunk is read as exactly `size`
// bytes and never parsed as commands; lines end at LF (a CR before it is dropped), so the
// message is stored with CRLF line ends; the last chunk (LAST) ends the message like the final
// dot. Postfix's byte count (act_size: each line + 2) is what the 250 replies report.
import { REPLIES, type Reply } from '../../../policy/replies.js';
import { isDiscarded } from '../../../policy/ehlo.js';
import type { SmtpSession } from '../session.js';
import { finishMessage } from './data.js';

const LINE_LENGTH_LIMIT = 2048;
const CRLF = Buffer.from('\r\n');

export async function handleBdat(s: SmtpSession, args: string): Promise<void> {
  const { config } = s.ctx;
  if (isDiscarded(config, 'chunking')) {
    s.wire.reply(REPLIES.bdatNotImplemented());
    return;
  }
  const words = args.split(/[ \t]+/).filter(Boolean);
  if (
    words.length < 1 ||
    words.length > 2 ||
    !/^\d+$/.test(words[0]!) ||
    !Number.isSafeInteger(Number(words[0])) ||
    (words.length === 2 && words[1]!.toUpperCase() !== 'LAST')
  ) {
    s.wire.reply(REPLIES.bdatSyntax());
    return;
  }
  const size = Number(words[0]);
  const last = words.length === 2;
  if (size === 0 && !last) return skip(s, size, last, REPLIES.bdatNull());
  if (s.bdat === 'error') return skip(s, size, last, REPLIES.bdatDiscarded(size));
  const tx = s.tx;
  if (s.bdat === 'none') {
    if (!tx || tx.recipients.length === 0) return skip(s, size, last, tx ? REPLIES.noValidRecipients() : REPLIES.needRcpt());
  }
  const limit = config.mta.messageSizeLimit;
  const state = tx!.bdat ?? { lines: [], partial: Buffer.alloc(0), size: 0, failed: false };
  if (limit && state.size > limit - size) return skip(s, size, last, REPLIES.bdatChunkTooBig());
  tx!.bdat = state;
  s.bdat = 'ok';

  const chunk = await s.wire.receiveChunk(size);
  if (chunk === null) return; // the client went away: nothing was acknowledged
  addChunk(state, chunk, last, limit);
  let answer: Reply;
  if (last) {
    answer = state.failed ? REPLIES.messageTooBig() : await finish(s, state);
  } else if (state.failed) {
    // The message cannot be accepted any more: say so now, skip the rest until LAST or RSET.
    answer = REPLIES.messageTooBig();
  } else {
    answer = REPLIES.bdatChunkOk(size);
  }
  s.wire.reply(answer);
  if (last || state.failed) {
    s.resetTransaction();
    if (!last) s.bdat = 'error';
  }
  s.wire.resumeAfterData();
}

async function finish(s: SmtpSession, state: NonNullable<NonNullable<SmtpSession['tx']>['bdat']>): Promise<Reply> {
  const tx = s.tx!;
  let r: Reply;
  try {
    r = await finishMessage(s, tx, Buffer.concat(state.lines));
  } catch (e) {
    s.ctx.logger.info(`warning: ${tx.queueId}: ${(e as Error).message}`, { event: 'error', id: tx.queueId });
    r = REPLIES.internalError();
  }
  return r.code === 250 && tx.queueId ? REPLIES.bdatQueued(state.size, tx.queueId) : r;
}

/** Splits the chunk into lines the way smtpd's smtp_get does, counting act_size. */
function addChunk(state: NonNullable<NonNullable<SmtpSession['tx']>['bdat']>, chunk: Buffer, last: boolean, limit: number): void {
  let data = state.partial.length ? Buffer.concat([state.partial, chunk]) : chunk;
  state.partial = Buffer.alloc(0);
  const addLine = (line: Buffer) => {
    // An over-long line becomes several records (REC_TYPE_CONT), each counted + 2.
    const pieces = Math.max(1, Math.ceil(line.length / LINE_LENGTH_LIMIT));
    for (let p = 0; p < pieces; p++) {
      const len = Math.min(LINE_LENGTH_LIMIT, line.length - p * LINE_LENGTH_LIMIT);
      if (limit && limit - state.size < len + 2) state.failed = true;
      else state.size += len + 2;
    }
    if (!state.failed) state.lines.push(line, CRLF);
  };
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      const end = i > start && data[i - 1] === 0x0d ? i - 1 : i;
      addLine(data.subarray(start, end));
      start = i + 1;
    }
  }
  data = data.subarray(start);
  if (data.length) {
    if (last) addLine(data);
    else state.partial = Buffer.from(data);
  }
}

/** skip_bdat(): read and drop the chunk, reply, and reset (LAST) or refuse the chunks to come. */
async function skip(s: SmtpSession, size: number, last: boolean, r: Reply): Promise<void> {
  const chunk = await s.wire.receiveChunk(size);
  if (chunk === null) return;
  s.wire.reply(r);
  if (last) {
    s.resetTransaction();
  } else {
    s.bdat = 'error';
  }
  s.wire.resumeAfterData();
}
