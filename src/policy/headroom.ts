// Free bytes in front of a large message, so that the header lines added to it — cleanup's new
// header block (policy/content.ts cleanupContent), the scan's X-headers (scan/rewrite.ts
// appendHeaders) — move the short header block back into them instead of copying the whole
// message behind it. Only buffers made here own such room: anything else is copied as before.
//
// A large message's memory is a SharedArrayBuffer: V8 does not count it as the external memory
// whose growth starts a full collection (measured, 20 sessions of 1 MB: 17 → 2 mark-compacts per
// 300 messages, the collector's helper threads 2.3 ms less CPU per message). Buffer#indexOf is
// slower on shared memory (≈ 50 ns a call instead of 17), so the per-line passes over a whole
// message run in line-facts.ts instead. The scan threads never see this memory: they get a copy
// in memory of their own that is reused (scan/shared-slots.ts), so this thread's collector alone
// decides when it is freed.

/** Room kept in front of a message of HEADROOM_FROM bytes or more. */
const HEADROOM = 4096;
const HEADROOM_FROM = 64 * 1024;
const rooms = new WeakMap<Buffer, number>();

/** Buffer.concat(parts), with the room in front when the result is large (the DATA chunks as received, say). */
export function joinWithHeadroom(parts: readonly Buffer[]): Buffer {
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total < HEADROOM_FROM) return Buffer.concat(parts, total);
  const mem = Buffer.from(new SharedArrayBuffer(HEADROOM + total));
  let at = HEADROOM;
  for (const p of parts) at += p.copy(mem, at);
  return withHeadroom(mem.subarray(HEADROOM), HEADROOM);
}

/** Marks the `free` bytes of `buf`'s memory right before it as its own to write into. */
export function withHeadroom(buf: Buffer, free: number): Buffer {
  if (free > 0 && buf.byteOffset >= free) rooms.set(buf, free);
  return buf;
}

/** Free bytes before `buf` that it owns (0 for a buffer not made here). */
export function headroom(buf: Buffer): number {
  return rooms.get(buf) ?? 0;
}
