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

/**
 * Offset of the 4-byte Message Expiry Interval inside an encoded MQTT 5 PUBLISH at bytes[offset...], or -1.
 * Our encoder writes properties in ascending identifier order, so the interval (0x02) can only follow the
 * Payload Format Indicator (0x01, one byte) at the start of the property block.
 */
export function messageExpiryOffset(bytes: Uint8Array, offset: number): number {
  const qos = (bytes[offset] >> 1) & 3;
  let p = offset + 1;
  while ((bytes[p++] & 0x80) !== 0);
  p += 2 + ((bytes[p] << 8) | bytes[p + 1]);
  if (qos > 0) p += 2;
  let propertyLength = 0;
  let shift = 0;
  let digit: number;
  do {
    digit = bytes[p++];
    propertyLength += (digit & 0x7f) << shift;
    shift += 7;
  } while ((digit & 0x80) !== 0);
  const end = p + propertyLength;
  if (p < end && bytes[p] === 0x01) p += 2;
  return p + 5 <= end && bytes[p] === 0x02 ? p + 1 : -1;
}

/** Reads the big-endian four-byte integer at bytes[at...]. */
export function readFourByte(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** Writes `value` as a big-endian four-byte integer at bytes[at...]. */
export function writeFourByte(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
