// Our publishes, from publish() to their completion: written at once when the way is clear, otherwise kept
// in order in the session store (offline, behind the server's Receive Maximum, or behind a full transmit
// buffer) and written by pump() as room appears. QoS>0 messages stay in the store, in their plain form (full
// topic, no alias), until PUBACK or PUBCOMP; a resumed session resends them from there with DUP=1.

import { encodedLength, encodePacket, TopicMemo } from "../codec/index";
import { MqttArgumentError } from "../codec/errors";
import type { AckPacket, Bytes, ProtocolVersion, PublishPacket, QoS } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { OutboundAliases } from "./outbound-aliases";
import type { PacketIdAllocator } from "./packet-ids";
import type { ServerLimits } from "./server-limits";
import { RecordKind } from "./session-store";
import type { SessionStore } from "./session-store";
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
// An alias can make a PUBLISH this much longer: the property (3 bytes) and two length fields growing.
const ALIAS_SLACK = 5;
// Compared and assigned through a constant: on XS a string literal there allocates a chunk on every run,
// and a property of a primitive string (`topic.length`) allocates a wrapper object.
const EMPTY = "";

export interface OutboundConfig {
  maxInflight: number;
  queueLimit: number;
  queueByteLimit: number;
  transmitBufferSize: number;
}

export class OutboundPublishes {
  /** Set by the engine: true between a successful CONNACK and the end of that connection. */
  connected = false;
  version: ProtocolVersion = 5;
  private readonly store: SessionStore;
  private readonly tx: Transmitter;
  private readonly ids: PacketIdAllocator;
  private readonly limits: ServerLimits;
  private readonly aliases: OutboundAliases;
  private readonly handler: EngineHandler;
  private readonly config: OutboundConfig;
  private readonly scratch: Uint8Array;
  private readonly expiry: QueuedExpiry;
  // The next record to write in this connection (-1: everything is written).
  private cursor = -1;
  private inflight = 0;
  private queuedCount = 0;
  private queuedBytes = 0;
  private pumping = false;
  private tokenSeq = 0;
  // Reused for every publish: the hot path allocates nothing.
  private readonly pub: PublishPacket = { type: 3, topic: "", qos: 0, retain: false, dup: false, packetId: 0, payload: "", topicAlias: undefined };
  // A repeated topic is validated and measured once (most of a PUBLISH's encoding cost on XS).
  private readonly topicMemo = new TopicMemo();

  constructor(store: SessionStore, tx: Transmitter, ids: PacketIdAllocator, limits: ServerLimits, aliases: OutboundAliases, handler: EngineHandler, config: OutboundConfig) {
    this.store = store;
    this.tx = tx;
    this.ids = ids;
    this.limits = limits;
    this.aliases = aliases;
    this.handler = handler;
    this.config = config;
    this.scratch = new Uint8Array(config.transmitBufferSize);
    this.expiry = new QueuedExpiry(config.queueLimit);
    this.restoreFromStore();
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
    if (properties?.topicAlias !== undefined) throw new MqttArgumentError("properties.topicAlias", "topic aliases are assigned by the engine");
    this.limits.checkPublish(qos, retain);
    if (properties?.payloadFormatIndicator === 1 && typeof payload !== "string") checkUtf8Payload(payload, offset, length);
    const pub = this.pub;
    pub.topic = topic;
    pub.qos = qos;
    pub.retain = retain;
    pub.dup = false;
    pub.packetId = qos === 0 ? 0 : 1;
    pub.payload = payload;
    pub.payloadOffset = offset;
    pub.payloadLength = length;
    pub.properties = properties;
    const size = encodedLength(pub, this.version, this.topicMemo);
    if (!this.limits.fits(size)) this.limits.checkPacketSize(size, "payload");
    if (size > this.scratch.length) throw new MqttArgumentError("payload", `a ${size}-byte PUBLISH exceeds the transmit buffer`);
    if (this.canWriteNow(qos)) {
      const result = this.writeNow(size, qos);
      if (result !== NOT_NOW) return result;
    }
    return this.enqueue(qos);
  }

  /** CONNACK success: without a session, in-flight messages follow the policy; then resend from the start. */
  resume(sessionPresent: boolean, resendWhenLost: boolean): void {
    if (!sessionPresent) this.sessionLost(resendWhenLost);
    this.cursor = this.store.first();
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
    const h = this.findRecord(RecordKind.PUBLISH, 1, p.packetId);
    if (h >= 0) this.complete(h, p.reasonCode, p.properties);
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

  private canWriteNow(qos: QoS): boolean {
    return this.connected && this.cursor < 0 && !this.tx.controlWaiting() && (qos === 0 || this.inflight < this.sendLimit());
  }

  // Encodes this.pub straight into the transmit buffer; a QoS>0 message goes to the store first. Aliases are
  // used only when both sides keep some (the server's Topic Alias Maximum and our outboundTopicAliases).
  private writeNow(size: number, qos: QoS): number {
    const pub = this.pub;
    const buffer = this.tx.buffer;
    const aliasing = this.aliases.limit > 0 && pub.topic !== EMPTY;
    const offset = buffer.reserve(aliasing ? size + ALIAS_SLACK : size);
    if (offset < 0) return NOT_NOW;
    let token: number = PublishResult.WRITTEN;
    let written = 0;
    if (qos > 0) {
      const id = this.ids.allocate();
      if (id === 0) return NOT_NOW;
      pub.packetId = id;
      written = encodePacket(pub, this.version, buffer.bytes, offset, this.topicMemo);
      token = this.upcomingToken();
      if (this.store.append(RecordKind.PUBLISH, qos, id, token, buffer.bytes, offset, offset + written) < 0) {
        this.ids.release(id);
        return PublishResult.QUEUE_FULL;
      }
      this.tokenSeq = token;
      this.inflight++;
    }
    if (aliasing) written = this.encodeWithAlias(offset);
    else if (qos === 0) written = encodePacket(pub, this.version, buffer.bytes, offset, this.topicMemo);
    this.tx.committed(written);
    return token;
  }

  // The first publish of a topic binds an alias (topic + alias); later ones send the alias alone. The alias
  // goes in pub.topicAlias, beside the app's properties, which are never written to. When the alias makes
  // the PUBLISH larger than the server's Maximum Packet Size, it goes out with the full topic and no alias.
  private encodeWithAlias(offset: number): number {
    const pub = this.pub;
    const topic = pub.topic;
    const bytes = this.tx.buffer.bytes;
    const known = this.aliases.known(topic);
    const alias = known > 0 ? known : this.aliases.assign(topic);
    pub.topicAlias = alias;
    if (known > 0) pub.topic = EMPTY;
    const written = encodePacket(pub, this.version, bytes, offset, this.topicMemo);
    pub.topicAlias = undefined;
    pub.topic = topic;
    if (this.limits.fits(written)) return written;
    if (known === 0) this.aliases.forget(alias);
    return encodePacket(pub, this.version, bytes, offset, this.topicMemo);
  }

  private enqueue(qos: QoS): number {
    const pub = this.pub;
    pub.packetId = qos === 0 ? 0 : 1;
    const n = encodePacket(pub, this.version, this.scratch, 0, this.topicMemo);
    if (this.queuedCount >= this.config.queueLimit || this.queuedBytes + n > this.config.queueByteLimit) return PublishResult.QUEUE_FULL;
    const token = this.upcomingToken();
    const h = this.store.append(RecordKind.QUEUED, qos, 0, token, this.scratch, 0, n);
    if (h < 0) return PublishResult.QUEUE_FULL;
    this.tokenSeq = token;
    if (this.version === 5 && pub.properties?.messageExpiryInterval !== undefined) this.expiry.add(token, this.tx.clock);
    this.queuedCount++;
    this.queuedBytes += n;
    if (this.cursor < 0) this.cursor = h;
    this.pump();
    return token;
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
    if (kind === RecordKind.QUEUED && !this.queuedStillAllowed(h, qos)) {
      this.cursor = next;
      return true;
    }
    if (kind === RecordKind.QUEUED && qos > 0 && this.inflight >= this.sendLimit()) return false;
    const size = store.byteLength(h);
    const buffer = this.tx.buffer;
    const offset = buffer.reserve(size);
    if (offset < 0) return false;
    let id = store.packetId(h);
    if (kind === RecordKind.QUEUED && qos > 0) {
      id = this.ids.allocate();
      if (id === 0) return false;
    }
    store.copyTo(h, buffer.bytes, offset);
    if (kind === RecordKind.QUEUED && this.expiry.size > 0 && !this.countDownExpiry(h, size, buffer.bytes, offset)) {
      if (qos > 0) this.ids.release(id);
      this.cursor = next;
      return true;
    }
    patchPublish(buffer.bytes, offset, id, kind === RecordKind.PUBLISH);
    this.tx.committed(size);
    this.cursor = next;
    if (kind === RecordKind.QUEUED) this.dequeued(h, qos, id, size);
    return true;
  }

  // A queued publish the server announced it would refuse (limits can shrink across reconnects) fails back.
  private queuedStillAllowed(h: number, qos: QoS): boolean {
    const size = this.store.byteLength(h);
    let code = 0;
    if (!this.limits.fits(size)) code = PACKET_TOO_LARGE;
    else if (qos > this.limits.maximumQoS) code = QOS_NOT_SUPPORTED;
    else if (!this.limits.retainAvailable && this.storedRetain(h)) code = RETAIN_NOT_SUPPORTED;
    if (code === 0) return true;
    this.dropQueued(h, size, code);
    return false;
  }

  // A queued publish leaves the queue unwritten and completes with `code`.
  private dropQueued(h: number, size: number, code: number): void {
    this.queuedCount--;
    this.queuedBytes -= size;
    const token = this.store.token(h);
    this.expiry.take(token);
    this.store.remove(h);
    this.handler.onPublishDone(token, code, undefined);
  }

  // Takes the time a queued publish waited off its Message Expiry Interval in the transmit copy; when nothing is
  // left it is dropped (not written) and completes with MESSAGE_EXPIRED. False when it was dropped.
  private countDownExpiry(h: number, size: number, bytes: Uint8Array, offset: number): boolean {
    const queuedAt = this.expiry.take(this.store.token(h));
    if (queuedAt < 0) return true;
    const at = messageExpiryOffset(bytes, offset);
    if (at < 0) return true;
    if (countDownInterval(bytes, at, Math.floor((this.tx.clock - queuedAt) / 1000))) return true;
    this.dropQueued(h, size, LocalReason.MESSAGE_EXPIRED);
    return false;
  }

  private storedRetain(h: number): boolean {
    if (this.store.byteLength(h) > this.scratch.length) return false;
    this.store.copyTo(h, this.scratch, 0);
    return (this.scratch[0] & 1) === 1;
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

  private findRecord(kind: number, qos: number, packetId: number): number {
    const store = this.store;
    for (let h = store.first(); h >= 0; h = store.next(h)) {
      if (store.kind(h) === kind && store.packetId(h) === packetId && store.qos(h) === qos) return h;
    }
    return -1;
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
    return serverMaximum < this.config.maxInflight ? serverMaximum : this.config.maxInflight;
  }

  // A store handed over from an earlier engine: its in-flight ids are in use, its queue counts.
  private restoreFromStore(): void {
    const store = this.store;
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

/** A payload that says it is UTF-8 (Payload Format Indicator 1) must be: the receiver may refuse it with 0x99. */
function checkUtf8Payload(payload: Uint8Array, offset: number | undefined, length: number | undefined): void {
  if (!isWellFormedUtf8Payload(payload, offset, length)) {
    throw new MqttArgumentError("payload", "is not well-formed UTF-8 but properties.payloadFormatIndicator is 1");
  }
}
