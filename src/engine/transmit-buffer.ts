// The engine's fixed transmit buffer, a region of its memory: packets are encoded straight into it and the
// transport takes bytes from [start, end) at its own pace. Space is made by sliding the unsent bytes to the
// front of the region, never by growing. Offsets are into the whole memory (`bytes`).

import { words, type EngineMemory } from "./engine-memory";

/** The engine's transmit buffer, a region of its memory; Engine.output: the pending bytes are
 * bytes[start, end). */
export class TransmitBuffer {
  readonly bytes: Uint8Array;
  /** Start of the region, where an empty buffer starts. */
  readonly base: number;
  /** End of the region: bytes fit at `end` while end + length <= limit (the hot path tests that itself). */
  readonly limit: number;
  start: number;
  end: number;

  static bytesFor(size: number): number {
    return words(size);
  }

  constructor(memory: EngineMemory, size: number) {
    this.bytes = memory.bytes;
    this.base = this.start = this.end = memory.take(size);
    this.limit = this.base + size;
  }

  /** Offset where `length` contiguous bytes can be written, or -1 when they do not fit now. */
  reserve(length: number): number {
    if (this.end + length <= this.limit) return this.end;
    const base = this.base;
    if (this.start > base) {
      this.bytes.copyWithin(base, this.start, this.end);
      this.end -= this.start - base;
      this.start = base;
    }
    return this.end + length <= this.limit ? this.end : -1;
  }

  /** Forgets the pending bytes (a new connection, or none). */
  clear(): void {
    this.start = this.end = this.base;
  }
}
