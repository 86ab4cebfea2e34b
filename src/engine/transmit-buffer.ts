// The engine's fixed transmit buffer: packets are encoded straight into it and the transport takes bytes
// from [start, end) at its own pace. Space is made by sliding the unsent bytes to the front, never by growing.

export class TransmitBuffer {
  readonly bytes: Uint8Array;
  start = 0;
  end = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  /** Offset where `length` contiguous bytes can be written, or -1 when they do not fit now. */
  reserve(length: number): number {
    if (this.end + length <= this.bytes.length) return this.end;
    if (this.start > 0) {
      this.bytes.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    return this.end + length <= this.bytes.length ? this.end : -1;
  }

  /** Bytes that are free after compaction. */
  room(): number {
    return this.bytes.length - (this.end - this.start);
  }

  commit(length: number): void {
    this.end += length;
  }

  consume(length: number): void {
    this.start += length;
    if (this.start >= this.end) this.start = this.end = 0;
  }

  clear(): void {
    this.start = this.end = 0;
  }
}
