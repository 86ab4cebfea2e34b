// Bytes a Node transport has taken but not yet handed to its socket, in reusable chunks.
//
// write() calls copy into the chunk being filled; once per event-loop turn the transport hands what is
// staged to the socket (net/tls: one corked write; WebSocket: one binary message per chunk), so a burst of
// small packets becomes one system call. A window handed over stays with the socket until it is sent, and
// later bytes go after it in the same chunk, so a trickle of small writes does not cost a chunk each.

export class WriteStaging {
  /** Bytes staged since the last take. */
  staged = 0;
  // Filled chunks waiting for the next flush, and the chunk being filled.
  private readonly full: Buffer[] = [];
  private current: Buffer | undefined;
  private currentLength = 0;
  /** current[0, currentFlushed) is already with the socket. */
  private currentFlushed = 0;

  constructor(private readonly chunkSize: number) {}

  add(bytes: Uint8Array, start: number, end: number): void {
    this.staged += end - start;
    while (start < end) {
      if (!this.current || this.currentLength === this.current.length) this.nextChunk();
      const chunk = this.current!;
      const n = Math.min(end - start, chunk.length - this.currentLength);
      chunk.set(bytes.subarray(start, start + n), this.currentLength);
      this.currentLength += n;
      start += n;
    }
  }

  /** More than one window waits: a socket that can batch (cork) them is worth asking to. */
  get several(): boolean {
    return this.full.length > 0;
  }

  /** Hands every staged window, oldest first, to `send`; the windows then belong to the socket. */
  take(send: (window: Uint8Array) => void): void {
    for (const chunk of this.full) send(chunk);
    this.full.length = 0;
    if (this.current && this.currentLength > this.currentFlushed) {
      const window = this.current.subarray(this.currentFlushed, this.currentLength);
      this.currentFlushed = this.currentLength;
      send(window);
    }
    this.staged = 0;
  }

  // A full chunk's unsent part joins the flush list; a fresh chunk takes its place.
  private nextChunk(): void {
    if (this.current && this.currentLength > this.currentFlushed) {
      this.full.push(this.current.subarray(this.currentFlushed, this.currentLength));
    }
    this.current = Buffer.allocUnsafe(this.chunkSize);
    this.currentLength = 0;
    this.currentFlushed = 0;
  }
}
