// Our PUBLISH packets, measured once and written as often as needed: into the transmit buffer with or without
// a topic alias, into the session store in its plain form (full topic, no alias, DUP 0). This is the engine's
// hot path, so it takes the publish's parts as they are rather than a packet object, and does not measure
// again what it measured: the codec's general encoder (encodePacket) validates and measures on every call.
// The topic comes from the TopicCache (one copyWithin), a whole Uint8Array payload is one native set.
//
// Between measure() and release() the encoder holds the app's payload and properties; release() drops them
// so that the client keeps nothing of the app's after publish() returns.

import { MqttArgumentError } from "../codec/errors";
import type { Bytes, ProtocolVersion, QoS } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { propertiesLength, writePropertyList } from "../codec/property-codec";
import { utf8Length, writeUtf8 } from "../codec/utf8";
import { varintLength, writeVarint } from "../codec/varint";
import type { TopicCache } from "../codec/topic-cache";

const PUBLISH_PROPERTIES = 1 << 3;
const TOPIC_ALIAS = 0x23;
/** Bytes a Topic Alias property takes. */
export const ALIAS_BYTES = 3;
/** Up to this many bytes a payload window is copied by a loop rather than through a view (4 slots on XS). */
const SMALL_COPY = 8;
const EMPTY = "";
/** What lastTopic holds before the first publish: equal to nothing an app can pass. */
const NO_TOPIC = Object.freeze({});

export class PublishEncoder {
  version: ProtocolVersion = 5;
  private readonly topics: TopicCache;
  /** The engine's memory, which holds the topic cache: a topic is copied from there with copyWithin. */
  private readonly memory: Uint8Array;
  private lastTopic: unknown = NO_TOPIC;
  private lastChanges = 0;
  private entry = 0;
  /** Where the topic's wire form is in `memory` (TopicCache.foundAt), or -1. */
  private topicAt = -1;
  private topicLength = 0;
  private qos: QoS = 0;
  private flags = 0;
  private payload: Bytes = EMPTY;
  private payloadStart = 0;
  private payloadLength = 0;
  private properties: Properties | undefined = undefined;
  private propertiesLength = 0;
  /** The Remaining Length of the plain form (full topic, no alias), from measure(). */
  private plainRemaining = 0;
  // The last payload window's view: a publish of the same window of the same buffer copies through it again.
  private windowSource: Uint8Array | undefined = undefined;
  private window: Uint8Array | undefined = undefined;

  constructor(topics: TopicCache, memory: Uint8Array) {
    this.topics = topics;
    this.memory = memory;
  }

  /** The measured publish's topic. */
  get topic(): string {
    return this.topics.topic(this.entry);
  }

  /**
   * Validates a publish and returns its size in plain form. Throws MqttArgumentError naming the argument.
   * A string payload is sent whole as UTF-8; `offset`/`length` select a window of a Uint8Array.
   */
  measure(topic: string, payload: Bytes, offset: number | undefined, length: number | undefined, qos: QoS, retain: boolean, properties: Properties | undefined): number {
    // The topic of the last publish again (telemetry) needs no lookup: its entry stays while no topic
    // replaces one in the cache (received topics are remembered there too).
    const topics = this.topics;
    if (topic !== this.lastTopic || topics.changes !== this.lastChanges) {
      this.entry = topics.entry(topic);
      this.topicLength = topics.found;
      this.topicAt = topics.foundAt;
      this.lastTopic = topic;
      this.lastChanges = topics.changes;
    }
    if (offset === undefined && length === undefined && payload instanceof Uint8Array) {
      this.payload = payload;
      this.payloadStart = 0;
      this.payloadLength = payload.length;
    } else {
      this.measurePayload(payload, offset, length);
    }
    this.qos = qos;
    this.flags = (qos << 1) | (retain ? 1 : 0);
    this.properties = properties;
    this.propertiesLength = this.version === 5 && properties !== undefined ? propertiesLength(properties, PUBLISH_PROPERTIES, "properties") : 0;
    let rl = 2 + this.topicLength + (qos > 0 ? 2 : 0) + this.payloadLength;
    if (this.version === 5) {
      const p = this.propertiesLength;
      rl += (p < 0x80 ? 1 : varintLength(p)) + p;
    }
    this.plainRemaining = rl;
    return 1 + (rl < 0x80 ? 1 : varintLength(rl)) + rl;
  }

  /** Bytes the PUBLISH takes with an alias (0: none) and with or without its topic name. */
  size(alias: number, withTopic: boolean): number {
    const rl = this.remainingLength(alias, withTopic);
    return 1 + varintLength(rl) + rl;
  }

  /** Writes the measured PUBLISH at out[at...] and returns its length; the caller made room (size()). */
  write(out: Uint8Array, at: number, packetId: number, alias: number, withTopic: boolean): number {
    out[at] = 0x30 | this.flags;
    const rl = alias === 0 && withTopic ? this.plainRemaining : this.remainingLength(alias, withTopic);
    let pos: number;
    if (rl < 0x80) {
      out[at + 1] = rl;
      pos = at + 2;
    } else {
      pos = writeVarint(out, at + 1, rl);
    }
    const topicAt = this.topicAt;
    if (!withTopic) {
      out[pos] = out[pos + 1] = 0;
      pos += 2;
    } else if (topicAt >= 0 && out === this.memory) {
      // The cached wire form of the topic, copied natively (see topic-cache.ts).
      out.copyWithin(pos, topicAt, topicAt + 2 + this.topicLength);
      pos += 2 + this.topicLength;
    } else {
      pos = this.topics.write(this.entry, this.topicLength, out, pos);
    }
    if (this.qos > 0) {
      out[pos] = packetId >> 8;
      out[pos + 1] = packetId & 0xff;
      pos += 2;
    }
    if (this.version === 5) {
      if (alias === 0 && this.propertiesLength === 0) out[pos++] = 0; // an empty property block
      else pos = this.writeProperties(out, pos, alias);
    }
    const payload = this.payload;
    const n = this.payloadLength;
    if (typeof payload === "string") return writeUtf8(out, pos, payload) - at;
    const start = this.payloadStart;
    if (start === 0 && n === payload.length) out.set(payload, pos);
    else if (n <= SMALL_COPY) for (let i = 0; i < n; i++) out[pos + i] = payload[start + i];
    else out.set(this.windowOf(payload, start, n), pos);
    return pos + n - at;
  }

  /** The measured publish carries a Message Expiry Interval (MQTT 5). */
  expires(): boolean {
    return this.version === 5 && this.properties?.messageExpiryInterval !== undefined;
  }

  /** Forgets the app's payload and properties. */
  release(): void {
    this.payload = EMPTY;
    this.properties = undefined;
  }

  private remainingLength(alias: number, withTopic: boolean): number {
    let n = 2 + (withTopic ? this.topicLength : 0) + (this.qos > 0 ? 2 : 0) + this.payloadLength;
    if (this.version === 5) {
      const p = this.propertiesLength + (alias > 0 ? ALIAS_BYTES : 0);
      n += varintLength(p) + p;
    }
    return n;
  }

  private measurePayload(payload: Bytes, offset: number | undefined, length: number | undefined): void {
    this.payload = payload;
    if (typeof payload === "string") {
      this.payloadStart = 0;
      this.payloadLength = utf8Length(payload, "payload");
      return;
    }
    if (!(payload instanceof Uint8Array)) throw new MqttArgumentError("payload", "must be a Uint8Array or a string");
    if (offset === undefined && length === undefined) {
      this.payloadStart = 0;
      this.payloadLength = payload.length;
      return;
    }
    const start = offset ?? 0;
    const n = length ?? payload.length - start;
    if (!Number.isInteger(start) || !Number.isInteger(n) || start < 0 || n < 0 || start + n > payload.length) {
      throw new MqttArgumentError("payloadLength", "window lies outside the payload");
    }
    this.payloadStart = start;
    this.payloadLength = n;
  }

  private writeProperties(out: Uint8Array, pos: number, alias: number): number {
    pos = writeVarint(out, pos, this.propertiesLength + (alias > 0 ? ALIAS_BYTES : 0));
    if (alias > 0) {
      out[pos] = TOPIC_ALIAS;
      out[pos + 1] = alias >> 8;
      out[pos + 2] = alias & 0xff;
      pos += ALIAS_BYTES;
    }
    const properties = this.properties;
    return properties === undefined || this.propertiesLength === 0 ? pos : writePropertyList(out, pos, properties);
  }

  // A window of the app's buffer needs a view for a native copy; the same window next time reuses it.
  private windowOf(payload: Uint8Array, start: number, n: number): Uint8Array {
    const view = this.window;
    if (view !== undefined && this.windowSource === payload && view.byteOffset === payload.byteOffset + start && view.length === n) return view;
    this.windowSource = payload;
    return (this.window = payload.subarray(start, start + n));
  }
}
