// One direction of a proxied connection: reads from `from`, applies the faults, writes to `to`.
//
// Chunks go through a FIFO so that delays, stalls and single-byte splitting keep the byte order. The
// source is paused while the FIFO holds more than a high-water mark, so a stalled pump pushes back on the
// sender through TCP flow control instead of buffering without bound.

import type net from "node:net";

export type Direction = "up" | "down";

export interface PumpFaults {
  /** Hold bytes back (socket stays open). */
  stalled: boolean;
  /** Discard bytes silently and never close. */
  blackHole: boolean;
  /** Wait this long before forwarding each chunk. */
  delayMs: number;
  /** Forward one byte per write. */
  singleBytes: boolean;
}

const HIGH_WATER = 256 * 1024;

export class Pump {
  static noFaults(): PumpFaults {
    return { stalled: false, blackHole: false, delayMs: 0, singleBytes: false };
  }

  private readonly queue: Buffer[] = [];
  private queued = 0;
  private busy = false;
  private stopped = false;
  /** Bytes left before the cut; -1 when none is armed. */
  private cutBudget = -1;
  forwarded = 0;
  onForward: ((bytes: number) => void) | undefined;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly faults: PumpFaults,
    private readonly cut: () => void,
  ) {
    from.on("data", (chunk: Buffer) => this.take(chunk));
  }

  armCut(bytes: number): void {
    this.cutBudget = bytes;
    if (bytes === 0) this.cut();
  }

  disarmCut(): void {
    this.cutBudget = -1;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  /** Try to move bytes again (after a stall ends). */
  kick(): void {
    void this.drain();
  }

  private take(chunk: Buffer): void {
    if (this.stopped || this.faults.blackHole) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER) this.from.pause();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.stopped && !this.faults.stalled && !this.faults.blackHole) {
        if (this.faults.delayMs > 0) await sleep(this.faults.delayMs);
        // stop() may have emptied the queue during the delay.
        const chunk = this.queue.shift();
        if (chunk === undefined || this.stopped) return;
        this.queued -= chunk.length;
        if (!(await this.forward(chunk))) return;
      }
      if (this.queued <= HIGH_WATER && !this.stopped) this.from.resume();
    } finally {
      this.busy = false;
    }
  }

  /** Writes one chunk under the cut budget and the split fault; false once the connection was cut. */
  private async forward(chunk: Buffer): Promise<boolean> {
    let data = chunk;
    let cutNow = false;
    if (this.cutBudget >= 0 && data.length >= this.cutBudget) {
      data = data.subarray(0, this.cutBudget);
      cutNow = true;
    }
    if (this.faults.singleBytes) {
      for (let i = 0; i < data.length && !this.stopped; i++) {
        this.write(data.subarray(i, i + 1));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } else if (data.length > 0) {
      this.write(data);
    }
    if (this.cutBudget >= 0) this.cutBudget -= data.length;
    if (cutNow) {
      // Let the partial bytes leave before the reset, so the peer sees a packet torn in the middle.
      await new Promise<void>((resolve) => this.to.write(Buffer.alloc(0), () => resolve()));
      this.stopped = true;
      this.cut();
      return false;
    }
    return true;
  }

  private write(data: Buffer): void {
    if (this.to.destroyed) return;
    this.to.write(data);
    this.forwarded += data.length;
    this.onForward?.(data.length);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
