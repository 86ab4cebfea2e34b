// Keepalive timing on monotonic milliseconds. A PINGREQ goes out when nothing was sent for the interval
// (inbound traffic does not count: the server needs to hear from us); the connection is dead when the
// PINGRESP does not come back within the timeout. Differences are taken modulo 2^32, so a millisecond
// counter that wraps is handled.

export const KeepaliveAction = Object.freeze({ NONE: 0, PING: 1, DEAD: 2 } as const);

export function elapsed(now: number, since: number): number {
  return (now - since) >>> 0;
}

export class Keepalive {
  private intervalMs = 0;
  private timeoutMs = 0;
  /** When we last wrote anything (the transmitter sets it on every write: a field, on the hot path). */
  lastSent = 0;
  private pingSentAt = 0;
  private waiting = false;

  /** A connection begins; interval 0 turns keepalive off. */
  start(now: number, intervalMs: number, timeoutMs: number): void {
    this.intervalMs = intervalMs;
    this.timeoutMs = timeoutMs;
    this.lastSent = now;
    this.waiting = false;
  }

  stop(): void {
    this.intervalMs = 0;
    this.waiting = false;
  }


  pingSent(now: number): void {
    this.pingSentAt = now;
    this.waiting = true;
    this.lastSent = now;
  }

  pingAnswered(): void {
    this.waiting = false;
  }

  check(now: number): number {
    if (this.intervalMs === 0) return KeepaliveAction.NONE;
    if (this.waiting) return elapsed(now, this.pingSentAt) >= this.timeoutMs ? KeepaliveAction.DEAD : KeepaliveAction.NONE;
    return elapsed(now, this.lastSent) >= this.intervalMs ? KeepaliveAction.PING : KeepaliveAction.NONE;
  }

  /** Milliseconds until check() has something to do, or -1 when keepalive is off. */
  delay(now: number): number {
    if (this.intervalMs === 0) return -1;
    if (this.waiting) return Math.max(0, this.timeoutMs - elapsed(now, this.pingSentAt));
    return Math.max(0, this.intervalMs - elapsed(now, this.lastSent));
  }
}
