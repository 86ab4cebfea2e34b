// Packet identifiers: 1 to 65535, handed out in turn and never one that is still in use (an in-flight
// publish or a SUBSCRIBE/UNSUBSCRIBE waiting for its ack).
//
// The in-use set is a small open-addressing hash table (linear probing, 0 = empty slot) at most half full,
// so allocate, release and isInUse cost O(1) however many publishes are in flight. Identifiers are handed out
// in turn, so their low bits alone spread them: consecutive ones take consecutive slots. A 65,536-bit map would
// be simpler but costs 8 KB of a microcontroller's heap; this table costs 8 bytes per in-flight message,
// in the engine's memory.

import type { EngineMemory } from "./engine-memory";

export class PacketIdAllocator {
  // The table is words[base, base + mask + 1): a region of the engine's memory, or an array of its own after
  // a restored session needed it to grow.
  private table: Int32Array;
  private base: number;
  private mask: number;
  private count = 0;
  private capacity: number;
  private last = 0;

  /** Memory a table for `capacity` identifiers takes. */
  static bytesFor(capacity: number): number {
    return 4 * tableSize(capacity);
  }

  /** With `memory`, the table is a region of it (sized by bytesFor); otherwise an array of its own. */
  constructor(capacity: number, memory?: EngineMemory) {
    const size = tableSize(capacity);
    this.capacity = capacity;
    this.table = memory === undefined ? new Int32Array(size) : memory.words;
    this.base = memory === undefined ? 0 : memory.take(4 * size) >> 2;
    this.mask = size - 1;
  }

  /** A free identifier, now marked in use; 0 when `capacity` identifiers are in use. */
  allocate(): number {
    if (this.count >= this.capacity) return 0;
    const table = this.table;
    const base = this.base;
    const mask = this.mask;
    let id = this.last;
    for (;;) {
      id = id === 65535 ? 1 : id + 1;
      // One probe walk: the first empty slot means `id` is free, and is where it goes.
      let i = id & mask;
      let v = table[base + i];
      while (v !== 0 && v !== id) v = table[base + (i = (i + 1) & mask)];
      if (v === 0) {
        table[base + i] = id;
        this.count++;
        this.last = id;
        return id;
      }
    }
  }

  /** Marks an identifier restored from a session store as in use (grows the table if needed: not a hot path). */
  claim(id: number): void {
    if (this.slotOf(id) >= 0) return;
    if (this.count >= this.capacity) this.grow(this.capacity * 2 + 1);
    this.insert(id);
  }

  /** The next allocate() looks from `id + 1` on (a session restored after a reboot continues its ids). */
  continueAfter(id: number): void {
    if (id >= 1 && id <= 65535) this.last = id;
  }

  release(id: number): void {
    let i = this.slotOf(id);
    if (i < 0) return;
    this.count--;
    // Backward-shift deletion: move later members of the probe run into the hole, so lookups never need
    // tombstones and the table never fills with dead slots.
    const table = this.table;
    const base = this.base;
    const mask = this.mask;
    let j = i;
    for (;;) {
      table[base + i] = 0;
      let home: number;
      do {
        j = (j + 1) & mask;
        if (table[base + j] === 0) return;
        home = table[base + j] & mask;
      } while (i <= j ? i < home && home <= j : i < home || home <= j);
      table[base + i] = table[base + j];
      i = j;
    }
  }

  isInUse(id: number): boolean {
    return this.slotOf(id) >= 0;
  }

  clear(): void {
    this.table.fill(0, this.base, this.base + this.mask + 1);
    this.count = 0;
  }

  private insert(id: number): void {
    const mask = this.mask;
    let i = id & mask;
    while (this.table[this.base + i] !== 0) i = (i + 1) & mask;
    this.table[this.base + i] = id;
    this.count++;
  }

  private slotOf(id: number): number {
    const mask = this.mask;
    let i = id & mask;
    for (;;) {
      const v = this.table[this.base + i];
      if (v === id) return i;
      if (v === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  private grow(capacity: number): void {
    const old = this.table;
    const oldBase = this.base;
    const oldSize = this.mask + 1;
    this.capacity = capacity;
    this.table = new Int32Array(tableSize(capacity));
    this.base = 0;
    this.mask = this.table.length - 1;
    this.count = 0;
    for (let i = 0; i < oldSize; i++) if (old[oldBase + i] !== 0) this.insert(old[oldBase + i]);
  }
}

/** A power of two at least twice the capacity, so the table stays at most half full. */
function tableSize(capacity: number): number {
  let size = 4;
  while (size < capacity * 2) size *= 2;
  return size;
}
