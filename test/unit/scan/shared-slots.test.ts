// Shared memory reused across messages for the scan threads (src/scan/shared-slots.ts): a slot is
// never handed out while a message holds it, comes back only when given back, and what is kept
// idle stays under its bound.
import { describe, expect, it } from 'vitest';
import { SharedSlots } from '../../../src/scan/shared-slots.js';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);
const KB = 1024;

describe('SharedSlots', () => {
  it('copies the message into shared memory, byte for byte', () => {
    const slots = new SharedSlots();
    const data = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const slot = slots.copy(data);
    expect(slot.view.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(slot.view).equals(data)).toBe(true);
  });

  it('reuses a slot given back, for a message that fits, and not one still held', () => {
    const slots = new SharedSlots();
    const first = slots.copy(bytes(100 * KB, 1));
    const held = slots.copy(bytes(100 * KB, 2));
    expect(held.view.buffer).not.toBe(first.view.buffer);
    first.giveBack();
    const next = slots.copy(bytes(90 * KB, 3));
    expect(next.view.buffer).toBe(first.view.buffer);
    expect(next.view.length).toBe(90 * KB);
    expect(next.view.every((b) => b === 3)).toBe(true);
    expect(Buffer.from(held.view).every((b) => b === 2)).toBe(true); // the held message untouched
  });

  it('takes the smallest free slot that fits; a message larger than all gets a new one', () => {
    const slots = new SharedSlots();
    const big = slots.copy(bytes(1000 * KB, 0));
    const small = slots.copy(bytes(200 * KB, 0));
    big.giveBack();
    small.giveBack();
    expect(slots.copy(bytes(150 * KB, 0)).view.buffer).toBe(small.view.buffer);
    const larger = slots.copy(bytes(1100 * KB, 0));
    expect(larger.view.buffer).not.toBe(big.view.buffer);
    expect(larger.view.buffer.byteLength % (64 * KB)).toBe(0);
  });

  it('keeps no more than its bound idle, dropping the largest slots first; a second give-back counts once', () => {
    const slots = new SharedSlots(1024 * KB);
    const a = slots.copy(bytes(512 * KB, 0));
    const b = slots.copy(bytes(256 * KB, 0));
    const c = slots.copy(bytes(700 * KB, 0));
    a.giveBack();
    b.giveBack();
    a.giveBack();
    expect(slots.idleBytes).toBe(768 * KB);
    c.giveBack(); // 704 KB more: over the bound, so the 704 KB slot goes, then the 512 KB one fits
    expect(slots.idleBytes).toBe(768 * KB);
    expect(slots.copy(bytes(600 * KB, 0)).view.buffer).not.toBe(c.view.buffer);
  });
});
