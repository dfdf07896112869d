// DATA (smtpd.c data_cmd): 354, the message up to CRLF.CRLF only, smtpd's and cleanup's line and
// header rules (policy/content.ts), size check, Received: header, optional content scan, durable
// enqueue (fsynced before the 250),
// then the queue is told.
import { REPLIES, reply, type Reply } from '../../../policy/replies.js';
import { addsMissingHeaders, canonicalRecipient, cleanupContent } from '../../../policy/content.js';
import { messageIdOf, receivedHeader } from '../../../policy/message.js';
import { queueFileTooBig } from '../../../policy/queue-size.js';
import { cleanupHeaders } from '../../../policy/header-limit.js';
import type { QueueState, RecipientState, SpoolRecipient, SpoolReservation } from '../../spool.js';
import type { ScanResult } from '../ports.js';
import type { SmtpSession, Transaction } from '../session.js';

export async function handleData(s: SmtpSession, args: string): Promise<void> {
  const tx = s.tx;
  if (s.bdat !== 'none') {
    s.wire.reply(REPLIES.dataAfterBdat());
    return;
  }
  if (!tx || tx.recipients.length === 0) {
    s.wire.reply(tx ? REPLIES.noValidRecipients() : REPLIES.needRcpt());
    return;
  }
  if (args.trim()) {
    s.wire.reply(REPLIES.dataSyntax());
    return;
  }
  s.wire.reply(REPLIES.dataGoAhead());
  const raw = await s.wire.receiveData();
  if (raw === null) return; // the client went away mid-message: nothing was acknowledged
  let answer: Reply;
  try {
    answer = await finishMessage(s, tx, raw);
  } catch (e) {
    // A scanner or other failure after the dot: temporary, the client keeps the message.
    s.ctx.logger.info(`warning: ${tx.queueId}: ${(e as Error).message}`, { event: 'error', id: tx.queueId });
    answer = REPLIES.internalError();
  }
  // Reply before the parser may run commands pipelined behind the message.
  s.wire.reply(answer);
  s.resetTransaction();
  s.wire.resumeAfterData();
}

/** After the message bytes (DATA or the last BDAT chunk): size, Received:, scan, spool. */
export async function finishMessage(s: SmtpSession, tx: Transaction, raw: Buffer): Promise<Reply> {
  const { ctx } = s;
  const id = tx.queueId!;
  const received = (raw as Buffer & { receivedBytes?: number }).receivedBytes ?? raw.length;
  const recipients = tx.recipients.map((r) => r.address);
  const header = receivedHeader(ctx.config, {
    helo: s.helo,
    clientName: s.name,
    clientAddress: s.address,
    protocol: s.protocol,
    smtputf8: !!tx.params.smtputf8,
    tls: s.tls !== null,
    authenticated: s.login !== null,
    queueId: id,
    recipients,
    arrival: tx.started,
  });
  // What smtpd and cleanup make of the bytes (policy/content.ts): the one place for line ends,
  // dot-unstuffing (DATA only; BDAT chunks are not stuffed), dropped headers and, for local
  // clients, the missing headers.
  const local = addsMissingHeaders(s.address);
  let data: Buffer = cleanupContent(raw, {
    unstuff: !tx.bdat,
    received: header,
    addMissing: local ? { queueId: id, hostname: ctx.config.mta.hostname, arrival: tx.started, sender: tx.sender } : null,
  });
  // message_size_limit bounds Postfix's queue file (envelope + Received: + content records).
  const content = data.subarray(Buffer.byteLength(header, 'utf8'));
  // Bytes past the limit were only counted (received > raw.length), and content records never
  // cost less than their bytes: that message is too big without a buffer of its size to prove it.
  const tooBig =
    received > raw.length ||
    queueFileTooBig(ctx.config, content, {
      sender: tx.sender,
      recipients,
      helo: s.helo ?? '',
      clientAddress: s.address,
    });
  if (tooBig) {
    ctx.logger.info(`warning: ${id}: queue file size limit exceeded`, { event: 'reject', stage: 'DATA', id, reason: 'size' });
    return REPLIES.messageTooBig();
  }
  // Every header block as cleanup writes it: "Name :" → "Name:", header_size_limit (the excess
  // of an over-long header discarded) — the message's own, each MIME part's, each attached message's.
  data = cleanupHeaders(data);

  // The spool file is created while the scan runs (creating a file waits for the journal); it is
  // removed again when the message is not spooled.
  const reservation = ctx.scanner ? ctx.spool.reserve(id) : undefined;
  let spooled = false;
  try {
    const answer = await scanAndSpool(s, tx, data, recipients, reservation);
    spooled = answer.code === 250;
    return answer;
  } finally {
    if (reservation && !spooled) void ctx.spool.release(reservation);
  }
}

async function scanAndSpool(
  s: SmtpSession,
  tx: Transaction,
  data: Buffer,
  recipients: string[],
  reservation: SpoolReservation | undefined,
): Promise<Reply> {
  const { ctx } = s;
  const id = tx.queueId!;
  let scan: ScanResult | null = null;
  if (ctx.scanner) {
    scan = await ctx.scanner.scan({
      config: ctx.config,
      client: { address: s.address, helo: s.helo ?? undefined, hostname: s.name === 'unknown' ? undefined : s.name },
      sender: tx.sender,
      recipients,
      data,
      queueId: id,
    });
    if (scan.reject) {
      const r = reply(scan.reject.code, scan.reject.enhanced, scan.reject.text);
      ctx.logger.info(
        `${id}: reject: END-OF-MESSAGE from ${s.namaddr}: ${r.code} ${r.enhanced} ${r.text}; from=<${tx.sender}> proto=${s.protocol} helo=<${s.helo ?? ''}>`,
        { event: 'reject', stage: 'END-OF-MESSAGE', id, code: r.code },
      );
      if (scan.logLine) ctx.logger.info(`${id}: ${scan.logLine}`, { event: 'scan', id });
      return r;
    }
    data = scan.data;
    if (scan.logLine) ctx.logger.info(`${id}: ${scan.logLine}`, { event: 'scan', id });
  }

  const spoolRecipients: SpoolRecipient[] = tx.recipients.map((r) => {
    // trivial-rewrite drops a trailing dot (bob@corp.example. goes to corp.example's route);
    // the address as given stays the original recipient (ORCPT, Original-Recipient).
    const address = canonicalRecipient(r.address);
    const orcpt = r.orcpt ?? (address !== r.address ? `rfc822;${r.address}` : undefined);
    // log_adhoc() shows orig_to= when the two differ other than in case.
    const original = address.toLowerCase() !== r.address.toLowerCase() ? r.address : undefined;
    return { address, ...(r.notify ? { notify: r.notify } : {}), ...(orcpt ? { orcpt } : {}), ...(original ? { original } : {}) };
  });
  // always_bcc is added by the queue (QueueManager.addBcc in src/relay/queue/manager.ts), not here.
  const initial = keptLocally(tx, scan ? initialStateFromScan(scan, spoolRecipients, ctx.clock.now()) : undefined, ctx.clock.now());

  try {
    await ctx.spool.enqueue(
      {
        id,
        arrivalTime: tx.started,
        sender: tx.sender,
        recipients: spoolRecipients,
        client: { address: s.address, name: s.name, helo: s.helo ?? '', protocol: s.protocol },
        ...(tx.params.envid !== undefined ? { envid: tx.params.envid } : {}),
        ...(tx.params.ret ? { ret: tx.params.ret } : {}),
        ...(tx.params.body ? { body: tx.params.body } : {}),
        ...(tx.params.smtputf8 ? { smtputf8: true } : {}),
      },
      data,
      initial,
      reservation,
    );
  } catch (e) {
    ctx.logger.info(`warning: ${id}: spool write failed: ${(e as Error).message}`, { event: 'error', id });
    return REPLIES.queueFileWriteError();
  }
  s.errors.reset();
  s.accepted += 1;
  ctx.logger.info(`${id}: message-id=${messageIdOf(data)}`, { event: 'message-id', id });
  ctx.logger.info(`${id}: from=<${tx.sender}>, size=${data.length}, nrcpt=${spoolRecipients.length} (queue active)`, {
    event: 'queued',
    id,
    from: tx.sender,
    size: data.length,
    nrcpt: spoolRecipients.length,
  });
  ctx.events.emit('queued', { id });
  ctx.queue?.notify(id);
  return REPLIES.queued(id);
}

/** Postmaster mail without mta.postmaster stays on the gateway: done at once, never relayed. */
function keptLocally(tx: Transaction, state: QueueState | undefined, now: number): QueueState | undefined {
  if (!tx.recipients.some((r) => r.localMailbox)) return state;
  return {
    recipients: tx.recipients.map((r, i): RecipientState =>
      r.localMailbox
        ? {
            address: r.address,
            status: 'dropped',
            attempts: 0,
            doneAt: now,
            lastReply: "delivered to the gateway's local mailbox (mta.postmaster is not set)",
          }
        : (state?.recipients[i] ?? { address: r.address, status: 'pending', attempts: 0 }),
    ),
  };
}

/**
 * Scan verdicts as the initial delivery state, written in the same durable step as the message:
 * 'delete' → dropped (the client saw 250, nothing is relayed, no NDR); 'reject' → 'rejected'
 * (the queue sends KSMG's delayed-reject NDR when enabled: src/relay/queue).
 */
function initialStateFromScan(scan: ScanResult, recipients: SpoolRecipient[], now: number): QueueState | undefined {
  const verdicts = new Map(scan.recipients.map((v) => [v.address.toLowerCase(), v]));
  if (![...verdicts.values()].some((v) => v.action !== 'deliver')) return undefined;
  return {
    recipients: recipients.map((r): RecipientState => {
      const v = verdicts.get(r.address.toLowerCase());
      if (v?.action === 'delete')
        return { address: r.address, status: 'dropped', attempts: 0, doneAt: now, lastReply: `deleted by rule ${v.rule}` };
      if (v?.action === 'reject') {
        return { address: r.address, status: 'rejected', attempts: 0, rule: v.rule, ...(v.reason ? { reason: v.reason } : {}) };
      }
      return { address: r.address, status: 'pending', attempts: 0 };
    }),
  };
}
