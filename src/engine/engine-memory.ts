// The bytes an engine keeps, in one ArrayBuffer: its transmit and receive buffers, the session store's arena
// and record table, the control queue and the topic cache are regions of it, handed out once at
// construction and never grown.
//
// Why one buffer: on XS every typed array costs about 7 slots and a chunk header (128 bytes on a device)
// before its contents, and an engine used to hold 25 of them. And bytes move between regions (a PUBLISH
// from the transmit buffer into the store, a cached topic into the transmit buffer) with copyWithin,
// which is native and needs no view of either side. Byte regions are read through `bytes`, 32-bit tables
// through `words`, over the same memory.

/** One ArrayBuffer holding an engine's byte regions, with a byte view and a 32-bit word view over it. */
export class EngineMemory {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  private taken = 0;

  /** `byteLength`: the sum of the regions that will be taken, each rounded up by words(). */
  constructor(byteLength: number) {
    const buffer = new ArrayBuffer(words(byteLength));
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer);
  }

  /** Takes the next `length` bytes (rounded up to whole words) and returns their byte offset, a multiple of 4:
   * the region's 32-bit fields start at word offset >> 2. */
  take(length: number): number {
    const at = this.taken;
    const end = at + words(length);
    if (end > this.bytes.length) throw new RangeError(`engine memory: ${end} bytes needed, ${this.bytes.length} planned`);
    this.taken = end;
    return at;
  }
}

/** `length` rounded up to a whole number of 32-bit words, in bytes: what take(length) uses. */
export function words(length: number): number {
  return (length + 3) & ~3;
}
