// Message expiry for publishes that wait in our queue. MQTT 5 gives a message a lifetime (Message Expiry
// Interval, seconds); the broker counts it down while the message waits there, and a client that holds a
// message back (offline, behind Receive Maximum) should do the same: a reading queued with 20 s to live that
// goes out a minute later must not arrive as fresh. When a queued publish is finally written, the time it
// waited is taken off its interval, or it is dropped (LocalReason.MESSAGE_EXPIRED) when none is left.
//
// The waiting times are kept here, in preallocated arrays with one slot per queue entry, not in the session
// store: they are monotonic milliseconds, which mean nothing after a reboot, so a store restored from flash
// sends its records with the interval they were queued with.

export class QueuedExpiry {
  private readonly tokens: Int32Array;
  private readonly queuedAt: Float64Array;
  private used = 0;

  constructor(capacity: number) {
    this.tokens = new Int32Array(capacity);
    this.queuedAt = new Float64Array(capacity);
  }

  /** Notes that publish `token` was queued at `now`; false when every slot is taken (it then keeps its interval). */
  add(token: number, now: number): boolean {
    if (this.used >= this.tokens.length) return false;
    this.tokens[this.used] = token;
    this.queuedAt[this.used] = now;
    this.used++;
    return true;
  }

  /** When publish `token` was queued, forgetting it; -1 if it was not noted. */
  take(token: number): number {
    for (let i = 0; i < this.used; i++) {
      if (this.tokens[i] !== token) continue;
      const at = this.queuedAt[i];
      this.used--;
      this.tokens[i] = this.tokens[this.used];
      this.queuedAt[i] = this.queuedAt[this.used];
      return at;
    }
    return -1;
  }

  get size(): number { return this.used; }
}
