// The sans-IO MQTT session engine (see "Engine API" in docs/ARCHITECTURE.md).
//
// Bytes, time and commands go in; bytes (in a fixed transmit buffer), handler callbacks and the delay until
// the next poll() come out. The session itself lives in the SessionStore; the collaborators here are small
// and per-connection: transmit buffer, control queue, packet ids, aliases, keepalive and server limits.
// The hot paths (QoS 0/1 publish out, their acks, PUBLISH in) reuse one packet object each and allocate nothing.

import { encodedLength, encodePacket, PacketDecoder } from "../codec/index";
import { MqttArgumentError, MqttError, protocolError } from "../codec/errors";
import type {
  AckPacket,
  AuthPacket,
  Bytes,
  ConnackPacket,
  DisconnectPacket,
  Packet,
  ProtocolVersion,
  PublishPacket,
  QoS,
  SubackPacket,
  Subscription,
  UnsubackPacket,
} from "../codec/packet";
import type { Properties } from "../codec/properties";
import { buildConnect } from "./connect-packet";
import type { Announced } from "./connect-packet";
import { ControlQueue } from "./control-queue";
import { MqttLimitError } from "./errors";
import { InboundAliases } from "./inbound-aliases";
import { elapsed, Keepalive, KeepaliveAction } from "./keepalive";
import { MemorySessionStore } from "./memory-session-store";
import { OutboundAliases } from "./outbound-aliases";
import { PacketIdAllocator } from "./packet-ids";
import { PendingRequests, RequestKind } from "./pending-requests";
import { ServerLimits } from "./server-limits";
import { RecordKind } from "./session-store";
import type { SessionStore } from "./session-store";
import { TransmitBuffer } from "./transmit-buffer";
import { EngineState, LocalReason, PublishResult } from "./types";
import type { ConnectOptions, EngineConfig, EngineHandler, EngineStateValue } from "./types";
import { isWellFormedUtf8 } from "./utf8";

const PUBACK = 4;
const PUBREC = 5;
const PUBREL = 6;
const PUBCOMP = 7;
const PINGREQ = 12;
const UNSPECIFIED_ERROR = 0x80;
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
const PACKET_ID_NOT_FOUND = 0x92;
const PACKET_TOO_LARGE = 0x95;
const RETAIN_NOT_SUPPORTED = 0x9a;
const QOS_NOT_SUPPORTED = 0x9b;
const PAYLOAD_FORMAT_INVALID = 0x99;
const USE_ANOTHER_SERVER = 0x9c;
const SERVER_MOVED = 0x9d;
const CONTINUE_AUTHENTICATION = 0x18;
const REAUTHENTICATE = 0x19;
const DEFAULT_RECEIVE_MAXIMUM = 16;
const MAX_INBOUND_ALIASES = 1024;
const NOT_NOW = -2;
// An alias can make a PUBLISH this much longer: the property (3 bytes) and two length fields growing.
const ALIAS_SLACK = 5;
const CONNECTION_LOST_CODES: readonly number[] = Object.freeze([LocalReason.CONNECTION_LOST]);

export class Engine {
  private readonly handler: EngineHandler;
  private readonly tx: TransmitBuffer;
  private readonly scratch: Uint8Array;
  private readonly rxBuffer: Uint8Array;
  private decoder: PacketDecoder;
  private readonly store: SessionStore;
  private readonly ids: PacketIdAllocator;
  private readonly requests = new PendingRequests(8);
  private readonly control: ControlQueue;
  private readonly limits = new ServerLimits();
  private readonly keepalive = new Keepalive();
  private readonly outAliases: OutboundAliases;
  private readonly inAliases = new InboundAliases();
  private readonly maxInflight: number;
  private readonly queueLimit: number;
  private readonly queueByteLimit: number;
  private readonly pingTimeoutMs: number | undefined;
  private readonly connectTimeoutMs: number;

  private options: ConnectOptions | undefined;
  private version: ProtocolVersion = 5;
  private current: EngineStateValue = EngineState.DISCONNECTED;
  private transportOpen = false;
  private attempts = 0;
  private assignedId: string | undefined;
  private reference: string | undefined;
  private announced: Announced = { receiveMaximum: DEFAULT_RECEIVE_MAXIMUM, maximumPacketSize: 0, topicAliasMaximum: 0 };
  private sessionExpiry = 0;
  private connectStartedAt = 0;
  private clock = 0;
  private tokenSeq = 0;
  private cursor = -1;
  private inflight = 0;
  private queuedCount = 0;
  private queuedBytes = 0;
  private pumping = false;

  // Reused packet objects: the hot paths fill these instead of allocating.
  private readonly pub: PublishPacket = { type: 3, topic: "", qos: 0, retain: false, dup: false, packetId: 0, payload: "" };
  private readonly ack: AckPacket = { type: 4, packetId: 0, reasonCode: 0 };
  private readonly ping = { type: 12 as const };
  private readonly aliasProperties: Properties = {};

  constructor(handler: EngineHandler, config: EngineConfig = {}) {
    this.handler = handler;
    const txSize = config.transmitBufferSize ?? 1024;
    this.tx = new TransmitBuffer(txSize);
    this.scratch = new Uint8Array(txSize);
    this.rxBuffer = new Uint8Array(config.receiveBufferSize ?? 1024);
    this.decoder = new PacketDecoder({ buffer: this.rxBuffer, version: 5, maximumPacketSize: this.rxBuffer.length });
    this.maxInflight = config.maxInflight ?? 16;
    this.queueLimit = config.queueLimit ?? 32;
    this.queueByteLimit = config.queueByteLimit ?? 4096;
    this.pingTimeoutMs = config.pingTimeoutMs;
    this.connectTimeoutMs = config.connectTimeoutMs ?? 30000;
    // The default store is sized from the limits above, so a small device config gets a small store.
    this.store = config.store ?? new MemorySessionStore({
      records: this.queueLimit + this.maxInflight,
      bytes: this.queueByteLimit + 2 * txSize,
    });
    this.ids = new PacketIdAllocator(this.maxInflight + 8);
    this.control = new ControlQueue(64 + this.maxInflight);
    this.outAliases = new OutboundAliases(config.outboundTopicAliases ?? 8);
    this.restoreFromStore();
  }

  // ---- state ----------------------------------------------------------------------------------------

  get state(): EngineStateValue { return this.current; }
  get clientId(): string { return this.assignedId ?? this.options?.clientId ?? ""; }
  get serverReference(): string | undefined { return this.reference; }
  get transmitBuffer(): Uint8Array { return this.tx.bytes; }
  get pendingStart(): number { return this.tx.start; }
  get pendingEnd(): number { return this.tx.end; }
  /** Unacknowledged QoS>0 publishes on the wire (PUBLISH or PUBREL stage). */
  get inflightCount(): number { return this.inflight; }
  /** Publishes accepted and not written yet. */
  get queuedMessages(): number { return this.queuedCount; }

  pending(): number {
    return this.tx.end - this.tx.start;
  }

  /** The transport took `count` bytes from pendingStart. Room appears: queued packets move in. */
  consumed(count: number): void {
    this.tx.consume(count);
    this.pump();
  }

  // ---- connection lifecycle -------------------------------------------------------------------------

  connect(options: ConnectOptions, now: number): void {
    this.clock = now;
    const version = options.protocolVersion ?? 5;
    if (version !== 4 && version !== 5) throw new MqttArgumentError("options.protocolVersion", "must be 4 or 5");
    if (version === 4 && options.authenticator !== undefined) {
      throw new MqttArgumentError("options.authenticator", "enhanced authentication needs MQTT 5");
    }
    this.options = options;
    this.version = version;
    this.attempts = 0;
    this.assignedId = undefined;
    this.sessionExpiry = version === 5 ? (options.properties?.sessionExpiryInterval ?? 0) : 0;
    this.announce(options);
    if (this.transportOpen && this.current === EngineState.DISCONNECTED) this.sendConnect(now);
  }

  connectionOpened(now: number): void {
    this.clock = now;
    this.transportOpen = true;
    this.current = EngineState.DISCONNECTED;
    this.tx.clear();
    this.control.clear();
    this.decoder.reset();
    if (this.options !== undefined) this.sendConnect(now);
  }

  connectionClosed(now: number, error?: Error): void {
    void error;
    this.clock = now;
    this.transportOpen = false;
    this.current = EngineState.DISCONNECTED;
    this.tx.clear();
    this.control.clear();
    this.keepalive.stop();
    this.failPendingRequests();
  }

  /** Our DISCONNECT: reason 0 normal, 0x04 publish the will; properties may update the session expiry. */
  disconnect(reasonCode = 0, properties?: Properties, now?: number): void {
    if (now !== undefined) this.clock = now;
    if (this.current === EngineState.DISCONNECTED) {
      this.options = undefined;
      return;
    }
    if (this.current === EngineState.CLOSING) return;
    const expiry = properties?.sessionExpiryInterval;
    if (this.version === 5 && expiry !== undefined && expiry !== 0 && this.sessionExpiry === 0) {
      throw new MqttLimitError("properties.sessionExpiryInterval", "sessionExpiryInterval", "cannot become non-zero when CONNECT set 0");
    }
    this.writeDisconnect(this.version === 5 ? reasonCode : 0, properties);
    this.close(reasonCode, undefined);
  }

  /** Milliseconds until poll() is needed again (-1: none); sends PINGREQ and declares dead connections. */
  poll(now: number): number {
    this.clock = now;
    if (this.current === EngineState.CONNECTING) return this.pollConnecting(now);
    if (this.current !== EngineState.CONNECTED) return -1;
    const action = this.keepalive.check(now);
    if (action === KeepaliveAction.DEAD) {
      this.close(LocalReason.KEEPALIVE_TIMEOUT, new Error("no PINGRESP within the keepalive timeout"));
      return -1;
    }
    if (action === KeepaliveAction.PING) {
      this.writeControl(PINGREQ, 0, 0);
      this.keepalive.pingSent(now);
    }
    return this.keepalive.delay(now);
  }

  // ---- commands -------------------------------------------------------------------------------------

  publish(topic: string, payload: Bytes, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    return this.submit(topic, payload, undefined, undefined, qos, retain, properties, now);
  }

  publishWindow(topic: string, payload: Uint8Array, offset: number, length: number, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    return this.submit(topic, payload, offset, length, qos, retain, properties, now);
  }

  subscribe(subscriptions: Subscription[], properties?: Properties, now?: number): number {
    this.requireConnected("subscribe");
    if (now !== undefined) this.clock = now;
    if (subscriptions.length === 0) throw new MqttArgumentError("subscriptions", "at least one is required");
    if (this.version === 5) this.limits.checkSubscribe(subscriptions, properties);
    const packet = { type: 8 as const, packetId: 1, subscriptions, properties };
    const token = this.sendRequest(RequestKind.SUBSCRIBE, packet, "subscriptions");
    if (token > 0) {
      const identifier = properties?.subscriptionIdentifiers?.[0] ?? 0;
      for (const s of subscriptions) this.store.putSubscription(s, identifier);
    }
    return token;
  }

  unsubscribe(filters: string[], properties?: Properties, now?: number): number {
    this.requireConnected("unsubscribe");
    if (now !== undefined) this.clock = now;
    if (filters.length === 0) throw new MqttArgumentError("filters", "at least one is required");
    const packet = { type: 10 as const, packetId: 1, filters, properties };
    const token = this.sendRequest(RequestKind.UNSUBSCRIBE, packet, "filters");
    if (token > 0) for (const f of filters) this.store.removeSubscription(f);
    return token;
  }

  /** Starts re-authentication (AUTH 0x19) with the connect options' authenticator. */
  reauthenticate(now?: number): void {
    this.requireConnected("reauthenticate");
    if (now !== undefined) this.clock = now;
    const auth = this.options?.authenticator;
    if (this.version !== 5 || auth === undefined) {
      throw new MqttArgumentError("authenticator", "re-authentication needs MQTT 5 and an authenticator");
    }
    this.writeAuth(REAUTHENTICATE, auth.initialData(true));
  }

  // ---- receiving ------------------------------------------------------------------------------------

  receive(bytes: Uint8Array, start: number, end: number, now: number): void {
    this.clock = now;
    let i = start;
    while (i < end && this.isLive()) {
      try {
        const n = this.decoder.feed(bytes, i, end);
        i += n;
        const packet = this.decoder.packet;
        if (packet !== null) this.dispatch(packet, now);
        else if (n === 0) break;
      } catch (e) {
        if (!(e instanceof MqttError)) throw e;
        this.fail(e.reasonCode, e);
        return;
      }
    }
    this.pump();
  }

  private dispatch(packet: Packet, now: number): void {
    if (this.current === EngineState.CONNECTING) return this.dispatchConnecting(packet, now);
    switch (packet.type) {
      case 3: return this.onPublish(packet as PublishPacket);
      case 4: return this.onPuback(packet as AckPacket);
      case 5: return this.onPubrec(packet as AckPacket);
      case 6: return this.onPubrel(packet as AckPacket);
      case 7: return this.onPubcomp(packet as AckPacket);
      case 9: return this.onSuback(packet as SubackPacket);
      case 11: return this.onUnsuback(packet as UnsubackPacket);
      case 13: return this.keepalive.pingAnswered();
      case 14: return this.onServerDisconnect(packet as DisconnectPacket);
      case 15: return this.onAuth(packet as AuthPacket);
      default: throw protocolError("packet type", `a client does not accept packet type ${packet.type} here`);
    }
  }

  private dispatchConnecting(packet: Packet, now: number): void {
    if (packet.type === 2) return this.onConnack(packet as ConnackPacket, now);
    if (packet.type === 15) return this.onAuth(packet as AuthPacket);
    if (packet.type === 14 && this.version === 5) return this.onServerDisconnect(packet as DisconnectPacket);
    throw protocolError("packet type", `packet type ${packet.type} before CONNACK`);
  }

  private onConnack(p: ConnackPacket, now: number): void {
    const props = this.version === 5 ? p.properties : undefined;
    if (p.reasonCode !== 0) {
      if (p.reasonCode === USE_ANOTHER_SERVER || p.reasonCode === SERVER_MOVED) this.reference = props?.serverReference;
      this.handler.onConnack(p);
      this.close(p.reasonCode, new MqttError(p.reasonCode, "CONNACK", `connection refused (0x${p.reasonCode.toString(16)})`));
      return;
    }
    const auth = this.options?.authenticator;
    if (auth?.verify !== undefined && !auth.verify(props?.authenticationData)) {
      this.fail(UNSPECIFIED_ERROR, new MqttError(UNSPECIFIED_ERROR, "CONNACK.authenticationData", "the authenticator rejected the server"), LocalReason.AUTH_FAILED);
      return;
    }
    this.limits.adopt(props);
    if (props?.assignedClientIdentifier !== undefined) this.assignedId = props.assignedClientIdentifier;
    this.reference = undefined;
    const keepAlive = this.limits.serverKeepAlive >= 0 ? this.limits.serverKeepAlive : (this.options?.keepAlive ?? 60);
    this.keepalive.start(now, keepAlive * 1000, this.pingTimeoutMs ?? Math.max(1000, keepAlive * 500));
    this.outAliases.reset(this.version === 5 ? this.limits.topicAliasMaximum : 0);
    this.current = EngineState.CONNECTED;
    if (!p.sessionPresent) this.sessionLost();
    this.handler.onConnack(p);
    if (!p.sessionPresent && this.attempts > 1 && this.options?.resubscribe !== false) this.resubscribe();
    this.cursor = this.store.first();
    this.pump();
  }

  private onPublish(p: PublishPacket): void {
    if (this.version === 5) p.topic = this.inAliases.resolve(p.topic, p.properties?.topicAlias);
    if (p.properties?.payloadFormatIndicator === 1) this.checkUtf8(p);
    if (p.qos === 0) return this.handler.onMessage(p);
    if (p.qos === 2 && this.store.hasInbound(p.packetId)) return this.writeControl(PUBREC, p.packetId, 0);
    if (this.store.inboundCount() >= this.announced.receiveMaximum || (p.qos === 2 && !this.store.addInbound(p.packetId))) {
      throw new MqttError(RECEIVE_MAXIMUM_EXCEEDED, "PUBLISH", "more unacknowledged QoS>0 publishes than our Receive Maximum");
    }
    this.handler.onMessage(p);
    if (this.isLive()) this.writeControl(p.qos === 1 ? PUBACK : PUBREC, p.packetId, 0);
  }

  private checkUtf8(p: PublishPacket): void {
    const b = p.payload as Uint8Array;
    const start = p.payloadOffset ?? 0;
    if (!isWellFormedUtf8(b, start, start + (p.payloadLength ?? b.length - start))) {
      throw new MqttError(PAYLOAD_FORMAT_INVALID, "PUBLISH.payload", "Payload Format Indicator 1 but the payload is not UTF-8");
    }
  }

  private onPuback(p: AckPacket): void {
    const h = this.findRecord(RecordKind.PUBLISH, 1, p.packetId);
    if (h >= 0) this.complete(h, p.reasonCode, p.properties);
  }

  private onPubrec(p: AckPacket): void {
    const h = this.findRecord(RecordKind.PUBLISH, 2, p.packetId);
    if (h < 0) {
      const released = this.findRecord(RecordKind.PUBREL, 2, p.packetId) >= 0;
      return this.writeControl(PUBREL, p.packetId, released ? 0 : PACKET_ID_NOT_FOUND);
    }
    if (p.reasonCode >= 0x80) return this.complete(h, p.reasonCode, p.properties);
    this.store.update(h, RecordKind.PUBREL, p.packetId);
    this.writeControl(PUBREL, p.packetId, 0);
  }

  private onPubrel(p: AckPacket): void {
    const held = this.store.hasInbound(p.packetId);
    this.store.removeInbound(p.packetId);
    this.writeControl(PUBCOMP, p.packetId, held ? 0 : PACKET_ID_NOT_FOUND);
  }

  private onPubcomp(p: AckPacket): void {
    const h = this.findRecord(RecordKind.PUBREL, 2, p.packetId);
    if (h >= 0) this.complete(h, p.reasonCode, p.properties);
  }

  private onSuback(p: SubackPacket): void {
    const token = this.takeRequest(RequestKind.SUBSCRIBE, p.packetId);
    if (token > 0) this.handler.onSubscribeDone(token, p.reasonCodes, p.properties);
  }

  private onUnsuback(p: UnsubackPacket): void {
    const token = this.takeRequest(RequestKind.UNSUBSCRIBE, p.packetId);
    if (token > 0) this.handler.onUnsubscribeDone(token, p.reasonCodes, p.properties);
  }

  private onServerDisconnect(p: DisconnectPacket): void {
    if (this.version === 4) throw protocolError("packet type", "a 3.1.1 server does not send DISCONNECT");
    if (p.reasonCode === USE_ANOTHER_SERVER || p.reasonCode === SERVER_MOVED) this.reference = p.properties?.serverReference;
    this.handler.onDisconnect(p.reasonCode, p.properties);
    this.close(p.reasonCode, undefined);
  }

  private onAuth(p: AuthPacket): void {
    const auth = this.options?.authenticator;
    if (this.version === 4 || auth === undefined || p.properties?.authenticationMethod !== auth.method) {
      throw protocolError("AUTH", "unexpected AUTH or authentication method");
    }
    if (p.reasonCode === CONTINUE_AUTHENTICATION) {
      const data = auth.respond(p.properties?.authenticationData);
      if (data === null) {
        this.fail(UNSPECIFIED_ERROR, new MqttError(UNSPECIFIED_ERROR, "AUTH", "the authenticator gave up"), LocalReason.AUTH_FAILED);
        return;
      }
      this.writeAuth(CONTINUE_AUTHENTICATION, data);
      return;
    }
    if (p.reasonCode !== 0 || this.current !== EngineState.CONNECTED) throw protocolError("AUTH.reasonCode", "unexpected AUTH reason code");
    if (auth.verify !== undefined && !auth.verify(p.properties?.authenticationData)) {
      this.fail(UNSPECIFIED_ERROR, new MqttError(UNSPECIFIED_ERROR, "AUTH.authenticationData", "the authenticator rejected the server"), LocalReason.AUTH_FAILED);
      return;
    }
    this.handler.onAuthDone?.(p.reasonCode, p.properties);
  }

  // ---- outbound publishes -----------------------------------------------------------------------------

  private submit(topic: string, payload: Bytes, offset: number | undefined, length: number | undefined, qos: QoS, retain: boolean, properties: Properties | undefined, now: number | undefined): number {
    if (now !== undefined) this.clock = now;
    if (qos !== 0 && qos !== 1 && qos !== 2) throw new MqttArgumentError("qos", "must be 0, 1 or 2");
    if (properties?.topicAlias !== undefined) throw new MqttArgumentError("properties.topicAlias", "topic aliases are assigned by the engine");
    this.limits.checkPublish(qos, retain);
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
    const size = encodedLength(pub, this.version);
    this.limits.checkPacketSize(size, "payload");
    if (size > this.tx.bytes.length) throw new MqttArgumentError("payload", `a ${size}-byte PUBLISH exceeds the transmit buffer`);
    if (this.canWriteNow(qos)) {
      const result = this.writePublishNow(size, qos);
      if (result !== NOT_NOW) return result;
    }
    return this.enqueue(qos);
  }

  private canWriteNow(qos: QoS): boolean {
    return this.current === EngineState.CONNECTED && this.cursor < 0 && this.control.length === 0 &&
      (qos === 0 || this.inflight < this.sendLimit());
  }

  // Encodes this.pub straight into the transmit buffer. A QoS>0 message is stored first in its plain form
  // (full topic, no alias), which is what a resend after reconnect needs; the wire copy may use an alias.
  private writePublishNow(size: number, qos: QoS): number {
    const pub = this.pub;
    const aliasing = this.version === 5 && this.limits.topicAliasMaximum > 0 && pub.topic.length > 0;
    const offset = this.tx.reserve(aliasing ? size + ALIAS_SLACK : size);
    if (offset < 0) return NOT_NOW;
    let token: number = PublishResult.WRITTEN;
    let written = 0;
    if (qos > 0) {
      const id = this.ids.allocate();
      if (id === 0) return NOT_NOW;
      pub.packetId = id;
      written = encodePacket(pub, this.version, this.tx.bytes, offset);
      token = this.nextToken();
      if (this.store.append(RecordKind.PUBLISH, qos, id, token, this.tx.bytes, offset, offset + written) < 0) {
        this.ids.release(id);
        return PublishResult.QUEUE_FULL;
      }
      this.inflight++;
    }
    if (aliasing) written = this.encodeWithAlias(offset);
    else if (qos === 0) written = encodePacket(pub, this.version, this.tx.bytes, offset);
    this.committed(written);
    return token;
  }

  // The first publish of a topic binds an alias (topic + alias); later ones send the alias alone.
  private encodeWithAlias(offset: number): number {
    const pub = this.pub;
    const topic = pub.topic;
    const userProperties = pub.properties;
    const props = userProperties ?? this.aliasProperties;
    const known = this.outAliases.known(topic);
    props.topicAlias = known > 0 ? known : this.outAliases.assign(topic);
    if (known > 0) pub.topic = "";
    pub.properties = props;
    const written = encodePacket(pub, this.version, this.tx.bytes, offset);
    props.topicAlias = undefined;
    pub.topic = topic;
    pub.properties = userProperties;
    return written;
  }

  private enqueue(qos: QoS): number {
    const pub = this.pub;
    pub.packetId = qos === 0 ? 0 : 1;
    const n = encodePacket(pub, this.version, this.scratch, 0);
    if (this.queuedCount >= this.queueLimit || this.queuedBytes + n > this.queueByteLimit) return PublishResult.QUEUE_FULL;
    const token = this.nextToken();
    const h = this.store.append(RecordKind.QUEUED, qos, 0, token, this.scratch, 0, n);
    if (h < 0) return PublishResult.QUEUE_FULL;
    this.queuedCount++;
    this.queuedBytes += n;
    if (this.cursor < 0) this.cursor = h;
    this.pump();
    return token;
  }

  // Writes what waits, in order: control packets first, then the store's records from the cursor on
  // (resends with DUP=1, PUBRELs, queued publishes while the server's Receive Maximum allows).
  private pump(): void {
    if (this.pumping || this.current !== EngineState.CONNECTED) return;
    this.pumping = true;
    try {
      this.flushControl();
      while (this.cursor >= 0 && this.control.length === 0 && this.current === EngineState.CONNECTED) {
        if (!this.writeRecord(this.cursor)) break;
      }
    } finally {
      this.pumping = false;
    }
  }

  // Writes one record at the cursor and advances it; false when it has to wait.
  private writeRecord(h: number): boolean {
    const store = this.store;
    const kind = store.kind(h);
    const next = store.next(h);
    if (kind === RecordKind.PUBREL) {
      this.writeControl(PUBREL, store.packetId(h), 0);
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
    const offset = this.tx.reserve(size);
    if (offset < 0) return false;
    let id = store.packetId(h);
    if (kind === RecordKind.QUEUED && qos > 0) {
      id = this.ids.allocate();
      if (id === 0) return false;
    }
    store.copyTo(h, this.tx.bytes, offset);
    patchPublish(this.tx.bytes, offset, id, kind === RecordKind.PUBLISH);
    this.committed(size);
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
    this.queuedCount--;
    this.queuedBytes -= size;
    const token = this.store.token(h);
    this.store.remove(h);
    this.handler.onPublishDone(token, code, undefined);
    return false;
  }

  private storedRetain(h: number): boolean {
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

  // CONNACK said no session: the server forgot inbound ids and our in-flight messages. Each in-flight
  // publish is sent again as new (policy "resend") or failed back (policy "fail", and every PUBREL stage).
  private sessionLost(): void {
    const store = this.store;
    store.clearInbound();
    const resend = this.options?.sessionLostPolicy !== "fail";
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

  private resubscribe(): void {
    for (const s of this.store.subscriptions()) {
      const properties: Properties | undefined = s.identifier > 0 && this.version === 5 ? { subscriptionIdentifiers: [s.identifier] } : undefined;
      this.sendRequest(RequestKind.SUBSCRIBE, { type: 8, packetId: 1, subscriptions: [s.subscription], properties }, "subscriptions", 0);
    }
  }

  // ---- writing ------------------------------------------------------------------------------------------

  private sendRequest(kind: number, packet: Packet & { packetId: number }, what: string, token = -1): number {
    const size = encodedLength(packet, this.version);
    this.limits.checkPacketSize(size, what);
    if (this.requests.full()) return PublishResult.QUEUE_FULL;
    const offset = this.tx.reserve(size);
    if (offset < 0) return PublishResult.QUEUE_FULL;
    const id = this.ids.allocate();
    if (id === 0) return PublishResult.QUEUE_FULL;
    packet.packetId = id;
    this.committed(encodePacket(packet, this.version, this.tx.bytes, offset));
    const t = token < 0 ? this.nextToken() : token;
    this.requests.add(kind, id, t);
    return t;
  }

  private takeRequest(kind: number, packetId: number): number {
    const i = this.requests.find(kind, packetId);
    if (i < 0) return -1;
    const token = this.requests.token(i);
    this.requests.removeAt(i);
    this.ids.release(packetId);
    return token;
  }

  private failPendingRequests(): void {
    while (this.requests.size > 0) {
      const token = this.requests.token(0);
      const kind = this.requests.kind(0);
      this.ids.release(this.requests.packetId(0));
      this.requests.removeAt(0);
      if (token === 0) continue;
      if (kind === RequestKind.SUBSCRIBE) this.handler.onSubscribeDone(token, CONNECTION_LOST_CODES, undefined);
      else this.handler.onUnsubscribeDone(token, CONNECTION_LOST_CODES, undefined);
    }
  }

  // Acks and PINGREQ: straight into the transmit buffer, or into the control queue behind earlier ones.
  private writeControl(type: number, packetId: number, reasonCode: number): void {
    if (this.control.length === 0 && this.encodeControl(type, packetId, reasonCode)) return;
    if (!this.control.push(type, packetId, reasonCode)) {
      throw new MqttError(UNSPECIFIED_ERROR, "control queue", "acknowledgements backed up beyond every Receive Maximum");
    }
  }

  private flushControl(): void {
    const q = this.control;
    while (q.length > 0 && this.encodeControl(q.peekType(), q.peekId(), q.peekReason())) q.shift();
  }

  private encodeControl(type: number, packetId: number, reasonCode: number): boolean {
    const offset = this.tx.reserve(6);
    if (offset < 0) return false;
    if (type === PINGREQ) {
      this.committed(encodePacket(this.ping, this.version, this.tx.bytes, offset));
      return true;
    }
    const ack = this.ack;
    ack.type = type as 4 | 5 | 6 | 7;
    ack.packetId = packetId;
    ack.reasonCode = this.version === 5 ? reasonCode : 0;
    this.committed(encodePacket(ack, this.version, this.tx.bytes, offset));
    return true;
  }

  private writeAuth(reasonCode: number, data: Uint8Array | undefined): void {
    const auth = this.options?.authenticator;
    const properties: Properties = { authenticationMethod: auth?.method };
    if (data !== undefined) properties.authenticationData = data;
    const packet: AuthPacket = { type: 15, reasonCode, properties };
    const size = encodedLength(packet, 5);
    this.limits.checkPacketSize(size, "authenticationData");
    const offset = this.tx.reserve(size);
    if (offset < 0) throw new MqttError(UNSPECIFIED_ERROR, "AUTH", "no room in the transmit buffer");
    this.committed(encodePacket(packet, 5, this.tx.bytes, offset));
  }

  // Drops the reason string and user properties when the server's Maximum Packet Size needs it.
  private writeDisconnect(reasonCode: number, properties: Properties | undefined): void {
    let packet: DisconnectPacket = { type: 14, reasonCode, properties };
    if (this.version === 5 && !this.limits.fits(encodedLength(packet, 5)) && properties !== undefined) {
      const slim: Properties = { ...properties };
      delete slim.reasonString;
      delete slim.userProperties;
      packet = { type: 14, reasonCode, properties: slim };
    }
    const size = encodedLength(packet, this.version);
    const offset = this.tx.reserve(size);
    if (offset >= 0) this.committed(encodePacket(packet, this.version, this.tx.bytes, offset));
  }

  private committed(length: number): void {
    this.tx.commit(length);
    this.keepalive.sent(this.clock);
  }

  // ---- connection helpers ---------------------------------------------------------------------------------

  private sendConnect(now: number): void {
    this.attempts++;
    this.decoder.reset();
    this.decoder.version = this.version;
    this.limits.adopt(undefined);
    this.outAliases.reset(0);
    this.inAliases.reset(this.announced.topicAliasMaximum);
    this.keepalive.stop();
    const packet = this.connectPacket();
    const size = encodedLength(packet, this.version);
    const offset = this.tx.reserve(size);
    this.current = EngineState.CONNECTING;
    this.connectStartedAt = now;
    if (offset < 0) {
      this.close(UNSPECIFIED_ERROR, new MqttArgumentError("options", `a ${size}-byte CONNECT exceeds the transmit buffer`));
      return;
    }
    this.committed(encodePacket(packet, this.version, this.tx.bytes, offset));
  }

  private connectPacket() {
    const options = this.options as ConnectOptions;
    const clientId = this.assignedId ?? options.clientId ?? "";
    const resume = this.attempts > 1 && (this.version === 4 ? options.cleanStart === false : this.sessionExpiry > 0);
    const cleanStart = this.attempts > 1 ? !resume && (options.cleanStart ?? true) : (options.cleanStart ?? true);
    return buildConnect(options, this.version, clientId, cleanStart, this.announced);
  }

  private announce(options: ConnectOptions): void {
    const p = options.properties;
    const rx = this.rxBuffer.length;
    const maximumPacketSize = Math.min(p?.maximumPacketSize ?? rx, rx);
    this.announced = {
      receiveMaximum: p?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM,
      maximumPacketSize,
      topicAliasMaximum: Math.min(p?.topicAliasMaximum ?? 0, MAX_INBOUND_ALIASES),
    };
    if (maximumPacketSize !== rx || this.decoder.version !== this.version) {
      this.decoder = new PacketDecoder({ buffer: this.rxBuffer, version: this.version, maximumPacketSize });
    }
  }

  private pollConnecting(now: number): number {
    const waited = elapsed(now, this.connectStartedAt);
    if (waited < this.connectTimeoutMs) return this.connectTimeoutMs - waited;
    this.close(LocalReason.CONNECT_TIMEOUT, new Error("no CONNACK within the connect timeout"));
    return -1;
  }

  // A protocol failure on our side of the judgement: DISCONNECT with the reason (MQTT 5), then close.
  private fail(reasonCode: number, error: Error, reported: number = reasonCode): void {
    if (!this.isLive()) return;
    if (this.version === 5) this.writeDisconnect(reasonCode, undefined);
    this.close(reported, error);
  }

  private close(reasonCode: number, error: Error | undefined): void {
    this.current = EngineState.CLOSING;
    this.keepalive.stop();
    this.handler.onClose(reasonCode, error);
  }

  private isLive(): boolean {
    return this.current === EngineState.CONNECTING || this.current === EngineState.CONNECTED;
  }

  private requireConnected(what: string): void {
    if (this.current !== EngineState.CONNECTED) throw new MqttArgumentError("state", `${what} needs a connected session`);
  }

  private sendLimit(): number {
    return this.limits.receiveMaximum < this.maxInflight ? this.limits.receiveMaximum : this.maxInflight;
  }

  private nextToken(): number {
    this.tokenSeq = this.tokenSeq >= 0x7fffffff ? 1 : this.tokenSeq + 1;
    return this.tokenSeq;
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

// Sets the packet id of a stored PUBLISH copied to out[offset...], and DUP when it is a resend.
function patchPublish(out: Uint8Array, offset: number, packetId: number, dup: boolean): void {
  const qos = (out[offset] >> 1) & 3;
  if (dup) out[offset] |= 0x08;
  if (qos === 0) return;
  let p = offset + 1;
  while ((out[p++] & 0x80) !== 0);
  const idAt = p + 2 + ((out[p] << 8) | out[p + 1]);
  out[idAt] = packetId >> 8;
  out[idAt + 1] = packetId & 0xff;
}
