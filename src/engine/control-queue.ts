// Acknowledgements (and PINGREQ) that did not fit in the transmit buffer when they were due, in a fixed
// ring of (type, reason, packet id) entries of 4 bytes in the engine's memory; they are written before any
// queued publish once room appears. A server may send more acknowledgeable packets than any limit (resends
// after a resume, PUBRELs, misbehaviour), so the bound is kept by the engine: it stops reading while this
// ring is full (see Engine.receive).

import type { EngineMemory } from "./engine-memory";

const ENTRY = 4;

export class ControlQueue {
  private readonly bytes: Uint8Array;
  private readonly base: number;
  private readonly capacity: number;
  private head = 0;
  /** Entries waiting (a field rather than a getter: read on every publish). */
  length = 0;

  static bytesFor(capacity: number): number {
    return capacity * ENTRY;
  }

  constructor(memory: EngineMemory, capacity: number) {
    this.bytes = memory.bytes;
    this.base = memory.take(capacity * ENTRY);
    this.capacity = capacity;
  }

  full(): boolean {
    return this.length === this.capacity;
  }

  /** False when full. */
  push(type: number, packetId: number, reasonCode: number): boolean {
    if (this.length === this.capacity) return false;
    const at = this.base + ((this.head + this.length) % this.capacity) * ENTRY;
    const bytes = this.bytes;
    bytes[at] = type;
    bytes[at + 1] = reasonCode;
    bytes[at + 2] = packetId >> 8;
    bytes[at + 3] = packetId & 0xff;
    this.length++;
    return true;
  }

  peekType(): number { return this.bytes[this.base + this.head * ENTRY]; }
  peekReason(): number { return this.bytes[this.base + this.head * ENTRY + 1]; }
  peekId(): number {
    const at = this.base + this.head * ENTRY + 2;
    return (this.bytes[at] << 8) | this.bytes[at + 1];
  }

  shift(): void {
    this.head = (this.head + 1) % this.capacity;
    this.length--;
  }

  clear(): void {
    this.head = this.length = 0;
  }
}
