// A small ZIP reader for Anti-Virus and Content Filtering: entry names from the central directory
// (or, when it is missing, from the local headers), and each entry's bytes inflated as a stream
// (fflate), one entry at a time, under a byte budget shared by the whole message. What cannot be
// read honestly — overlapping entries, a broken structure, a method we do not inflate, more bytes
// than the budget — is reported as a problem, never silently skipped: the scan then gives the
// object KSMG's scan-error status instead of Clean.
import { Inflate } from 'fflate';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const DESCRIPTOR_SIG = 0x08074b50;
/** One entry inflates to at most this much. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** Entries listed per archive. */
export const MAX_ENTRIES = 10000;
/** Input slice fed to the inflater: deflate expands at most ~1032:1, so one push stays ~1 MB. */
const INFLATE_SLICE = 1024;

export interface ZipEntryInfo {
  name: string;
  method: number;
  encrypted: boolean;
  /** Offset of the local header, and the compressed data's byte range. */
  headerStart: number;
  dataStart: number;
  dataEnd: number;
  /** Declared uncompressed size (0xFFFFFFFF or unknown for streamed entries). */
  size: number;
}

export interface ZipListing {
  entries: ZipEntryInfo[];
  /** Why the archive cannot be read as a whole (corrupted structure, overlapping entries, …). */
  problem?: string;
}

export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
}

function entryName(buf: Buffer, flags: number): string {
  return buf.toString(flags & 0x800 ? 'utf8' : 'latin1');
}

function localEntry(buf: Buffer, offset: number, sizes?: { compressed: number; size: number; name?: string }): ZipEntryInfo | null {
  if (offset + 30 > buf.length || buf.readUInt32LE(offset) !== LOCAL_SIG) return null;
  const flags = buf.readUInt16LE(offset + 6);
  const method = buf.readUInt16LE(offset + 8);
  let compressed = buf.readUInt32LE(offset + 18);
  let size = buf.readUInt32LE(offset + 22);
  const nameLen = buf.readUInt16LE(offset + 26);
  const extraLen = buf.readUInt16LE(offset + 28);
  const dataStart = offset + 30 + nameLen + extraLen;
  if (dataStart > buf.length) return null;
  if (sizes) ({ compressed, size } = sizes);
  else if (flags & 0x08) {
    // Sizes follow the data (streamed zip): the next header bounds it.
    const next = findNextSignature(buf, dataStart);
    compressed = next - dataStart;
    if (next - 16 >= dataStart && buf.readUInt32LE(next - 16) === DESCRIPTOR_SIG) compressed -= 16;
    size = 0xffffffff;
  }
  const name = sizes?.name ?? entryName(buf.subarray(offset + 30, offset + 30 + nameLen), flags);
  return {
    name,
    method,
    encrypted: (flags & 1) === 1,
    headerStart: offset,
    dataStart,
    dataEnd: Math.min(buf.length, dataStart + compressed),
    size,
  };
}

function findNextSignature(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = buf.indexOf(0x50, i);
    if (i === -1 || i + 4 > buf.length) return buf.length;
    if (buf[i + 1] === 0x4b) {
      const sig = buf.readUInt32LE(i);
      if (sig === LOCAL_SIG || sig === CENTRAL_SIG || sig === EOCD_SIG || sig === DESCRIPTOR_SIG) return i;
    }
    i++;
  }
}

function readCentral(buf: Buffer): ZipListing | null {
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  const lowest = Math.max(0, buf.length - 22 - 65535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntryInfo[] = [];
  for (let n = 0; n < count; n++) {
    if (entries.length >= MAX_ENTRIES) return { entries, problem: `more than ${MAX_ENTRIES} entries` };
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) return { entries, problem: 'corrupted central directory' };
    const flags = buf.readUInt16LE(p + 8);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = entryName(buf.subarray(p + 46, p + 46 + nameLen), flags);
    const local = localEntry(buf, localOffset, { compressed, size, name });
    if (!local) return { entries, problem: `corrupted entry "${name}"` };
    entries.push(local);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, problem: overlap(entries) };
}

/** Entries whose bytes overlap (the "better zip bomb" reuses one deflate stream many times). */
function overlap(entries: ZipEntryInfo[]): string | undefined {
  const sorted = [...entries].sort((a, b) => a.headerStart - b.headerStart);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.headerStart < sorted[i - 1]!.dataEnd) return `overlapping entries "${sorted[i - 1]!.name}" and "${sorted[i]!.name}"`;
  }
  return undefined;
}

function walkLocal(buf: Buffer): ZipListing {
  const entries: ZipEntryInfo[] = [];
  let p = 0;
  while (p < buf.length) {
    if (entries.length >= MAX_ENTRIES) return { entries, problem: `more than ${MAX_ENTRIES} entries` };
    const e = localEntry(buf, p);
    if (!e) break;
    entries.push(e);
    p = Math.max(e.dataEnd, p + 30);
    if (p + 4 <= buf.length && buf.readUInt32LE(p) === DESCRIPTOR_SIG) p += 16;
  }
  return { entries };
}

/** The archive's entries (directories left out) and whatever makes it unreadable as a whole. */
export function listZip(buf: Buffer): ZipListing {
  if (!isZip(buf)) return { entries: [], problem: 'not a zip archive' };
  const listing = readCentral(buf) ?? walkLocal(buf);
  // It says "zip" in its first bytes but yields nothing readable: corrupted, not empty.
  if (listing.entries.length === 0 && !listing.problem) listing.problem = 'corrupted archive (no readable entry)';
  return { entries: listing.entries.filter((e) => !e.name.endsWith('/')), problem: listing.problem };
}

/** Inflated bytes a message may still spend (shared by every archive in it). */
export interface InflateBudget {
  remaining: number;
}

export type EntryResult = 'ok' | 'encrypted' | 'unsupported' | 'corrupted' | 'over-budget';

/**
 * Streams one entry's bytes to onChunk, at most MAX_ENTRY_BYTES and the budget's remainder.
 * onChunk may return false to stop early (enough seen); that still counts as 'ok'.
 */
export function inflateEntry(buf: Buffer, e: ZipEntryInfo, budget: InflateBudget, onChunk: (chunk: Buffer) => boolean | void): EntryResult {
  if (e.encrypted) return 'encrypted';
  const raw = buf.subarray(e.dataStart, e.dataEnd);
  const cap = Math.min(MAX_ENTRY_BYTES, budget.remaining);
  if (e.method === 0) {
    if (raw.length > cap) return 'over-budget';
    budget.remaining -= raw.length;
    onChunk(raw);
    return 'ok';
  }
  if (e.method !== 8) return 'unsupported';
  // The message's budget is spent: nothing more is unpacked (a non-empty stream yields bytes).
  if (cap <= 0 && raw.length > 2) return 'over-budget';
  let produced = 0;
  let result: EntryResult = 'ok';
  let stop = false;
  const inflater = new Inflate((chunk) => {
    if (stop) return;
    produced += chunk.length;
    if (produced > cap) {
      result = 'over-budget';
      stop = true;
      return;
    }
    if (onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)) === false) stop = true;
  });
  try {
    for (let i = 0; i < raw.length && !stop; i += INFLATE_SLICE) {
      const end = Math.min(raw.length, i + INFLATE_SLICE);
      inflater.push(raw.subarray(i, end), end === raw.length);
    }
    if (raw.length === 0) inflater.push(new Uint8Array(0), true);
  } catch {
    if (result === 'ok' && !stop) result = 'corrupted';
  }
  budget.remaining -= Math.min(produced, cap);
  return result;
}

/**
 * A deflate stream of `mb` MiB of zeros, built in milliseconds: one sync-flushed 1 MiB block
 * repeated (each block refers only to its own bytes), then an empty final block.
 */
export function deflatedZeros(mb: number): { stream: Buffer; size: number } {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  return { stream: Buffer.concat([...Array.from({ length: mb }, () => block), Buffer.from([0x03, 0x00])]), size: mb * 1024 * 1024 };
}

/** Entry names only: nothing is inflated (file-type sniffing). */
export function zipEntryNames(buf: Buffer): string[] {
  return listZip(buf).entries.map((e) => e.name);
}

export interface ZipEntry {
  name: string;
  /** Inflated bytes; null when encrypted, unsupported, corrupted or over the budget. */
  data: Buffer | null;
  encrypted: boolean;
}

/** Every entry with its bytes, under one budget (tests and small fixtures). */
export function readZip(buf: Buffer, budget: InflateBudget = { remaining: MAX_ENTRY_BYTES * 2 }): ZipEntry[] {
  if (!isZip(buf)) return [];
  return listZip(buf).entries.map((e) => {
    const chunks: Buffer[] = [];
    const r = inflateEntry(buf, e, budget, (c) => void chunks.push(Buffer.from(c)));
    return { name: e.name, data: r === 'ok' ? Buffer.concat(chunks) : null, encrypted: e.encrypted };
  });
}

/**
 * Builds a zip (stored or deflated entries) — for tests and lab fixtures. `predeflated` gives an
 * entry's deflate stream and inflated size directly (zip bombs without inflating gigabytes first;
 * the CRC is then 0, which the reader does not check).
 */
export function buildZip(
  files: Array<{
    name: string;
    data: Buffer | string;
    deflate?: boolean;
    encrypted?: boolean;
    predeflated?: { stream: Buffer; size: number };
  }>,
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
    const pre = f.predeflated;
    const body = pre ? pre.stream : f.deflate ? deflateRawSync(data) : data;
    const deflated = Boolean(pre || f.deflate);
    const size = pre ? pre.size : data.length;
    const name = Buffer.from(f.name, 'utf8');
    const crc = pre ? 0 : crc32(data) >>> 0;
    const flags = 0x800 | (f.encrypted ? 1 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(deflated ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(deflated ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
