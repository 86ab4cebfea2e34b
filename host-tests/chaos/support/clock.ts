// Clocks for the chaos sessions. The real one is the Node platform's; the virtual one lets a test move
// time while real sockets carry (or swallow) the bytes, so keepalive and backoff timing is checked
// exactly instead of against the wall clock.

export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): unknown;
  clearTimer(handle: unknown): void;
  random(): number;
}

interface VirtualTimer {
  at: number;
  callback: () => void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private time = 1_000;
  private timers: VirtualTimer[] = [];

  constructor(readonly random: () => number = () => 0.5) {}

  now(): number {
    return this.time >>> 0;
  }

  setTimer(delayMs: number, callback: () => void): unknown {
    const timer = { at: this.time + Math.max(0, delayMs), callback, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    if (handle) (handle as VirtualTimer).cancelled = true;
  }

  /** Moves time forward in `stepMs` steps, firing due timers and letting real I/O run between steps. */
  async advance(ms: number, stepMs = 10): Promise<void> {
    const end = this.time + ms;
    while (this.time < end) {
      this.time = Math.min(end, this.time + stepMs);
      this.fireDue();
      // A real millisecond per 10 virtual ones: loopback I/O through the proxy and mosquitto takes far less than
      // the shortest virtual timeout it races (a 2 s ping timeout is 200 ms real), even on a loaded machine.
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
      this.fireDue();
    }
  }

  /** Advances until `done()` holds; throws after `limitMs` of virtual time. */
  async until(done: () => boolean, limitMs: number, what: string): Promise<void> {
    const end = this.time + limitMs;
    while (!done()) {
      if (this.time >= end) throw new Error(`${what}: not within ${limitMs} ms of virtual time`);
      await this.advance(10);
    }
  }

  private fireDue(): void {
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      due.cancelled = true;
      this.timers = this.timers.filter((t) => !t.cancelled);
      due.callback();
    }
  }
}
