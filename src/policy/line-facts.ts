// What the relay needs to know of a message's lines, from one SIMD pass (line-scan.wat): whether
// every line end is a CRLF and no CR stands alone (cleanup's fast path), whether a line starts
// with a dot, the longest line, and the two record sizes Postfix counts (message_size_limit's
// content records, the SIZE= smtp(8) announces). The byte-by-byte rules in content.ts and
// queue-size.ts stay the definition: this answers only for a message with CRLF line ends only
// (null otherwise, or for a message too large for it, and the callers then run those rules), and
// a property test holds the two equal.
import { LINE_SCAN_WASM } from './line-scan-wasm.js';

export interface LineFacts {
  /** Some line (the first, or one after a CRLF) starts with ".". */
  dotLine: boolean;
  /** Lines: CRLF-ended, plus an unterminated last one. */
  lines: number;
  /** Bytes of the longest line, without its CRLF. */
  longest: number;
  /** queue-size.ts contentRecordBytes(). */
  contentRecordBytes: number;
  /** content.ts deliveryFacts().size: header lines split as cleanup does, body lines as smtpd does. */
  queueFileSize: number;
  /**
   * Lines of 2048, 4096, … bytes: the only ones a body line costs differently from a header line
   * in the queue file (an empty record after the full ones, 2 bytes), so that the queue file size
   * of a body alone is contentRecordBytes + 2 × exactLines.
   */
  exactLines: number;
}

/** Where the message goes in the module's memory (the facts are written before it). */
const DATA_AT = 64;
/** The last vector loads read up to 32 bytes past the end. */
const TAIL = 32;
/** A memory grown past this for one large message is dropped after it, not kept for the next. */
const KEEP_BYTES = 4 * 1024 * 1024;
/** Larger messages are left to the byte-by-byte rules (wasm32 addresses, and no 1 GB copy). */
const MAX_BYTES = 256 * 1024 * 1024;
/**
 * Smaller ones too: a few dozen lines cost the byte rules microseconds, and the relay's 4 KB rows
 * measured no better (and, in two bench runs, worse) with the copy and the call into the module.
 */
export const LINE_FACTS_FROM = 16 * 1024;

interface Scanner {
  memory: WebAssembly.Memory;
  scan: (len: number) => number;
}

let compiled: WebAssembly.Module | null = null;
let kept: Scanner | null = null;
/** The module could not be made (no memory for it, e.g. under `ulimit -v`): the byte rules answer. */
let unavailable = false;

function scanner(): Scanner | null {
  if (kept || unavailable) return kept;
  try {
    compiled ??= new WebAssembly.Module(Buffer.from(LINE_SCAN_WASM, 'base64'));
    const exports = new WebAssembly.Instance(compiled, {}).exports as unknown as Scanner;
    kept = { memory: exports.memory, scan: exports.scan };
  } catch {
    unavailable = true;
  }
  return kept;
}

/**
 * The facts of `data`, or null when a CR or LF in it is not part of a CRLF (or it is outside
 * LINE_FACTS_FROM..MAX_BYTES unless `anySize`: the tests).
 */
export function lineFacts(data: Uint8Array, anySize = false): LineFacts | null {
  if (data.length > MAX_BYTES || (!anySize && data.length < LINE_FACTS_FROM)) return null;
  const s = scanner();
  if (!s) return null;
  const need = DATA_AT + data.length + TAIL;
  const have = s.memory.buffer.byteLength;
  try {
    // (A memory that cannot grow — RangeError — leaves this message to the byte rules.)
    if (have < need) s.memory.grow(Math.ceil((need - have) / 65536));
    new Uint8Array(s.memory.buffer, DATA_AT, data.length).set(data);
    if (s.scan(data.length) !== 0) return null;
    const f = new Float64Array(s.memory.buffer, 0, 6);
    return {
      dotLine: (f[0]! & 2) !== 0,
      lines: f[1]!,
      longest: f[2]!,
      contentRecordBytes: f[3]!,
      queueFileSize: f[4]!,
      exactLines: f[5]!,
    };
  } catch {
    return null;
  } finally {
    if (s.memory.buffer.byteLength > KEEP_BYTES) kept = null;
  }
}

// A large message's body is scanned once. Three steps want its line facts — cleanup's fast path
// (content.ts plainBodyFacts), message_size_limit (queue-size.ts) and each delivery (content.ts
// deliveryFacts) — and between them only the header block changes: the Received: line and the
// scan's X-headers go in front of the body, in the room before it (policy/headroom.ts), and the
// body's bytes stay where they are, never written again. So the body's facts are kept with the
// memory it lies in, and a later step reads the facts of the header block in front of it by the
// byte rules (a few lines) and adds the body's (measured, 20 sessions of 1 MB: two of the three
// passes, ≈ 0.4 ms each, gone). A message in other memory (copied, read back from the spool) is
// scanned as before.
const bodies = new WeakMap<ArrayBufferLike, { start: number; end: number; facts: LineFacts }>();
/** The empty line that ends a header block. */
export const BLANK_LINE = Buffer.from('\r\n\r\n', 'latin1');

/** `body` (what follows a message's first empty line) has these facts. */
export function rememberBodyFacts(body: Uint8Array, facts: LineFacts): void {
  bodies.set(body.buffer, { start: body.byteOffset, end: body.byteOffset + body.length, facts });
}

/**
 * `message` split at a body remembered by rememberBodyFacts(): its header block (up to and with
 * the first empty line, which must end right where that body starts) and the body's facts.
 * Null when `message` does not end with such a body.
 */
export function knownBody(message: Uint8Array): { head: Buffer; body: LineFacts } | null {
  const known = bodies.get(message.buffer);
  if (!known || known.end !== message.byteOffset + message.length || known.start < message.byteOffset + BLANK_LINE.length) return null;
  const head = Buffer.from(message.buffer, message.byteOffset, known.start - message.byteOffset);
  return head.indexOf(BLANK_LINE) === head.length - BLANK_LINE.length ? { head, body: known.facts } : null;
}
