// Shared memory for the messages handed to scan threads, reused from one message to the next.
//
// A SharedArrayBuffer that a worker thread has seen stays mapped until that thread's own garbage
// collector lets go of it, and a scan thread allocates so little that it seldom collects: every
// large message got fresh memory, paid for in page faults as it was copied in (measured, 20
// sessions of 1 MB: 170 minor faults and 1.5 ms of this thread per message, RSS growing past
// 500 MB; the same relay with --no-scan: 22 faults, 230 MB). Here a message is copied into a slot
// that earlier messages used, whose pages are already there, and the slot comes back once its
// worker has answered. A worker keeps no view of a task's memory past its answer (worker.ts), so
// a slot can take the next message then; after a failure (a thread stopped at its time or memory
// budget) the slot is not taken back, and the collector frees it in its own time.

/** Slots are made in steps of this many bytes, so that messages of about one size share them. */
const STEP = 64 * 1024;

export interface SharedSlot {
  /** The message's bytes, in shared memory. */
  view: Uint8Array;
  /** The worker has answered: the slot may take the next message. */
  giveBack(): void;
}

export class SharedSlots {
  private free: SharedArrayBuffer[] = [];
  private freeBytes = 0;

  /** `keepBytes`: at most this much memory is kept for reuse while no message holds it. */
  constructor(private readonly keepBytes = 32 * 1024 * 1024) {}

  /** Memory kept for reuse now (tests, the bench). */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** `data` copied into a free slot big enough for it (the smallest such), or into a new one. */
  copy(data: Uint8Array): SharedSlot {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= data.length && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    let memory: SharedArrayBuffer;
    if (best >= 0) {
      memory = this.free[best]!;
      this.free.splice(best, 1);
      this.freeBytes -= memory.byteLength;
    } else {
      memory = new SharedArrayBuffer(Math.max(STEP, Math.ceil(data.length / STEP) * STEP));
    }
    const view = new Uint8Array(memory, 0, data.length);
    view.set(data);
    let back = false;
    return {
      view,
      giveBack: () => {
        if (back) return;
        back = true;
        this.keep(memory);
      },
    };
  }

  private keep(memory: SharedArrayBuffer): void {
    this.free.push(memory);
    this.freeBytes += memory.byteLength;
    // Over the bound, the largest slots go first: they are the rarest sizes.
    while (this.freeBytes > this.keepBytes) {
      let largest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.byteLength > this.free[largest]!.byteLength) largest = i;
      this.freeBytes -= this.free[largest]!.byteLength;
      this.free.splice(largest, 1);
    }
  }
}
