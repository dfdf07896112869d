// The on-disk format of one queued message, and writes that are checked to the byte.
//
//   KSMGQ1 <meta bytes> <data bytes> <crc32 of meta+data, 8 hex>\n
//   <meta JSON>\n
//   <message bytes>
//
// The first line lets a reader tell a complete file from one cut short (lengths) or damaged
// (checksum) before anything is delivered. Files written before this format (a JSON line, then
// the bytes) are still read; their meta.size is the length check.
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const MAGIC = 'KSMGQ1';

/** A queue file that cannot be trusted: it is moved aside, never delivered. */
export class CorruptQueueFile extends Error {
  readonly code = 'EKSMGCORRUPT';
  constructor(
    readonly file: string,
    readonly why: string,
  ) {
    super(`${file}: ${why}`);
  }
}

function checksum(parts: Buffer[]): string {
  let c = 0;
  for (const p of parts) c = crc32(p, c);
  return (c >>> 0).toString(16).padStart(8, '0');
}

/** The buffers to write, in order: envelope line, meta line, message. */
export function encodeQueueFile(metaJson: string, data: Buffer): Buffer[] {
  const meta = Buffer.from(`${metaJson}\n`, 'utf8');
  const head = Buffer.from(`${MAGIC} ${meta.length} ${data.length} ${checksum([meta, data])}\n`, 'latin1');
  return [head, meta, data];
}

/** Splits and verifies a queue file; throws CorruptQueueFile for anything short or damaged. */
export function decodeQueueFile<M extends { size?: number }>(file: string, buf: Buffer): { meta: M; data: Buffer } {
  if (buf.length === 0) throw new CorruptQueueFile(file, 'empty file');
  const nl = buf.indexOf(0x0a);
  if (nl === -1) throw new CorruptQueueFile(file, 'no header line');
  const first = buf.toString('latin1', 0, nl);
  if (first.startsWith(`${MAGIC} `)) {
    const m = /^KSMGQ1 (\d+) (\d+) ([0-9a-f]{8})$/.exec(first);
    if (!m) throw new CorruptQueueFile(file, 'malformed envelope line');
    const metaLen = Number(m[1]);
    const dataLen = Number(m[2]);
    const start = nl + 1;
    const expected = start + metaLen + dataLen;
    if (buf.length !== expected) {
      throw new CorruptQueueFile(
        file,
        buf.length < expected ? `truncated: ${buf.length} of ${expected} bytes` : `${buf.length - expected} bytes after the end`,
      );
    }
    const metaBuf = buf.subarray(start, start + metaLen);
    const data = buf.subarray(start + metaLen);
    if (checksum([metaBuf, data]) !== m[3]) throw new CorruptQueueFile(file, 'checksum mismatch');
    return { meta: parseMeta<M>(file, metaBuf.toString('utf8')), data };
  }
  // The earlier format: a JSON line and the bytes, with the size in the metadata.
  const meta = parseMeta<M>(file, buf.toString('utf8', 0, nl));
  const data = buf.subarray(nl + 1);
  if (typeof meta.size !== 'number' || meta.size !== data.length) {
    throw new CorruptQueueFile(file, `truncated or damaged: ${data.length} message bytes, ${meta.size ?? 'no'} expected`);
  }
  return { meta, data };
}

function parseMeta<M>(file: string, text: string): M {
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as M;
  } catch (e) {
    throw new CorruptQueueFile(file, `unreadable metadata (${(e as Error).message})`);
  }
}

/**
 * Writes every byte of `parts` (one writev when the kernel takes it all, which it normally does)
 * and keeps going after a short write. A write that makes no progress or fails throws — the
 * caller then answers 4xx, never 250.
 */
export async function writeFully(fh: Pick<FileHandle, 'writev'>, parts: Buffer[]): Promise<number> {
  const pending = parts.filter((p) => p.length > 0);
  let total = 0;
  while (pending.length) {
    const { bytesWritten } = await fh.writev(pending);
    total += advance(pending, bytesWritten);
  }
  return total;
}

/** writeFully() in the calling thread, on a descriptor (writev(2) straight into the page cache). */
export function writeFullySync(fd: number, parts: Buffer[], writev: (fd: number, buffers: Buffer[]) => number = fs.writevSync): number {
  const pending = parts.filter((p) => p.length > 0);
  let total = 0;
  while (pending.length) total += advance(pending, writev(fd, pending));
  return total;
}

/** Drops the `bytesWritten` first bytes from `pending`; a write that made no progress throws. */
function advance(pending: Buffer[], bytesWritten: number): number {
  if (!(bytesWritten > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
  let n = bytesWritten;
  while (n > 0 && pending.length) {
    const first = pending[0]!;
    if (n >= first.length) {
      n -= first.length;
      pending.shift();
    } else {
      pending[0] = first.subarray(n);
      n = 0;
    }
  }
  return bytesWritten;
}
