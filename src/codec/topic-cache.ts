// The topics a connection uses, remembered both ways. A device publishes to, and hears on, the same few topics
// over and over, and on XS the per-character work on a topic costs more than the rest of a PUBLISH: checking
// it (wildcards, U+0000, lone surrogates), measuring and writing its UTF-8 on the way out (about 1,900
// computrons for a 36-character topic), decoding it into a new string on the way in. So the last four topics
// are kept with their wire form (2-byte length, then UTF-8) in slots of a byte region the owner gives:
// - out: entry(topic) finds a remembered topic by string comparison (the same string compares by identity,
//   an equal one natively; strings are immutable, so an equal topic passed the same checks), and a PUBLISH
//   copies its wire form from foundAt (copyWithin when the region is in the same memory);
// - in: match(bytes) finds a remembered topic by its bytes and returns its string, so a repeated topic is
//   neither decoded nor checked again, and allocates nothing.
// Four entries, the oldest replaced first, in plain fields: on XS an array costs more heap than they do.

import { MqttArgumentError } from "./errors";
import { topicNameProblem } from "./topic";
import { utf8Equals, utf8Length, writeUtf8 } from "./utf8";

/** Bytes kept per topic: its 2-byte length and up to 62 bytes of UTF-8. A longer topic is remembered as valid
 * but written from its string and recognised by comparing with its string. */
const SLOT = 64;
const ENTRIES = 4;
const MAX_U16 = 0xffff;
// Compared through a constant: on XS a string literal in a comparison allocates a chunk on every run.
const EMPTY = "";

/** The last four topics a connection used, with their wire form (see the comment at the top of this file). */
export class TopicCache {
  /** Bytes of region a cache needs. */
  static readonly BYTES = ENTRIES * SLOT;

  private readonly bytes: Uint8Array;
  private readonly base: number;
  private topic0 = EMPTY;
  private topic1 = EMPTY;
  private topic2 = EMPTY;
  private topic3 = EMPTY;
  private length0 = -1;
  private length1 = -1;
  private length2 = -1;
  private length3 = -1;
  private oldest = 0;
  /** Counts replaced entries: an entry number someone kept is still that topic's while this is unchanged. */
  changes = 0;
  /** UTF-8 bytes of the topic the last entry() call found (saves the publish path a second lookup)... */
  found = 0;
  /** ...and where its wire form is in `bytes`, or -1 when it is too long to keep. */
  foundAt = -1;

  /** The cache keeps its slots in bytes[at, at + TopicCache.BYTES). */
  constructor(bytes: Uint8Array, at: number) {
    this.bytes = bytes;
    this.base = at;
  }

  /** The entry (0 to 3) of `topic`, validated, measured and cached on its first use, with `found` and
   * `foundAt` set. Throws MqttArgumentError("topic") for a topic that cannot be a topic name. */
  entry(topic: string): number {
    // Unused entries hold "", which is never a topic name: once "" is out of the way, a match is real.
    if (topic === EMPTY) throw new MqttArgumentError("topic", "must not be empty");
    let entry: number;
    if (topic === this.topic0) entry = 0;
    else if (topic === this.topic1) entry = 1;
    else if (topic === this.topic2) entry = 2;
    else if (topic === this.topic3) entry = 3;
    else entry = this.remember(topic, validatedLength(topic), undefined, 0);
    const n = this.utf8Length(entry);
    this.found = n;
    this.foundAt = n <= SLOT - 2 ? this.base + entry * SLOT : -1;
    return entry;
  }

  /** The remembered topic whose UTF-8 is buf[start, end), or undefined. Allocates nothing. */
  match(buf: Uint8Array, start: number, end: number): string | undefined {
    const n = end - start;
    if (n === this.length0 && this.holds(0, buf, start, n)) return this.topic0;
    if (n === this.length1 && this.holds(1, buf, start, n)) return this.topic1;
    if (n === this.length2 && this.holds(2, buf, start, n)) return this.topic2;
    if (n === this.length3 && this.holds(3, buf, start, n)) return this.topic3;
    return undefined;
  }

  /** Remembers a received topic, decoded from buf[start, end) and found valid by the caller. */
  learn(topic: string, buf: Uint8Array, start: number, end: number): void {
    this.remember(topic, end - start, buf, start);
  }

  /** The entry's topic. */
  topic(entry: number): string {
    return entry === 0 ? this.topic0 : entry === 1 ? this.topic1 : entry === 2 ? this.topic2 : this.topic3;
  }

  /** UTF-8 bytes of the entry's topic. */
  utf8Length(entry: number): number {
    return entry === 0 ? this.length0 : entry === 1 ? this.length1 : entry === 2 ? this.length2 : this.length3;
  }

  /** Writes the entry's topic, `n` bytes of UTF-8 (its utf8Length()), as an MQTT string (length, then UTF-8) at
   * out[pos...] and returns the position after it. (Into the region's own memory, the publish path copies
   * the wire form at foundAt itself, with copyWithin.) */
  write(entry: number, n: number, out: Uint8Array, pos: number): number {
    out[pos] = n >> 8;
    out[pos + 1] = n & 0xff;
    pos += 2;
    if (n > SLOT - 2) return writeUtf8(out, pos, this.topic(entry));
    const from = this.base + entry * SLOT + 2;
    for (let i = 0; i < n; i++) out[pos + i] = this.bytes[from + i];
    return pos + n;
  }

  // The slot's bytes equal buf[start, start + n) (n is the entry's length); a topic too long for its slot is
  // compared with its string.
  private holds(entry: number, buf: Uint8Array, start: number, n: number): boolean {
    if (n > SLOT - 2) return utf8Equals(buf, start, start + n, this.topic(entry));
    const bytes = this.bytes;
    const from = this.base + entry * SLOT + 2;
    for (let i = 0; i < n; i++) if (buf[start + i] !== bytes[from + i]) return false;
    return true;
  }

  // Replaces the oldest entry with `topic` (n bytes of UTF-8, found in `from` at `start`, or written from the
  // string when `from` is undefined).
  private remember(topic: string, n: number, from: Uint8Array | undefined, start: number): number {
    const entry = this.oldest;
    this.oldest = (entry + 1) % ENTRIES;
    this.changes++;
    switch (entry) {
      case 0: this.topic0 = topic; this.length0 = n; break;
      case 1: this.topic1 = topic; this.length1 = n; break;
      case 2: this.topic2 = topic; this.length2 = n; break;
      default: this.topic3 = topic; this.length3 = n;
    }
    if (n <= SLOT - 2) {
      const at = this.base + entry * SLOT;
      const bytes = this.bytes;
      bytes[at] = n >> 8;
      bytes[at + 1] = n & 0xff;
      if (from === undefined) writeUtf8(bytes, at + 2, topic);
      else for (let i = 0; i < n; i++) bytes[at + 2 + i] = from[start + i];
    }
    return entry;
  }
}

/** The UTF-8 length of a topic we are to send, after checking it can be a topic name. */
function validatedLength(topic: string): number {
  if (typeof topic !== "string") throw new MqttArgumentError("topic", "must be a string");
  const n = utf8Length(topic, "topic");
  if (n > MAX_U16) throw new MqttArgumentError("topic", "is longer than 65535 bytes in UTF-8");
  const problem = topicNameProblem(topic);
  if (problem !== null) throw new MqttArgumentError("topic", problem);
  return n;
}
