// A small ZIP reader: enough for Anti-Virus to look inside archives (stored and deflated entries,
// via node:zlib) and for Content Filtering to see entry names. Reads the central directory when
// it is intact and falls back to walking local headers. Limits keep a zip bomb harmless.
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Decompressed bytes; null when the method is unsupported, the entry is encrypted or too big. */
  data: Buffer | null;
  encrypted: boolean;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 10000;

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === LOCAL_SIG;
}

function inflate(method: number, raw: Buffer, size: number): Buffer | null {
  if (size > MAX_ENTRY_BYTES) return null;
  if (method === 0) return raw;
  if (method === 8) {
    try {
      return inflateRawSync(raw, { maxOutputLength: MAX_ENTRY_BYTES });
    } catch {
      return null;
    }
  }
  return null;
}

function entryName(buf: Buffer, flags: number): string {
  return buf.toString(flags & 0x800 ? 'utf8' : 'latin1');
}

function readLocal(buf: Buffer, offset: number, sizes?: { compressed: number; size: number }): { entry: ZipEntry; next: number } | null {
  if (offset + 30 > buf.length || buf.readUInt32LE(offset) !== LOCAL_SIG) return null;
  const flags = buf.readUInt16LE(offset + 6);
  const method = buf.readUInt16LE(offset + 8);
  let compressed = buf.readUInt32LE(offset + 18);
  let size = buf.readUInt32LE(offset + 22);
  const nameLen = buf.readUInt16LE(offset + 26);
  const extraLen = buf.readUInt16LE(offset + 28);
  const dataStart = offset + 30 + nameLen + extraLen;
  if (sizes) ({ compressed, size } = sizes);
  const name = entryName(buf.subarray(offset + 30, offset + 30 + nameLen), flags);
  const encrypted = (flags & 1) === 1;
  if (!sizes && flags & 0x08) {
    // Sizes follow the data (streamed zip): find the next header to bound it.
    const nextSig = findNextSignature(buf, dataStart);
    compressed = nextSig - dataStart;
    const withDescriptor = buf.readUInt32LE(Math.max(dataStart, nextSig - 16)) === 0x08074b50;
    if (withDescriptor) compressed -= 16;
    size = MAX_ENTRY_BYTES;
  }
  const raw = buf.subarray(dataStart, Math.min(buf.length, dataStart + compressed));
  const data = encrypted ? null : inflate(method, raw, method === 0 ? raw.length : Math.min(size, MAX_ENTRY_BYTES));
  return { entry: { name, data, encrypted }, next: dataStart + compressed };
}

function findNextSignature(buf: Buffer, from: number): number {
  for (let i = from; i + 4 <= buf.length; i++) {
    if (buf[i] !== 0x50 || buf[i + 1] !== 0x4b) continue;
    const sig = buf.readUInt32LE(i);
    if (sig === LOCAL_SIG || sig === CENTRAL_SIG || sig === EOCD_SIG) return i;
  }
  return buf.length;
}

function readCentral(buf: Buffer): ZipEntry[] | null {
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  const lowest = Math.max(0, buf.length - 22 - 65535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < Math.min(count, MAX_ENTRIES); n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) return null;
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const local = readLocal(buf, localOffset, { compressed, size });
    if (!local) return null;
    entries.push(local.entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The entries of a ZIP archive (directories skipped); [] when it is not a readable zip. */
export function readZip(buf: Buffer): ZipEntry[] {
  if (!isZip(buf)) return [];
  const entries = readCentral(buf) ?? walkLocal(buf);
  return entries.filter((e) => !e.name.endsWith('/'));
}

function walkLocal(buf: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  while (entries.length < MAX_ENTRIES) {
    const r = readLocal(buf, p);
    if (!r) break;
    entries.push(r.entry);
    p = r.next;
    if (buf.readUInt32LE(Math.min(p, buf.length - 4)) === 0x08074b50) p += 16;
  }
  return entries;
}

/** Builds a zip (stored or deflated entries) — for tests and lab fixtures. */
export function buildZip(files: Array<{ name: string; data: Buffer | string; deflate?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
    const body = f.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(f.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(f.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
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
