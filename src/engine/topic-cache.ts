// The topics we publish to, remembered. A device publishes to the same few topics over and over, and on XS
// checking a topic (wildcards, U+0000, lone surrogates), measuring its UTF-8 and writing it character by
// character cost far more than the rest of a PUBLISH (about 1,900 computrons for a 36-character topic). So
// the last four topics are validated and measured once and their UTF-8 is kept in a slot of the engine's
// memory; a PUBLISH copies it from there with copyWithin. A repeat costs a few string comparisons: the same
// string (a device's constant topic) compares by identity, an equal one natively. Strings are immutable, so
// a topic equal to a remembered one has its length and passed the same checks.
//
// Four entries, the oldest replaced first, in plain fields: on XS an array costs more heap than they do.

import { MqttArgumentError } from "../codec/errors";
import { topicNameProblem } from "../codec/topic";
import { utf8Length, writeUtf8 } from "../codec/utf8";
import type { EngineMemory } from "./engine-memory";

/** Bytes kept per topic: its 2-byte length and up to 62 bytes of UTF-8; a longer topic is remembered as valid
 * but written from its string. */
const SLOT = 64;
const ENTRIES = 4;
const MAX_U16 = 0xffff;
// Compared through a constant: on XS a string literal in a comparison allocates a chunk on every run.
const EMPTY = "";

export class TopicCache {
  private readonly bytes: Uint8Array;
  private readonly base: number;
  private topic0 = EMPTY;
  private topic1 = EMPTY;
  private topic2 = EMPTY;
  private topic3 = EMPTY;
  private length0 = 0;
  private length1 = 0;
  private length2 = 0;
  private length3 = 0;
  private oldest = 0;
  /** UTF-8 bytes of the topic the last entry() call found (saves the publish path a second lookup)... */
  found = 0;
  /** ...and where its wire form (2-byte length, UTF-8) is in the memory, or -1 when it is too long to keep. */
  foundAt = -1;

  static bytesFor(): number {
    return ENTRIES * SLOT;
  }

  constructor(memory: EngineMemory) {
    this.bytes = memory.bytes;
    this.base = memory.take(ENTRIES * SLOT);
  }

  /** The entry (0 to 3) of `topic`, validated, measured and cached on its first use. Throws
   * MqttArgumentError("topic") for a topic that cannot be a topic name (nothing is remembered then). */
  entry(topic: string): number {
    // Unused entries hold "", which is never a topic name: once "" is out of the way, a match is real.
    if (topic === EMPTY) throw new MqttArgumentError("topic", "must not be empty");
    let entry: number;
    if (topic === this.topic0) entry = 0;
    else if (topic === this.topic1) entry = 1;
    else if (topic === this.topic2) entry = 2;
    else if (topic === this.topic3) entry = 3;
    else entry = this.remember(topic);
    const n = this.utf8Length(entry);
    this.found = n;
    this.foundAt = n <= SLOT - 2 ? this.base + entry * SLOT : -1;
    return entry;
  }

  topic(entry: number): string {
    return entry === 0 ? this.topic0 : entry === 1 ? this.topic1 : entry === 2 ? this.topic2 : this.topic3;
  }

  /** UTF-8 bytes of the entry's topic. */
  utf8Length(entry: number): number {
    return entry === 0 ? this.length0 : entry === 1 ? this.length1 : entry === 2 ? this.length2 : this.length3;
  }

  /** Writes the entry's topic, `n` bytes of UTF-8 (its utf8Length()), as an MQTT string (length, then UTF-8) at
   * out[pos...] and returns the position after it: for a buffer other than the memory, or a topic too long to
   * keep. (Into the memory, the publish path copies the wire form at foundAt itself, with copyWithin.) */
  write(entry: number, n: number, out: Uint8Array, pos: number): number {
    out[pos] = n >> 8;
    out[pos + 1] = n & 0xff;
    pos += 2;
    if (n > SLOT - 2) return writeUtf8(out, pos, this.topic(entry));
    const from = this.base + entry * SLOT + 2;
    for (let i = 0; i < n; i++) out[pos + i] = this.bytes[from + i];
    return pos + n;
  }

  private remember(topic: string): number {
    if (typeof topic !== "string") throw new MqttArgumentError("topic", "must be a string");
    const n = utf8Length(topic, "topic");
    if (n > MAX_U16) throw new MqttArgumentError("topic", "is longer than 65535 bytes in UTF-8");
    const problem = topicNameProblem(topic);
    if (problem !== null) throw new MqttArgumentError("topic", problem);
    const entry = this.oldest;
    this.oldest = (entry + 1) % ENTRIES;
    switch (entry) {
      case 0: this.topic0 = topic; this.length0 = n; break;
      case 1: this.topic1 = topic; this.length1 = n; break;
      case 2: this.topic2 = topic; this.length2 = n; break;
      default: this.topic3 = topic; this.length3 = n;
    }
    if (n <= SLOT - 2) {
      // The slot holds the topic as it goes on the wire: its 2-byte length, then its UTF-8.
      const at = this.base + entry * SLOT;
      this.bytes[at] = n >> 8;
      this.bytes[at + 1] = n & 0xff;
      writeUtf8(this.bytes, at + 2, topic);
    }
    return entry;
  }
}
