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

/** Bytes of UTF-8 kept per topic; a longer topic is remembered as valid but written from its string. */
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
    if (topic === this.topic0) return 0;
    if (topic === this.topic1) return 1;
    if (topic === this.topic2) return 2;
    if (topic === this.topic3) return 3;
    return this.remember(topic);
  }

  topic(entry: number): string {
    return entry === 0 ? this.topic0 : entry === 1 ? this.topic1 : entry === 2 ? this.topic2 : this.topic3;
  }

  /** UTF-8 bytes of the entry's topic. */
  utf8Length(entry: number): number {
    return entry === 0 ? this.length0 : entry === 1 ? this.length1 : entry === 2 ? this.length2 : this.length3;
  }

  /** Writes the entry's topic as an MQTT string (length, then UTF-8) at out[pos...]; returns the position
   * after it. Into the engine's memory, a cached topic is one copyWithin. */
  write(entry: number, out: Uint8Array, pos: number): number {
    const n = this.utf8Length(entry);
    out[pos] = n >> 8;
    out[pos + 1] = n & 0xff;
    pos += 2;
    if (n > SLOT) return writeUtf8(out, pos, this.topic(entry));
    const from = this.base + entry * SLOT;
    if (out === this.bytes) out.copyWithin(pos, from, from + n);
    else for (let i = 0; i < n; i++) out[pos + i] = this.bytes[from + i];
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
    if (n <= SLOT) writeUtf8(this.bytes, this.base + entry * SLOT, topic);
    return entry;
  }
}
