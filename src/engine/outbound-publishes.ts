// Our publishes, from publish() to their completion: written at once when the way is clear, otherwise kept
// in order in the session store (offline, behind the server's Receive Maximum, or behind a full transmit
// buffer) and written by pump() as room appears. QoS>0 messages stay in the store, in their plain form (full
// topic, no alias), until PUBACK or PUBCOMP; a resumed session resends them from there with DUP=1.

import { MqttArgumentError } from "../codec/errors";
import type { AckPacket, Bytes, ProtocolVersion, QoS } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { EngineMemory } from "./engine-memory";
import type { OutboundAliases } from "./outbound-aliases";
import type { PacketIdAllocator } from "./packet-ids";
import { PublishEncoder } from "./publish-encoder";
import type { ServerLimits } from "./server-limits";
import { RecordKind } from "./session-store";
import type { RecordKindValue, SessionStore } from "./session-store";
import type { TopicCache } from "../codec/topic-cache";
import type { Transmitter } from "./transmitter";
import { LocalReason, PublishResult } from "./types";
import { isWellFormedUtf8Payload } from "./utf8";
import { QueuedExpiry } from "./queued-expiry";
import { countDownInterval, messageExpiryOffset, patchPublish } from "./encoded-publish";
import type { EngineHandler } from "./types";

const PUBREL = 6;
const PACKET_ID_NOT_FOUND = 0x92;
const PACKET_TOO_LARGE = 0x95;
const RETAIN_NOT_SUPPORTED = 0x9a;
const QOS_NOT_SUPPORTED = 0x9b;
const NOT_NOW = -2;

export interface OutboundConfig {
  maxInflight: number;
  queueLimit: number;
  queueByteLimit: number;
  transmitBufferSize: number;
}

export class OutboundPublishes {
  /** Set by the engine: true between a successful CONNACK and the end of that connection. */
  connected = false;
  private readonly store: SessionStore;
  private readonly tx: Transmitter;
  private readonly ids: PacketIdAllocator;
  /** What the server announced: the engine swaps in each CONNACK's. */
  limits: ServerLimits;
  private readonly aliases: OutboundAliases;
  private readonly handler: EngineHandler;
  private readonly encoder: PublishEncoder;
  private readonly maxInflight: number;
  private readonly queueLimit: number;
  private readonly queueByteLimit: number;
  private readonly transmitBufferSize: number;
  /** When queued publishes with a Message Expiry Interval were queued: made for the first, dropped after the last. */
  private expiry: QueuedExpiry | undefined = undefined;
  // The next record to write in this connection (-1: everything is written).
  private cursor = -1;
  private inflight = 0;
  private queuedCount = 0;
  private queuedBytes = 0;
  private pumping = false;
  private tokenSeq = 0;

  constructor(store: SessionStore, tx: Transmitter, ids: PacketIdAllocator, limits: ServerLimits, aliases: OutboundAliases, handler: EngineHandler, config: OutboundConfig, topics: TopicCache, memory: EngineMemory) {
    this.store = store;
    this.tx = tx;
    this.ids = ids;
    this.limits = limits;
    this.aliases = aliases;
    this.handler = handler;
    this.encoder = new PublishEncoder(topics, memory.bytes);
    this.maxInflight = config.maxInflight;
    this.queueLimit = config.queueLimit;
    this.queueByteLimit = config.queueByteLimit;
    this.transmitBufferSize = config.transmitBufferSize;
    this.restoreFromStore();
  }

  set version(version: ProtocolVersion) {
    this.encoder.version = version;
  }

  get inflightCount(): number { return this.inflight; }
  get queuedMessages(): number { return this.queuedCount; }

  /** Tokens identify publishes and subscribe/unsubscribe requests to the app: 1 to 2^31-1, then round. */
  nextToken(): number {
    this.tokenSeq = this.upcomingToken();
    return this.tokenSeq;
  }

  // The token nextToken() will give: a publish takes it only once its record is stored.
  private upcomingToken(): number {
    return this.tokenSeq >= 0x7fffffff ? 1 : this.tokenSeq + 1;
  }

  submit(topic: string, payload: Bytes, offset: number | undefined, length: number | undefined, qos: QoS, retain: boolean, properties: Properties | undefined): number {
    if (qos !== 0 && qos !== 1 && qos !== 2) throw new MqttArgumentError("qos", "must be 0, 1 or 2");
    if (properties !== undefined) checkProperties(properties, payload, offset, length);
    const limits = this.limits;
    if (qos > limits.maximumQoS || (retain && !limits.retainAvailable)) limits.checkPublish(qos, retain);
    const encoder = this.encoder;
    const size = encoder.measure(topic, payload, offset, length, qos, retain, properties);
    if (limits.maximumPacketSize !== 0 && size > limits.maximumPacketSize) limits.checkPacketSize(size, "payload");
    if (size > this.transmitBufferSize) throw new MqttArgumentError("payload", `a ${size}-byte PUBLISH exceeds the transmit buffer`);
    let result: number = NOT_NOW;
    // Written now when connected, nothing waits ahead of it, and (QoS>0) the server's Receive Maximum allows.
    if (this.connected && this.cursor < 0 && this.tx.control.length === 0 && (qos === 0 || this.inflight < this.sendLimit())) {
      result = this.writeNow(size, qos);
    }
    if (result === NOT_NOW) result = this.enqueue(size, qos);
    encoder.release();
    return result;
  }

  /** CONNACK success: without a session, in-flight messages follow the policy; then resend from the start. */
  resume(sessionPresent: boolean, resendWhenLost: boolean): void {
    if (!sessionPresent) this.sessionLost(resendWhenLost);
    this.cursor = this.store.first();
  }

  /** Something waits to be written: control packets or records from the cursor on. */
  waiting(): boolean {
    return this.cursor >= 0 || this.tx.control.length > 0;
  }

  /** Writes what waits, in order: control packets first, then the records from the cursor on. */
  pump(): void {
    if (this.pumping || !this.connected) return;
    this.pumping = true;
    try {
      this.tx.flushControl();
      while (this.cursor >= 0 && !this.tx.controlWaiting() && this.connected) {
        if (!this.writeRecord(this.cursor)) break;
      }
    } finally {
      this.pumping = false;
    }
  }

  onPuback(p: AckPacket): void {
    this.acknowledged(p.packetId, p.reasonCode, p.properties);
  }

  /** PUBACK (or a 2-byte one read without the decoder): the QoS 1 publish `packetId` is done. */
  acknowledged(packetId: number, reasonCode: number, properties: Properties | undefined): void {
    const h = this.findRecord(RecordKind.PUBLISH, 1, packetId);
    if (h >= 0) this.complete(h, reasonCode, properties);
  }

  onPubrec(p: AckPacket): void {
    const h = this.findRecord(RecordKind.PUBLISH, 2, p.packetId);
    if (h < 0) {
      const released = this.findRecord(RecordKind.PUBREL, 2, p.packetId) >= 0;
      return this.tx.writeControl(PUBREL, p.packetId, released ? 0 : PACKET_ID_NOT_FOUND);
    }
    if (p.reasonCode >= 0x80) return this.complete(h, p.reasonCode, p.properties);
    this.store.update(h, RecordKind.PUBREL, p.packetId);
    this.tx.writeControl(PUBREL, p.packetId, 0);
  }

  onPubcomp(p: AckPacket): void {
    const h = this.findRecord(RecordKind.PUBREL, 2, p.packetId);
    if (h >= 0) this.complete(h, p.reasonCode, p.properties);
  }

  // Writes the measured publish into the transmit buffer; a QoS>0 message goes to the store first, in its
  // plain form. Aliases are used only when both sides keep some (the server's Topic Alias Maximum and our
  // outboundTopicAliases), and not when the alias would make the PUBLISH larger than the server's Maximum
  // Packet Size: it then goes out with the full topic and no alias.
  private writeNow(size: number, qos: QoS): number {
    const encoder = this.encoder;
    const aliases = this.aliases;
    let alias = 0;
    let withTopic = true;
    let sent = size;
    if (aliases.limit > 0) {
      const known = aliases.known(encoder.topic);
      const aliased = encoder.size(1, known === 0);
      if (this.limits.fits(aliased)) {
        alias = known > 0 ? known : -1; // -1: one is bound below, once the publish is sure to go
        withTopic = known === 0;
        sent = aliased;
      }
    }
    const buffer = this.tx.buffer;
    const room = sent > size ? sent : size;
    const offset = buffer.end + room <= buffer.limit ? buffer.end : buffer.reserve(room);
    if (offset < 0) return NOT_NOW;
    let token: number = PublishResult.WRITTEN;
    let id = 0;
    let record = -1;
    if (qos > 0) {
      id = this.ids.allocate();
      if (id === 0) return NOT_NOW;
      token = this.upcomingToken();
      record = this.appendEncoded(RecordKind.PUBLISH, qos, id, token, size);
      if (record < 0) {
        this.ids.release(id);
        return PublishResult.QUEUE_FULL;
      }
      this.tokenSeq = token;
      this.inflight++;
    }
    if (alias < 0) alias = aliases.assign(encoder.topic);
    // The stored record is the PUBLISH as it goes out without an alias: a store with a buffer of its own has
    // it there (copy it over); any other store was given it from here, at `offset` (nothing to do, and no
    // read back from flash).
    if (alias === 0 && record >= 0) {
      if (this.store.buffer !== undefined) this.store.copyTo(record, buffer.bytes, offset);
    } else sent = encoder.write(buffer.bytes, offset, id, alias, withTopic);
    this.tx.committed(sent);
    return token;
  }

  private enqueue(size: number, qos: QoS): number {
    if (this.queuedCount >= this.queueLimit || this.queuedBytes + size > this.queueByteLimit) return PublishResult.QUEUE_FULL;
    const token = this.upcomingToken();
    const h = this.appendEncoded(RecordKind.QUEUED, qos, 0, token, size);
    if (h < 0) return PublishResult.QUEUE_FULL;
    this.tokenSeq = token;
    if (this.encoder.expires()) (this.expiry ??= new QueuedExpiry(this.queueLimit)).add(token, this.tx.clock);
    this.queuedCount++;
    this.queuedBytes += size;
    if (this.cursor < 0) this.cursor = h;
    this.pump();
    return token;
  }

  // Stores the measured publish in its plain form. A store that offers room in a buffer of its own (the
  // memory store) has it encoded there and appended without a copy; another store copies it from free room
  // in the transmit buffer, or from a buffer made for the occasion when there is none.
  private appendEncoded(kind: RecordKindValue, qos: QoS, packetId: number, token: number, size: number): number {
    const store = this.store;
    const encoder = this.encoder;
    const own = store.buffer;
    if (own !== undefined && store.placement !== undefined) {
      const at = store.placement(size);
      if (at < 0) return -1;
      encoder.write(own, at, packetId, 0, true);
      return store.append(kind, qos, packetId, token, own, at, at + size);
    }
    const buffer = this.tx.buffer;
    const free = buffer.reserve(size);
    const out = free >= 0 ? buffer.bytes : new Uint8Array(size);
    const at = free >= 0 ? free : 0;
    encoder.write(out, at, packetId, 0, true);
    return store.append(kind, qos, packetId, token, out, at, at + size);
  }

  // Writes the record at the cursor and advances it; false when it has to wait.
  private writeRecord(h: number): boolean {
    const store = this.store;
    const kind = store.kind(h);
    const next = store.next(h);
    if (kind === RecordKind.PUBREL) {
      this.tx.writeControl(PUBREL, store.packetId(h), 0);
      this.cursor = next;
      return true;
    }
    const qos = store.qos(h);
    const queued = kind === RecordKind.QUEUED;
    const size = store.byteLength(h);
    if (queued && !this.queuedStillAllowed(h, size, qos)) {
      this.cursor = next;
      return true;
    }
    if (queued && qos > 0 && this.inflight >= this.sendLimit()) return false;
    const buffer = this.tx.buffer;
    const offset = buffer.reserve(size);
    if (offset < 0) return false;
    let id = store.packetId(h);
    if (queued && qos > 0) {
      id = this.ids.allocate();
      if (id === 0) return false;
    }
    store.copyTo(h, buffer.bytes, offset);
    if (queued && !this.stillSendable(h, size, buffer.bytes, offset)) {
      if (qos > 0) this.ids.release(id);
      this.cursor = next;
      return true;
    }
    patchPublish(buffer.bytes, offset, id, kind === RecordKind.PUBLISH);
    this.tx.committed(size);
    this.cursor = next;
    if (queued) this.dequeued(h, qos, id, size);
    return true;
  }

  // A queued publish copied into the transmit buffer at `offset`: refused when it is retained and the server
  // no longer takes retained messages, dropped when its Message Expiry Interval ran out while it waited.
  private stillSendable(h: number, size: number, bytes: Uint8Array, offset: number): boolean {
    if (!this.limits.retainAvailable && (bytes[offset] & 1) === 1) {
      this.dropQueued(h, size, RETAIN_NOT_SUPPORTED);
      return false;
    }
    return this.expiry === undefined || this.countDownExpiry(h, size, bytes, offset);
  }

  // A queued publish the server announced it would refuse (limits can shrink across reconnects) fails back;
  // a retained one is judged once copied (stillSendable).
  private queuedStillAllowed(h: number, size: number, qos: QoS): boolean {
    let code = 0;
    if (!this.limits.fits(size)) code = PACKET_TOO_LARGE;
    else if (qos > this.limits.maximumQoS) code = QOS_NOT_SUPPORTED;
    if (code === 0) return true;
    this.dropQueued(h, size, code);
    return false;
  }

  // A queued publish leaves the queue unwritten and completes with `code`.
  private dropQueued(h: number, size: number, code: number): void {
    this.queuedCount--;
    this.queuedBytes -= size;
    const token = this.store.token(h);
    this.takeQueuedAt(token);
    this.store.remove(h);
    this.handler.onPublishDone(token, code, undefined);
  }

  // Takes the time a queued publish waited off its Message Expiry Interval in the transmit copy; when nothing is
  // left it is dropped (not written) and completes with MESSAGE_EXPIRED. False when it was dropped.
  private countDownExpiry(h: number, size: number, bytes: Uint8Array, offset: number): boolean {
    const queuedAt = this.takeQueuedAt(this.store.token(h));
    if (queuedAt < 0) return true;
    const at = messageExpiryOffset(bytes, offset);
    if (at < 0) return true;
    if (countDownInterval(bytes, at, Math.floor((this.tx.clock - queuedAt) / 1000))) return true;
    this.dropQueued(h, size, LocalReason.MESSAGE_EXPIRED);
    return false;
  }

  // When publish `token` was queued (-1: not noted); the table goes once it is empty.
  private takeQueuedAt(token: number): number {
    const expiry = this.expiry;
    if (expiry === undefined) return -1;
    const at = expiry.take(token);
    if (expiry.size === 0) this.expiry = undefined;
    return at;
  }

  private dequeued(h: number, qos: QoS, id: number, size: number): void {
    this.queuedCount--;
    this.queuedBytes -= size;
    if (qos > 0) {
      this.store.update(h, RecordKind.PUBLISH, id);
      this.inflight++;
      return;
    }
    const token = this.store.token(h);
    this.store.remove(h);
    this.handler.onPublishDone(token, 0, undefined);
  }

  private complete(h: number, reasonCode: number, properties: Properties | undefined): void {
    const token = this.store.token(h);
    const id = this.store.packetId(h);
    if (this.cursor === h) this.cursor = this.store.next(h);
    this.store.remove(h);
    this.ids.release(id);
    this.inflight--;
    this.handler.onPublishDone(token, reasonCode, properties);
  }

  private findRecord(kind: RecordKindValue, qos: QoS, packetId: number): number {
    return this.store.find(kind, qos, packetId);
  }

  // The server forgot our in-flight messages: each is sent again as new (resend) or failed back
  // (policy "fail", and always for the PUBREL stage, whose delivery the server may or may not have made).
  private sessionLost(resend: boolean): void {
    const store = this.store;
    let h = store.first();
    while (h >= 0) {
      const next = store.next(h);
      const kind = store.kind(h);
      if (kind !== RecordKind.QUEUED) {
        this.ids.release(store.packetId(h));
        if (resend && kind === RecordKind.PUBLISH) {
          store.update(h, RecordKind.QUEUED, 0);
          this.queuedCount++;
          this.queuedBytes += store.byteLength(h);
        } else {
          const token = store.token(h);
          store.remove(h);
          this.handler.onPublishDone(token, LocalReason.SESSION_LOST, undefined);
        }
      }
      h = next;
    }
    this.inflight = 0;
  }

  private sendLimit(): number {
    const serverMaximum = this.limits.receiveMaximum;
    return serverMaximum < this.maxInflight ? serverMaximum : this.maxInflight;
  }

  // A store handed over from an earlier engine (or opened from flash after a reboot): its in-flight ids are in
  // use, its queue counts, and new ids continue after the last one it assigned.
  private restoreFromStore(): void {
    const store = this.store;
    const last = store.lastPacketId?.() ?? 0;
    if (last > 0) this.ids.continueAfter(last);
    for (let h = store.first(); h >= 0; h = store.next(h)) {
      if (store.token(h) > this.tokenSeq) this.tokenSeq = store.token(h);
      if (store.kind(h) === RecordKind.QUEUED) {
        this.queuedCount++;
        this.queuedBytes += store.byteLength(h);
      } else {
        this.ids.claim(store.packetId(h));
        this.inflight++;
      }
    }
  }
}

// What an app may not put in a PUBLISH's properties, and what it puts there must hold: a Topic Alias is the
// engine's to assign, and a payload that says it is UTF-8 (Payload Format Indicator 1) must be (the receiver
// may refuse it with 0x99).
function checkProperties(properties: Properties, payload: Bytes, offset: number | undefined, length: number | undefined): void {
  if (properties.topicAlias !== undefined) throw new MqttArgumentError("properties.topicAlias", "topic aliases are assigned by the engine");
  if (properties.payloadFormatIndicator === 1 && typeof payload !== "string" && !isWellFormedUtf8Payload(payload, offset, length)) {
    throw new MqttArgumentError("payload", "is not well-formed UTF-8 but properties.payloadFormatIndicator is 1");
  }
}
