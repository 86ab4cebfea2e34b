// Packet identifiers: 1 to 65535, handed out in turn and never one that is still in use (an in-flight
// publish or a SUBSCRIBE/UNSUBSCRIBE waiting for its ack). The in-use set is a small list: it is bounded by
// the in-flight limit, and a 65,536-bit map would cost 8 KB of a microcontroller's heap.

export class PacketIdAllocator {
  private inUse: Uint16Array;
  private count = 0;
  private last = 0;

  constructor(capacity: number) {
    this.inUse = new Uint16Array(capacity);
  }

  /** A free identifier, now marked in use; 0 when `capacity` identifiers are in use. */
  allocate(): number {
    if (this.count === this.inUse.length) return 0;
    let id = this.last;
    do id = id === 65535 ? 1 : id + 1;
    while (this.indexOf(id) >= 0);
    this.last = id;
    this.inUse[this.count++] = id;
    return id;
  }

  /** Marks an identifier restored from a session store as in use (grows the list if needed: not a hot path). */
  claim(id: number): void {
    if (this.indexOf(id) >= 0) return;
    if (this.count === this.inUse.length) {
      const bigger = new Uint16Array(this.inUse.length * 2 + 1);
      bigger.set(this.inUse);
      this.inUse = bigger;
    }
    this.inUse[this.count++] = id;
  }

  release(id: number): void {
    const i = this.indexOf(id);
    if (i >= 0) this.inUse[i] = this.inUse[--this.count];
  }

  isInUse(id: number): boolean {
    return this.indexOf(id) >= 0;
  }

  clear(): void {
    this.count = 0;
  }

  private indexOf(id: number): number {
    for (let i = 0; i < this.count; i++) if (this.inUse[i] === id) return i;
    return -1;
  }
}
