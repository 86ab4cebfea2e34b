// PUBLISH (3.3): topic name, packet identifier (QoS 1 and 2), MQTT 5 properties, then the payload, which
// runs to the end of the packet. This is the hot path both ways: encoding writes the topic and payload
// straight into the output, decoding reuses the last topic string when the bytes match and returns the
// payload as a window into the receive buffer.

import type { ProtocolVersion, PublishPacket, QoS } from "./packet";
import { MqttArgumentError, malformed, protocolError } from "./errors";
import { checkPacketId, readPacketId } from "./common";
import { propertiesLength, propertyBlockLength, writeProperties, writePropertyList, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { varintLength, writeVarint } from "./varint";
import { topicNameProblem } from "./topic";
import type { TopicMemo } from "./topic-memo";
import { decodeUtf8, utf8Equals, writeUtf8 } from "./utf8";
import { bytesLength, checkRange, copyBytes, stringLength, writeString, writeU16 } from "./writer";

const MASK = 1 << 3;
const TOPIC_ALIAS = 0x23;
// Compared through a constant: see EMPTY in engine/outbound-publishes.ts.
const EMPTY = "";

/** Fixed-header flags: DUP, QoS, RETAIN. */
export function publishFlags(p: PublishPacket): number {
  return (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0);
}

export function publishLength(p: PublishPacket, v: ProtocolVersion, memo?: TopicMemo): number {
  const qos = p.qos;
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new MqttArgumentError("qos", "must be 0, 1 or 2");
  if (qos > 0) checkPacketId(p.packetId);
  else if (p.dup) throw new MqttArgumentError("dup", "must be false for QoS 0");
  let n = topicFieldLength(p, v, memo) + (qos > 0 ? 2 : 0) + payloadLength(p);
  if (v === 5) {
    const alias = p.topicAlias;
    const aliasBytes = alias === undefined || alias === 0 ? 0 : aliasLength(p, alias);
    n += propertyBlockLength(propertiesLength(p.properties, MASK, "properties") + aliasBytes);
  }
  return n;
}

/** Bytes of a Topic Alias given beside the properties (PublishPacket.topicAlias). */
function aliasLength(p: PublishPacket, alias: number): number {
  checkRange(alias, 1, 0xffff, "topicAlias");
  if (p.properties?.topicAlias !== undefined) throw new MqttArgumentError("topicAlias", "is also given in properties.topicAlias");
  return 3;
}

/** The topic name field's length (length prefix included), after validating the topic; a topic the memo
 * remembers is already both. */
function topicFieldLength(p: PublishPacket, v: ProtocolVersion, memo: TopicMemo | undefined): number {
  const topic = p.topic;
  if (topic === EMPTY) {
    checkEmptyTopic(p, v);
    return 2;
  }
  const known = memo === undefined ? -1 : memo.utf8Length(topic);
  if (known >= 0) return 2 + known;
  const n = stringLength(topic, "topic");
  checkTopic(topic);
  memo?.remember(topic, n - 2);
  return n;
}

function checkTopic(topic: string): void {
  const problem = topicNameProblem(topic);
  if (problem !== null) throw new MqttArgumentError("topic", problem);
}

function checkEmptyTopic(p: PublishPacket, v: ProtocolVersion): void {
  if (v === 5 && (p.properties?.topicAlias !== undefined || (p.topicAlias ?? 0) > 0)) return;
  throw new MqttArgumentError("topic", "must not be empty (MQTT 5 allows it only with a topicAlias)");
}

/** Payload bytes on the wire; validates the window. A string payload is sent whole: the window applies to
 * Uint8Array payloads only. */
function payloadLength(p: PublishPacket): number {
  const payload = p.payload;
  if (typeof payload === "string") return bytesLength(payload, "payload");
  if (!(payload instanceof Uint8Array)) throw new MqttArgumentError("payload", "must be a Uint8Array or a string");
  const offset = p.payloadOffset ?? 0;
  const length = p.payloadLength ?? payload.length - offset;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 ||
    offset + length > payload.length) {
    throw new MqttArgumentError("payloadLength", "window lies outside the payload");
  }
  return length;
}

export function writePublish(p: PublishPacket, v: ProtocolVersion, out: Uint8Array, pos: number, rl: number): number {
  const bodyStart = pos;
  pos = writeString(out, pos, p.topic);
  if (p.qos > 0) pos = writeU16(out, pos, p.packetId);
  const payload = p.payload;
  const offset = typeof payload === "string" ? 0 : p.payloadOffset ?? 0;
  const length = typeof payload === "string" ? 0 : p.payloadLength ?? payload.length - offset;
  if (v === 5) {
    // The property block is what the measured remaining length leaves, so the properties are not
    // measured a second time (a string payload is measured instead, which is rarer and cheaper).
    const tail = typeof payload === "string" ? bytesLength(payload, "payload") : length;
    const len = propertyLengthOfBlock(rl - (pos - bodyStart) - tail);
    const alias = p.topicAlias;
    pos = alias === undefined || alias === 0 ? writeProperties(out, pos, p.properties, len) : writeAliasAndProperties(out, pos, p, alias, len);
  }
  if (typeof payload === "string") return writeUtf8(out, pos, payload);
  return copyBytes(out, pos, payload, offset, length);
}

/** Property Length `len`, the Topic Alias given beside the properties, then the properties. */
function writeAliasAndProperties(out: Uint8Array, pos: number, p: PublishPacket, alias: number, len: number): number {
  pos = writeVarint(out, pos, len);
  out[pos++] = TOPIC_ALIAS;
  pos = writeU16(out, pos, alias);
  return p.properties === undefined ? pos : writePropertyList(out, pos, p.properties);
}

/** The Property Length n for which a property block (varint n, then n bytes) takes `block` bytes. */
function propertyLengthOfBlock(block: number): number {
  for (let k = 1; k < 4; k++) if (varintLength(block - k) === k) return block - k;
  return block - 4;
}

/** Topics up to this many bytes are remembered as bytes too (longer ones are compared with the string). */
const CACHED_TOPIC_BYTES = 64;

/** The decoder's memory of the last topic, so a repeated topic costs no string allocation. Its wire bytes
 * are kept as well: comparing bytes with bytes costs less than half as much on XS as comparing them with
 * the string (about 700 against 1,640 computrons for a 28-byte topic). */
export class TopicCache {
  topic = "";
  private readonly bytes = new Uint8Array(CACHED_TOPIC_BYTES);
  /** Byte length of `topic` when its bytes are in `bytes`, else -1. */
  private length = -1;

  /** True when buf[start, end) is the remembered topic's UTF-8. */
  matches(buf: Uint8Array, start: number, end: number): boolean {
    const n = this.length;
    if (n < 0) return this.topic !== EMPTY && utf8Equals(buf, start, end, this.topic);
    if (end - start !== n) return false;
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) if (buf[start + i] !== bytes[i]) return false;
    return true;
  }

  /** Remembers `topic`, decoded and validated from buf[start, end). */
  remember(topic: string, buf: Uint8Array, start: number, end: number): void {
    this.topic = topic;
    const n = end - start;
    this.length = n <= CACHED_TOPIC_BYTES ? n : -1;
    if (n <= CACHED_TOPIC_BYTES) copyBytes(this.bytes, 0, buf, start, n);
  }
}

export function decodePublish(
  r: Reader,
  flags: number,
  v: ProtocolVersion,
  target: PublishPacket,
  store: PropertyStore,
  cache: TopicCache,
): void {
  const qos = (flags >> 1) & 3;
  if (qos === 3) throw malformed("PUBLISH.qos", "QoS 3");
  // [MQTT-3.3.1-2]; also keeps every decoded PUBLISH encodable again.
  if (qos === 0 && (flags & 8) !== 0) throw malformed("PUBLISH.dup", "DUP set on a QoS 0 message");
  target.qos = qos as QoS;
  target.dup = (flags & 8) !== 0;
  target.retain = (flags & 1) !== 0;
  target.topic = readTopic(r, cache);
  target.packetId = qos > 0 ? readPacketId(r, "PUBLISH.packetId") : 0;
  target.properties = v === 5 ? store.read(r, MASK, "PUBLISH.properties") : undefined;
  if (target.topic === "") emptyTopic(target, v);
  target.payload = r.buf;
  target.payloadOffset = r.pos;
  target.payloadLength = r.end - r.pos;
}

function readTopic(r: Reader, cache: TopicCache): string {
  const start = r.prefixed("PUBLISH.topic");
  const end = r.pos;
  if (start === end) return "";
  if (cache.matches(r.buf, start, end)) return cache.topic;
  const topic = decodeUtf8(r.buf, start, end, "PUBLISH.topic");
  const problem = topicNameProblem(topic);
  if (problem !== null) throw malformed("PUBLISH.topic", problem);
  cache.remember(topic, r.buf, start, end);
  return topic;
}

function emptyTopic(p: PublishPacket, v: ProtocolVersion): void {
  if (v !== 5) throw malformed("PUBLISH.topic", "empty topic name");
  if (p.properties?.topicAlias === undefined) throw protocolError("PUBLISH.topic", "empty topic name without a topic alias");
}

/** The decoded (or given) payload as a Uint8Array view of its window. Allocates a view. */
export function payloadView(p: PublishPacket): Uint8Array {
  const payload = p.payload;
  if (typeof payload === "string") {
    const bytes = new Uint8Array(bytesLength(payload, "payload"));
    writeUtf8(bytes, 0, payload);
    return bytes;
  }
  const offset = p.payloadOffset ?? 0;
  return payload.subarray(offset, offset + (p.payloadLength ?? payload.length - offset));
}
