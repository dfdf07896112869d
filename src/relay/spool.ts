// The durable spool. A message answered 250 must survive kill -9 and a crash of the machine, so
// enqueue() returns only after the message file is written and fsynced — one fsync per message,
// as Postfix's cleanup makes (mail_stream_finish_file: fflush, fchmod +x, fsync, close; no
// directory fsync). The file is created under incoming/ before its fsync, so that fsync also
// makes its name durable on a journaling file system (ext4, XFS commit the name with the inode
// they order before it); the link into queue/ that follows may be lost in a crash, and then
// open() finds the complete file still in incoming/ and links it (its envelope line's length and
// checksum tell a complete file from one cut short).
//
// Layout under the spool directory:
//   incoming/<ID>.tmp     being written, or fsynced and about to be linked into queue/; on start a
//                         complete one is moved into queue/ (it may have been acknowledged), a
//                         partial one removed (never acknowledged)
//   queue/<ID>            immutable: envelope line (lengths + checksum), metadata, message bytes
//                         (queue-file.ts)
//   state/<ID>.json       per-recipient delivery state, rewritten atomically (tmp + rename)
//   corrupt/<name>        queue files that failed their length or checksum check, moved aside
//                         (Postfix's corrupt queue) — never delivered, kept for the admin
// A queue file without a state file has every recipient pending. Directories are 0700 and files
// 0600 whatever the umask: the spool holds other people's mail.
import { randomBytes, randomFillSync } from 'node:crypto';
import fsSync, { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeQueueFile, encodeQueueFile, writeFully, writeFullySync } from './queue-file.js';
import { closeQuietly, createTmp, fdWriter, fsyncDir, fsyncFd, unlinkIfThere } from './spool-fs.js';

export { CorruptQueueFile } from './queue-file.js';

/**
 * pending: not tried yet; deferred: waiting for a retry; sent/bounced/dropped: done.
 * rejected: a scan rule gave it a delayed reject — the queue sends the KSMG NDR (when enabled)
 * and marks it bounced, without delivering.
 */
export type RecipientStatus = 'pending' | 'deferred' | 'sent' | 'bounced' | 'dropped' | 'rejected';

export interface ClientInfo {
  /** The client address the policy saw (after XCLIENT). */
  address: string;
  /** Reverse name as given by XCLIENT NAME, else "unknown". */
  name: string;
  helo: string;
  /** ESMTP or SMTP, as written in Received: */
  protocol: string;
}

export interface SpoolRecipient {
  address: string;
  /** ORCPT/NOTIFY as given; "never" for always_bcc copies (no bounce for the copy). */
  notify?: string[];
  orcpt?: string;
  /** The address as the client gave it, when rewriting changed it (a trailing dot): logged as orig_to=. */
  original?: string;
}

export interface MessageMeta {
  id: string;
  /** ms since epoch, from the relay's clock. */
  arrivalTime: number;
  /** Envelope sender; '' is the null sender. */
  sender: string;
  recipients: SpoolRecipient[];
  client: ClientInfo;
  /** ENVID / RET from MAIL FROM, when DSN was used. */
  envid?: string;
  ret?: string;
  /** BODY= and SMTPUTF8 from MAIL FROM (passed on to the next hop as Postfix does). */
  body?: '7BIT' | '8BITMIME';
  smtputf8?: boolean;
  /** true for bounces the relay generated itself (never bounced again). */
  isBounce?: boolean;
  /** Bytes of the message as spooled. */
  size: number;
}

export interface RecipientState {
  address: string;
  status: RecipientStatus;
  attempts: number;
  /** ms since epoch of the next attempt (deferred). */
  nextAttemptAt?: number;
  /** Next backoff step in seconds (doubles up to maximal_backoff_time). */
  backoff?: number;
  lastReply?: string;
  lastRelay?: string;
  /** ms since epoch of the final result. */
  doneAt?: number;
  /** DSN NOTIFY ("never" for the always_bcc copy, which is never bounced). */
  notify?: string[];
  /** The scan rule that rejected this recipient (status 'rejected'). */
  rule?: string;
  /** Why the rule rejected it (e.g. "phishing"), for the NDR. */
  reason?: string;
}

export interface QueueState {
  recipients: RecipientState[];
}

/** A temporary file created ahead of enqueue() (Spool.reserve). */
export interface SpoolReservation {
  id: string;
  fd: Promise<number>;
  /** enqueue() took the file (and closes or removes it itself): release() leaves it alone. */
  taken: boolean;
}

export interface QueuedMessage {
  meta: MessageMeta;
  state: QueueState;
}

const QUEUE_ID_ALPHABET = '0123456789ABCDEF';

/** Random bytes for queue ids, drawn from the CSPRNG a few thousand ids at a time. */
const idRandom = Buffer.alloc(3 * 4096);
let idRandomAt = idRandom.length;

/** A Postfix-style short queue id: 11 upper-case hex digits, time-ordered. */
export function newQueueId(nowMs: number): string {
  const usec = Math.floor(nowMs * 1000) % 0x100000; // 5 hex digits of microseconds, like Postfix
  if (idRandomAt + 3 > idRandom.length) {
    randomFillSync(idRandom);
    idRandomAt = 0;
  }
  const rnd = (idRandom.readUIntBE(idRandomAt, 3) | 0x1000000).toString(16).slice(1); // 6 hex digits
  idRandomAt += 3;
  return (usec.toString(16).padStart(5, '0') + rnd).toUpperCase();
}

export function isQueueId(s: string): boolean {
  return /^[0-9A-F]{11}$/.test(s) && [...s].every((c) => QUEUE_ID_ALPHABET.includes(c));
}

export function initialState(meta: MessageMeta): QueueState {
  return { recipients: meta.recipients.map((r) => ({ address: r.address, status: 'pending', attempts: 0 })) };
}

export class Spool {
  readonly dir: string;
  private readonly incoming: string;
  private readonly queue: string;
  private readonly stateDir: string;
  readonly corruptDir: string;
  /**
   * Messages just enqueued by this process, kept for the queue manager's first attempt so it
   * does not read back what it has just written (open+fstat+read+close per message). Consumed
   * by the first readFile(); bounded in bytes; purely a cache — the files are the truth.
   */
  private recent = new Map<string, { meta: MessageMeta; data: Buffer; state?: QueueState }>();
  private recentBytes = 0;
  /** Ids enqueued by this process for which no state file was ever written (remove() skips that unlink). */
  private readonly withoutState = new Set<string>();
  static readonly RECENT_BUDGET = 32 * 1024 * 1024;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.incoming = path.join(this.dir, 'incoming');
    this.queue = path.join(this.dir, 'queue');
    this.stateDir = path.join(this.dir, 'state');
    this.corruptDir = path.join(this.dir, 'corrupt');
  }

  /**
   * Creates the directories (0700), moves complete files a crash left in incoming/ into queue/
   * and removes half-written ones. Returns the ids moved (the caller logs them).
   */
  async open(): Promise<string[]> {
    for (const d of [this.dir, this.incoming, this.queue, this.stateDir, this.corruptDir]) {
      await fs.mkdir(d, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask, and a spool made by an earlier version may be 0777.
      await fs.chmod(d, 0o700);
    }
    const recovered = await this.recoverIncoming();
    const queued = new Set(await fs.readdir(this.queue));
    for (const f of await fs.readdir(this.stateDir)) {
      // Temp files, and state written just before a crash that came before the rename into queue/.
      if (f.endsWith('.tmp') || !queued.has(f.replace(/\.json$/, ''))) await fs.rm(path.join(this.stateDir, f), { force: true });
    }
    return recovered;
  }

  /**
   * incoming/<ID>.tmp after a crash: already linked into queue/ (the unlink of the temporary name
   * was lost) → the extra name goes; complete (length and checksum hold: it was fsynced, and the
   * client may have had its 250) → linked into queue/, then the directory is fsynced; anything
   * else was cut short before its fsync, so never acknowledged → removed.
   */
  private async recoverIncoming(): Promise<string[]> {
    const recovered: string[] = [];
    for (const f of await fs.readdir(this.incoming)) {
      const file = path.join(this.incoming, f);
      const id = f.replace(/\.tmp$/, '');
      if (f.endsWith('.tmp') && isQueueId(id) && !fsSync.existsSync(path.join(this.queue, id))) {
        try {
          decodeQueueFile(`incoming/${f}`, await fs.readFile(file));
          await fs.link(file, path.join(this.queue, id));
          recovered.push(id);
        } catch {
          /* cut short (CorruptQueueFile) or unreadable: never acknowledged */
        }
      }
      await fs.rm(file, { force: true });
    }
    if (recovered.length) await fsyncDir(this.queue);
    return recovered;
  }

  /**
   * Writes a message durably. Resolves only when it would survive a crash; the caller answers
   * 250 after that. `initial` lets the caller record recipients already settled (e.g. deleted
   * by a scan rule) in the same durable step.
   */
  async enqueue(meta: Omit<MessageMeta, 'size'>, data: Buffer, initial?: QueueState, reserved?: SpoolReservation): Promise<MessageMeta> {
    const full: MessageMeta = { ...meta, size: data.length };
    const parts = encodeQueueFile(JSON.stringify(full), data);
    const tmp = this.tmpPath(meta.id);
    // The cheap steps (the write of a message of up to SYNC_WRITE_LIMIT bytes into the page
    // cache, close, link, the unlink of the temporary name) are made here, synchronously: each
    // takes microseconds, while a trip through libuv's thread pool costs more than the call itself
    // (futex wake-ups of a pool thread and of this loop). What can wait for the file system's
    // journal goes to the pool: creating the file (measured: ~0.2 ms in this thread under load)
    // and its fsync — the one step that makes the message durable (see the top of this file).
    if (reserved && reserved.id !== meta.id) throw new Error(`spool: reservation for ${reserved.id} used for ${meta.id}`);
    if (reserved) reserved.taken = true;
    const fd = await (reserved?.fd ?? createTmp(tmp));
    try {
      // Every byte or an error (a full disk gives a short write first, then ENOSPC).
      if (data.length <= Spool.SYNC_WRITE_LIMIT) writeFullySync(fd, parts);
      else await writeFully(fdWriter(fd), parts);
      await fsyncFd(fd);
    } catch (e) {
      closeQuietly(fd);
      fsSync.rmSync(tmp, { force: true });
      throw e;
    }
    fsSync.closeSync(fd);
    // link() instead of rename(): a (very unlikely) queue id collision must fail the enqueue
    // (the client gets a 4xx and retries) instead of silently replacing an acknowledged message.
    const final = path.join(this.queue, meta.id);
    try {
      if (initial) {
        // The state must not overwrite the state of a message already queued under this id.
        if (fsSync.existsSync(final)) throw Object.assign(new Error(`EEXIST: queue id ${meta.id} is already in use`), { code: 'EEXIST' });
        await this.writeState(meta.id, initial, { sync: true });
      }
      fsSync.linkSync(tmp, final);
    } catch (e) {
      fsSync.rmSync(tmp, { force: true });
      throw e;
    }
    fsSync.unlinkSync(tmp);
    if (!initial) this.withoutState.add(meta.id);
    this.remember(meta.id, { meta: full, data, state: initial });
    return full;
  }

  /**
   * Creates a message's temporary file ahead of enqueue(), while the caller still works on the
   * message (the content scan): creating a file waits for the file system's journal, and with one
   * client at a time that wait is latency before the 250. enqueue(…, reservation) writes into it;
   * release() removes it when the message is not spooled after all.
   */
  reserve(id: string): SpoolReservation {
    const fd = createTmp(this.tmpPath(id));
    fd.catch(() => undefined); // enqueue() or release() sees the error
    return { id, fd, taken: false };
  }

  /** The reserved message is not spooled (rejected in the session, or failed): its file goes. */
  async release(reservation: SpoolReservation): Promise<void> {
    if (reservation.taken) return;
    reservation.taken = true;
    let fd: number;
    try {
      fd = await reservation.fd;
    } catch {
      return; // never created
    }
    closeQuietly(fd);
    fsSync.rmSync(this.tmpPath(reservation.id), { force: true });
  }

  private tmpPath(id: string): string {
    return path.join(this.incoming, `${id}.tmp`);
  }

  /** Messages up to this size are written synchronously (see enqueue); larger ones through the pool. */
  static readonly SYNC_WRITE_LIMIT = 1024 * 1024;

  private remember(id: string, entry: { meta: MessageMeta; data: Buffer; state?: QueueState }): void {
    if (entry.data.length > Spool.RECENT_BUDGET / 16) return;
    this.recent.set(id, entry);
    this.recentBytes += entry.data.length;
    for (const [old, e] of this.recent) {
      if (this.recentBytes <= Spool.RECENT_BUDGET) break;
      this.forget(old, e.data.length);
    }
  }

  private forget(id: string, size?: number): void {
    const e = this.recent.get(id);
    if (!e) return;
    this.recent.delete(id);
    this.recentBytes -= size ?? e.data.length;
  }

  async ids(): Promise<string[]> {
    return (await fs.readdir(this.queue)).filter(isQueueId).sort();
  }

  async readMeta(id: string): Promise<MessageMeta> {
    const cached = this.recent.get(id);
    if (cached) return cached.meta;
    const { meta } = await this.readFile(id);
    return meta;
  }

  /** Metadata and the message bytes. */
  async readFile(id: string): Promise<{ meta: MessageMeta; data: Buffer }> {
    const cached = this.recent.get(id);
    if (cached) {
      this.forget(id);
      return { meta: cached.meta, data: cached.data };
    }
    const buf = await fs.readFile(path.join(this.queue, id));
    return decodeQueueFile<MessageMeta>(`queue/${id}`, buf);
  }

  /** Queue directory entries that are not queue files at all (foreign or garbage names). */
  async strays(): Promise<string[]> {
    return (await fs.readdir(this.queue)).filter((f) => !isQueueId(f)).sort();
  }

  /**
   * Moves a queue file that failed its checks (or a stray file in queue/) to corrupt/, with its
   * state file, so the queue runs without it and the admin can look at it. Returns the new path.
   */
  async moveToCorrupt(name: string): Promise<string> {
    this.forget(name);
    this.withoutState.delete(name);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const target = path.join(this.corruptDir, `${name}.${stamp}`);
    await fs.rename(path.join(this.queue, name), target);
    const state = path.join(this.stateDir, `${name}.json`);
    await fs.rename(state, `${target}.state.json`).catch(() => undefined);
    await fsyncDir(this.queue).catch(() => undefined);
    return target;
  }

  /**
   * Postfix's smtpd_check_queue(): refuse a new transaction when the spool's file system has
   * less than queue_minfree free, or less than 1.5 × message_size_limit. Counted in blocks
   * available to unprivileged writers (statvfs f_bavail), as fsspace() does.
   */
  async hasRoomForMessage(messageSizeLimit: number, queueMinfree = 0): Promise<{ ok: boolean; free: number }> {
    // statfs answers from the super block: synchronous, like the spool's other metadata calls.
    const st = fsSync.statfsSync(this.dir);
    const bsize = Number(st.bsize) || 1;
    const blocksFree = Number(st.bavail);
    const blocks = (bytes: number) => Math.floor(bytes / bsize);
    const ok = !(blocks(queueMinfree) >= blocksFree || blocks(messageSizeLimit) >= blocksFree / 1.5);
    return { ok, free: blocksFree * bsize };
  }

  async readState(id: string, meta?: MessageMeta): Promise<QueueState> {
    const cached = this.recent.get(id);
    if (cached) return cached.state ? structuredClone(cached.state) : initialState(cached.meta);
    try {
      return JSON.parse(await fs.readFile(path.join(this.stateDir, `${id}.json`), 'utf8')) as QueueState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return initialState(meta ?? (await this.readMeta(id)));
    }
  }

  async load(id: string): Promise<QueuedMessage> {
    const meta = await this.readMeta(id);
    return { meta, state: await this.readState(id, meta) };
  }

  /** Atomically replaces the delivery state (tmp + rename; fsync when asked). */
  async writeState(id: string, state: QueueState, opts: { sync?: boolean } = {}): Promise<void> {
    const cached = this.recent.get(id);
    if (cached) cached.state = structuredClone(state);
    this.withoutState.delete(id);
    const final = path.join(this.stateDir, `${id}.json`);
    const tmp = `${final}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
    const fh = await fs.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(state));
      if (opts.sync) await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, final);
    if (opts.sync) await fsyncDir(this.stateDir);
  }

  /** Removes a message whose recipients are all done. */
  async remove(id: string): Promise<void> {
    this.forget(id);
    // unlink, not rm: rm lstats first, which costs a syscall per file on the hot path. In the
    // pool: freeing a file's blocks waits for the journal (measured: 1.6 ms per unlink in this
    // thread while other sessions fsync). Most messages are delivered at the first attempt and
    // never had a state file, so that unlink is tried only when this process may have written one.
    const hadState = !this.withoutState.delete(id);
    await unlinkIfThere(path.join(this.queue, id));
    if (hadState) await unlinkIfThere(path.join(this.stateDir, `${id}.json`));
  }
}
