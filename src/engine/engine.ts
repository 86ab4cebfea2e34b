// The sans-IO MQTT session engine (see "Engine API" in docs/ARCHITECTURE.md).
//
// Bytes, time and commands go in; bytes (in a fixed transmit buffer), handler callbacks and the delay until
// the next poll() come out. This class owns the connection's life (CONNECT, CONNACK, keepalive, AUTH,
// DISCONNECT, protocol errors) and inbound packets; our publishes are OutboundPublishes', every write goes
// through the Transmitter, and the session itself lives in the SessionStore.
// The hot paths (QoS 0/1 publish out, their acks, PUBLISH in) reuse one packet object each and allocate nothing.

import { encodedLength, PacketDecoder } from "../codec/index";
import { TopicCache } from "../codec/topic-cache";
import { MqttArgumentError, MqttError, protocolError } from "../codec/errors";
import { describeReason } from "../codec/reason-codes";
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
import { MqttLimitError, MqttStateError } from "./errors";
import { InboundAliases } from "./inbound-aliases";
import { elapsed, Keepalive, KeepaliveAction } from "./keepalive";
import { MemorySessionStore } from "./memory-session-store";
import { EngineMemory, words } from "./engine-memory";
import { OutboundAliases } from "./outbound-aliases";
import { OutboundPublishes } from "./outbound-publishes";
import { PacketIdAllocator } from "./packet-ids";
import { PendingRequests, RequestKind } from "./pending-requests";
import { DEFAULT_LIMITS, ServerLimits } from "./server-limits";
import type { SessionStore } from "./session-store";
import { PINGREQ, Transmitter } from "./transmitter";
import type { TransmitBuffer } from "./transmit-buffer";
import { EngineState, LocalReason, PublishResult } from "./types";
import type { ConnectOptions, EngineConfig, EngineHandler, EngineStateValue } from "./types";
import { isWellFormedUtf8Payload } from "./utf8";
import { UnconfirmedInbound } from "./unconfirmed-inbound";

const PUBACK = 4;
/** First byte of a PUBACK: type 4, no flags. */
const PUBACK_HEADER = 0x40;
const PUBREC = 5;
const PUBCOMP = 7;
const UNSPECIFIED_ERROR = 0x80;
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
const PACKET_ID_NOT_FOUND = 0x92;
const PAYLOAD_FORMAT_INVALID = 0x99;
const USE_ANOTHER_SERVER = 0x9c;
const SERVER_MOVED = 0x9d;
const CONTINUE_AUTHENTICATION = 0x18;
const REAUTHENTICATE = 0x19;
const DEFAULT_RECEIVE_MAXIMUM = 16;
/** Held inbound ids followed after a resume (the memory store holds 64 by default). */
const UNCONFIRMED_TRACKED = 64;
const MAX_INBOUND_ALIASES = 1024;
/** Control queue entries beyond maxInflight (see the constructor). */
const CONTROL_SLACK = 8;
/** SUBSCRIBE/UNSUBSCRIBE requests waiting for their acks at once. */
const MAX_PENDING_REQUESTS = 8;
const CONNECTION_LOST_CODES: readonly number[] = Object.freeze([LocalReason.CONNECTION_LOST]);

/**
 * The sans-IO MQTT session: fed bytes, monotonic time (ms) and commands; produces bytes in its transmit
 * buffer (pendingStart to pendingEnd), callbacks on an {@link EngineHandler}, and the delay until it next needs
 * poll(). It owns the session, never the socket (see docs/ARCHITECTURE.md, "Engine API").
 */
export class Engine {
  private readonly handler: EngineHandler;
  private readonly tx: Transmitter;
  private readonly rxBuffer: Uint8Array;
  private decoder: PacketDecoder;
  private readonly topics: TopicCache;
  private decoderMaximum: number;
  private readonly store: SessionStore;
  private readonly ids: PacketIdAllocator;
  /** SUBSCRIBE/UNSUBSCRIBE waiting for their acks: made by the first request, dropped when none waits. */
  private requests: PendingRequests | undefined = undefined;
  /** What the server announced (shared with the outbound side, which refuses what it would refuse). */
  private limits: ServerLimits = DEFAULT_LIMITS;
  private readonly keepalive = new Keepalive();
  private readonly inAliases = new InboundAliases();
  private readonly outbound: OutboundPublishes;
  private readonly outAliases: OutboundAliases;
  private readonly pingTimeoutMs: number | undefined;
  private readonly connectTimeoutMs: number;

  /**
   * The delay poll() last returned may be too long now: the state changed (a CONNACK starts keepalive, a
   * CONNECT the connect timeout). Other calls only move the next deadline later (a write postpones the next
   * PINGREQ), so a caller keeps its timer until this is true, then polls and re-arms.
   */
  pollNeeded = false;
  private options: ConnectOptions | undefined;
  private version: ProtocolVersion = 5;
  private current: EngineStateValue = EngineState.DISCONNECTED;
  /** CONNECTING or CONNECTED: bytes received are read (a field: tested for every packet). */
  private live = false;
  private transportOpen = false;
  private attempts = 0;
  private assignedId: string | undefined;
  private reference: string | undefined;
  private announced: Announced = { receiveMaximum: DEFAULT_RECEIVE_MAXIMUM, maximumPacketSize: 0, topicAliasMaximum: 0 };
  private sessionExpiry = 0;
  /** Inbound QoS 2 ids held when this connection opened (from earlier connections). */
  private carriedInbound = 0;
  /** Index of the next stored subscription to make again after a lost session; -1 when none is pending. */
  private resubscribeNext = -1;
  private connectStartedAt = 0;
  /** The Clean Start flag of this connection's CONNECT: its CONNACK must not then say Session Present. */
  private cleanStartSent = true;
  /** This connection's inbound QoS 2 accounting, for a server that exceeds our Receive Maximum. */
  private readonly excess = { accepted: 0, released: 0, dropped: 0 };
  /** Held inbound QoS 2 ids the server has not confirmed since the session resumed. */
  /** Made only when a resumed session finds held ids, and dropped once none is left unconfirmed. */
  private unconfirmed: UnconfirmedInbound | undefined = undefined;

  constructor(handler: EngineHandler, config: EngineConfig = {}) {
    this.handler = handler;
    const txSize = config.transmitBufferSize ?? 1024;
    const maxInflight = config.maxInflight ?? 16;
    const queueLimit = config.queueLimit ?? 32;
    const queueByteLimit = config.queueByteLimit ?? 4096;
    const rxSize = config.receiveBufferSize ?? 1024;
    // Acks waiting for room in the transmit buffer: past this many the engine stops reading (backpressure),
    // so the bound only decides how long it keeps reading while the transport is stalled.
    const controlCapacity = CONTROL_SLACK + maxInflight;
    // The default store is sized from the limits above, so a small device config gets a small store.
    const storeSizes = config.store === undefined ? { records: queueLimit + maxInflight, bytes: queueByteLimit + txSize } : undefined;
    // One memory for the buffers, the control queue and the default store (see engine-memory.ts).
    // Packet ids in use: the publishes in flight and the SUBSCRIBE/UNSUBSCRIBE requests waiting.
    const idCapacity = maxInflight + MAX_PENDING_REQUESTS;
    const memory = new EngineMemory(Transmitter.bytesFor(txSize, controlCapacity) + words(rxSize) + TopicCache.BYTES +
      PacketIdAllocator.bytesFor(idCapacity) +
      (storeSizes === undefined ? 0 : MemorySessionStore.bytesFor(storeSizes)));
    this.tx = new Transmitter(memory, txSize, controlCapacity, this.keepalive);
    const rxAt = memory.take(rxSize);
    this.rxBuffer = memory.bytes.subarray(rxAt, rxAt + rxSize);
    this.decoderMaximum = this.rxBuffer.length;
    // One topic cache serves both directions: a topic we publish to and hear on is kept once.
    this.topics = new TopicCache(memory.bytes, memory.take(TopicCache.BYTES));
    this.decoder = new PacketDecoder({ buffer: this.rxBuffer, version: 5, maximumPacketSize: this.decoderMaximum, topics: this.topics });
    this.pingTimeoutMs = config.pingTimeoutMs;
    this.connectTimeoutMs = config.connectTimeoutMs ?? 30000;
    this.store = config.store ?? new MemorySessionStore(storeSizes, memory);
    this.ids = new PacketIdAllocator(idCapacity, memory);
    const aliases = new OutboundAliases(config.outboundTopicAliases ?? 8);
    this.outbound = new OutboundPublishes(this.store, this.tx, this.ids, this.limits, aliases, handler, {
      maxInflight, queueLimit, queueByteLimit, transmitBufferSize: txSize,
    }, this.topics, memory);
    this.outAliases = aliases;
  }

  // ---- state ----------------------------------------------------------------------------------------

  /** Where the connection is: one of {@link EngineState}. */
  get state(): EngineStateValue { return this.current; }
  /** The client id as sent, or as assigned by the server. */
  get clientId(): string { return this.assignedId ?? this.options?.clientId ?? ""; }
  /** The server a CONNACK or DISCONNECT (0x9C/0x9D) named as the next one to use. */
  get serverReference(): string | undefined { return this.reference; }
  /** The engine's transmit buffer: write transmitBuffer[pendingStart, pendingEnd) to the transport. */
  /** The bytes waiting for the transport: output.bytes[output.start, output.end) (the same as
   * transmitBuffer[pendingStart, pendingEnd), read as fields). Hand them over, then call consumed(). */
  get output(): TransmitBuffer { return this.tx.buffer; }
  /** The buffer the pending bytes are in: transmitBuffer[pendingStart, pendingEnd). */
  get transmitBuffer(): Uint8Array { return this.tx.buffer.bytes; }
  /** Where a transport that reads may put received bytes: receiveBuffer[receiveStart, receiveBuffer.length).
   * Fed from there (receive(receiveBuffer, receiveStart, ...)), they are parsed where they lie: whole packets
   * in place, a packet in pieces assembled without a copy. */
  get receiveBuffer(): Uint8Array { return this.rxBuffer; }
  /** See receiveBuffer. */
  get receiveStart(): number { return this.decoder.assembled; }
  /** Start of the bytes waiting for the transport. */
  get pendingStart(): number { return this.tx.buffer.start; }
  /** End of the bytes waiting for the transport. */
  get pendingEnd(): number { return this.tx.buffer.end; }
  /** Unacknowledged QoS>0 publishes on the wire (PUBLISH or PUBREL stage). */
  get inflightCount(): number { return this.outbound.inflightCount; }
  /** Publishes accepted and not written yet. */
  get queuedMessages(): number { return this.outbound.queuedMessages; }

  /** Bytes waiting for the transport (pendingEnd - pendingStart). */
  pending(): number {
    return this.tx.buffer.end - this.tx.buffer.start;
  }

  /** The transport took `count` bytes from pendingStart. Room appears: queued packets move in. */
  consumed(count: number): void {
    const out = this.tx.buffer;
    if (out.start + count < out.end) out.start += count;
    else out.start = out.end = out.base;
    if (this.outbound.waiting()) this.outbound.pump();
    if (this.resubscribeNext >= 0) this.continueResubscribe();
  }

  // ---- connection lifecycle -------------------------------------------------------------------------

  /** Stores the connect options; writes CONNECT now if a transport is open (else at connectionOpened()). */
  connect(options: ConnectOptions, now: number): void {
    this.tx.clock = now;
    const version = options.protocolVersion ?? 5;
    if (version !== 3 && version !== 4 && version !== 5) throw new MqttArgumentError("options.protocolVersion", "must be 3, 4 or 5");
    if (version !== 5 && options.authenticator !== undefined) {
      throw new MqttArgumentError("options.authenticator", "enhanced authentication needs MQTT 5");
    }
    if (version === 4 && (options.clientId ?? "") === "" && options.cleanStart === false) {
      throw new MqttArgumentError("options.clientId", "MQTT 3.1.1 needs a client identifier to keep a session (Clean Session 0)");
    }
    // MQTT 3.1 needs a client identifier of 1 to 23 bytes: the codec checks, here rather than at the first open.
    if (version === 3) encodedLength(buildConnect(options, 3, options.clientId ?? "", true, this.announced), 3);
    this.options = options;
    this.version = version;
    this.tx.version = version;
    this.outbound.version = version;
    this.attempts = 0;
    this.assignedId = undefined;
    this.sessionExpiry = version === 5 ? (options.properties?.sessionExpiryInterval ?? 0) : 0;
    this.announce(options);
    if (this.transportOpen && this.current === EngineState.DISCONNECTED) this.sendConnect(now);
  }

  /** The transport is open: writes CONNECT (on every reconnect too). */
  connectionOpened(now: number): void {
    this.tx.clock = now;
    this.transportOpen = true;
    this.setState(EngineState.DISCONNECTED);
    this.tx.clear();
    this.decoder.reset();
    this.carriedInbound = this.store.inboundCount();
    this.excess.accepted = this.excess.released = this.excess.dropped = 0;
    if (this.options !== undefined) this.sendConnect(now);
  }

  /** The transport is gone (either side closed it); in-flight state is kept for the next connection. */
  connectionClosed(now: number, error?: Error): void {
    void error;
    this.resubscribeNext = -1;
    this.tx.clock = now;
    this.transportOpen = false;
    this.setState(EngineState.DISCONNECTED);
    this.tx.clear();
    this.keepalive.stop();
    this.failPendingRequests();
  }

  /** Our DISCONNECT: reason 0 normal, 0x04 publish the will; properties may update the session expiry. */
  disconnect(reasonCode = 0, properties?: Properties, now?: number): void {
    if (now !== undefined) this.tx.clock = now;
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
    this.pollNeeded = false;
    this.tx.clock = now;
    if (this.current === EngineState.CONNECTING) return this.pollConnecting(now);
    if (this.current !== EngineState.CONNECTED) return -1;
    const action = this.keepalive.check(now);
    if (action === KeepaliveAction.DEAD) {
      this.close(LocalReason.KEEPALIVE_TIMEOUT, new Error("no PINGRESP within the keepalive timeout"));
      return -1;
    }
    if (action === KeepaliveAction.PING) {
      this.tx.writeControl(PINGREQ, 0, 0);
      this.keepalive.pingSent(now);
    }
    return this.keepalive.delay(now);
  }

  // ---- commands -------------------------------------------------------------------------------------

  /**
   * Publishes a message. Returns its token (> 0; onPublishDone follows), 0 when a QoS 0 publish was
   * written now, or `PublishResult.QUEUE_FULL`. Throws MqttArgumentError for bad arguments and
   * MqttLimitError when the server's CONNACK limits refuse it; nothing is written then.
   */
  publish(topic: string, payload: Bytes, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    if (now !== undefined) this.tx.clock = now;
    return this.outbound.submit(topic, payload, undefined, undefined, qos, retain, properties);
  }

  /** publish() of payload[offset, offset + length): a part of a buffer the application reuses. */
  publishWindow(topic: string, payload: Uint8Array, offset: number, length: number, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    if (now !== undefined) this.tx.clock = now;
    return this.outbound.submit(topic, payload, offset, length, qos, retain, properties);
  }

  /** A token for a request made to wait above the engine (the client's subscribe before CONNACK), passed
   * later to subscribe()/unsubscribe(): tokens of publishes and requests never collide. */
  newToken(): number {
    return this.outbound.nextToken();
  }

  /**
   * Sends SUBSCRIBE. Returns its token (onSubscribeDone follows) or `PublishResult.QUEUE_FULL`
   * when there is no room now; throws MqttStateError while not connected. `token`: one from newToken().
   */
  subscribe(subscriptions: Subscription[], properties?: Properties, now?: number, token = -1): number {
    this.requireConnected("subscribe");
    if (now !== undefined) this.tx.clock = now;
    if (subscriptions.length === 0) throw new MqttArgumentError("subscriptions", "at least one is required");
    if (this.version === 5) this.limits.checkSubscribe(subscriptions, properties);
    const packet = { type: 8 as const, packetId: 1, subscriptions, properties };
    const sent = this.sendRequest(RequestKind.SUBSCRIBE, packet, "subscriptions", token);
    if (sent > 0) {
      const identifier = properties?.subscriptionIdentifiers?.[0] ?? 0;
      for (const s of subscriptions) this.store.putSubscription(s, identifier);
    }
    return sent;
  }

  /** Sends UNSUBSCRIBE. Returns its token (onUnsubscribeDone follows) or `PublishResult.QUEUE_FULL`. */
  unsubscribe(filters: string[], properties?: Properties, now?: number, token = -1): number {
    this.requireConnected("unsubscribe");
    if (now !== undefined) this.tx.clock = now;
    if (filters.length === 0) throw new MqttArgumentError("filters", "at least one is required");
    const packet = { type: 10 as const, packetId: 1, filters, properties };
    const sent = this.sendRequest(RequestKind.UNSUBSCRIBE, packet, "filters", token);
    if (sent > 0) for (const f of filters) this.store.removeSubscription(f);
    return sent;
  }

  /** Starts re-authentication (AUTH 0x19) with the connect options' authenticator. */
  reauthenticate(now?: number): void {
    this.requireConnected("reauthenticate");
    if (now !== undefined) this.tx.clock = now;
    const auth = this.options?.authenticator;
    if (this.version !== 5 || auth === undefined) {
      throw new MqttArgumentError("authenticator", "re-authentication needs MQTT 5 and an authenticator");
    }
    this.writeAuth(REAUTHENTICATE, auth.initialData(true));
  }

  // ---- receiving ------------------------------------------------------------------------------------

  /**
   * Feeds bytes[start, end); returns how many were taken. Fewer than `end - start` means backpressure: every
   * packet may need an acknowledgement and the control queue has no room for one more (the transport is not
   * taking our bytes), so the engine stops reading rather than drop an ack or fail. The caller keeps the
   * rest and feeds it again after consumed() made room. A closed engine takes (discards) everything.
   */
  receive(bytes: Uint8Array, start: number, end: number, now: number): number {
    this.tx.clock = now;
    let i = start;
    const control = this.tx.control;
    while (i < end && this.live) {
      if (control.full()) {
        this.outbound.pump();
        if (this.tx.controlFull()) return i - start;
      }
      try {
        if (bytes[i] === PUBACK_HEADER && bytes[i + 1] === 2 && end - i >= 4 && this.current === EngineState.CONNECTED &&
          (bytes[i + 2] | bytes[i + 3]) !== 0 && this.decoder.atPacketStart()) {
          // A PUBACK in its 2-byte form (reason 0, no properties: every PUBACK in MQTT 3.1.1, most in MQTT 5),
          // the steady state of QoS 1 publishing, completes its publish without the decoder: connected, between
          // packets, and with a valid packet id (0 is malformed: the decoder refuses it).
          this.outbound.acknowledged((bytes[i + 2] << 8) | bytes[i + 3], 0, undefined);
          i += 4;
          continue;
        }
        const n = this.decoder.feed(bytes, i, end);
        i += n;
        const packet = this.decoder.packet;
        if (packet !== null) this.dispatch(packet, now);
        else if (n === 0) break;
      } catch (e) {
        // A handler that throws leaves the rest of this chunk unread, so the stream cannot continue either:
        // the connection ends with 0x80 and onClose carries the app's error.
        if (e instanceof MqttError) this.fail(e.reasonCode, e);
        else this.fail(UNSPECIFIED_ERROR, e instanceof Error ? e : new Error(String(e)));
        return end - start;
      }
    }
    if (this.outbound.waiting()) this.outbound.pump();
    return end - start;
  }

  private dispatch(packet: Packet, now: number): void {
    if (this.current === EngineState.CONNECTING) return this.dispatchConnecting(packet, now);
    switch (packet.type) {
      case 3: return this.onPublish(packet as PublishPacket);
      case 4: return this.outbound.onPuback(packet as AckPacket);
      case 5: return this.outbound.onPubrec(packet as AckPacket);
      case 6: return this.onPubrel(packet as AckPacket);
      case 7: return this.outbound.onPubcomp(packet as AckPacket);
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
      this.close(p.reasonCode, new MqttError(p.reasonCode, "CONNACK", `connection refused: ${describeReason(p.reasonCode, 2, this.version)}`));
      return;
    }
    // MQTT 3.1 has no Session Present: a session asked for (Clean Session 0) is taken as kept. If the server
    // lost it, the resent QoS 1/2 messages (DUP 1) are simply new to it.
    if (this.version === 3) p.sessionPresent = !this.cleanStartSent;
    // The server must answer Clean Start 1 with Session Present 0 (MQTT 5 [MQTT-3.2.2-2], 3.1.1 [MQTT-3.2.2-1]);
    // a client without that session state closes the connection [MQTT-3.2.2-4] (3.1.1: [MQTT-4.8.0-1]).
    if (p.sessionPresent && this.cleanStartSent) {
      throw protocolError("CONNACK.sessionPresent", "Session Present 1 in answer to Clean Start 1");
    }
    const auth = this.options?.authenticator;
    if (auth?.verify !== undefined && !auth.verify(props?.authenticationData)) {
      this.fail(UNSPECIFIED_ERROR, new MqttError(UNSPECIFIED_ERROR, "CONNACK.authenticationData", "the authenticator rejected the server"), LocalReason.AUTH_FAILED);
      return;
    }
    this.adoptLimits(ServerLimits.of(props));
    if (props?.assignedClientIdentifier !== undefined) this.assignedId = props.assignedClientIdentifier;
    this.reference = undefined;
    const keepAlive = this.limits.serverKeepAlive >= 0 ? this.limits.serverKeepAlive : (this.options?.keepAlive ?? 60);
    this.keepalive.start(now, keepAlive * 1000, this.pingTimeoutMs ?? Math.max(1000, keepAlive * 500));
    this.outAliases.reset(this.version === 5 ? this.limits.topicAliasMaximum : 0);
    this.setState(EngineState.CONNECTED);
    if (!p.sessionPresent) {
      this.store.clearInbound();
      this.unconfirmed = undefined;
    } else this.noteHeldInbound();
    this.outbound.resume(p.sessionPresent, this.options?.sessionLostPolicy !== "fail");
    // The stored subscriptions go first, before the handler runs: a request sent from the handler (or one
    // that waited in the client for this connection) is stored as it goes, and the resubscription would
    // otherwise make it a second time.
    if (!p.sessionPresent && this.attempts > 1 && this.options?.resubscribe !== false) this.resubscribe();
    this.handler.onConnack(p);
    this.outbound.pump();
  }

  private onPublish(p: PublishPacket): void {
    if (this.version === 5) p.topic = this.inAliases.resolve(p.topic, p.properties?.topicAlias);
    if (p.properties?.payloadFormatIndicator === 1) checkUtf8(p);
    if (p.qos === 0) return this.handler.onMessage(p);
    if (p.qos === 2 && this.store.hasInbound(p.packetId)) return this.acknowledgeAgain(p.packetId);
    // The quota is per connection (MQTT 5 section 4.9): ids still held from the last connection, waiting for
    // their PUBREL, do not count against it. MQTT 3.1.1 has no Receive Maximum (brokers send 20 and more in
    // flight by default): there only the inbound store's capacity limits what we hold.
    const quota = this.version === 5 ? this.announced.receiveMaximum + this.carriedInbound : Infinity;
    if (this.store.inboundCount() >= quota || (p.qos === 2 && !this.holdInbound(p.packetId))) return this.refuseExcess();
    if (p.qos === 2) this.excess.accepted++;
    this.handler.onMessage(p);
    if (this.live) this.tx.writeControl(p.qos === 1 ? PUBACK : PUBREC, p.packetId, 0);
  }

  // A QoS 2 PUBLISH we hold (PUBREC sent, no PUBREL yet) came again: acknowledge it, deliver nothing.
  private acknowledgeAgain(packetId: number): void {
    this.confirmInbound(packetId);
    this.tx.writeControl(PUBREC, packetId, 0);
  }

  // Holds a new inbound QoS 2 id until its PUBREL. When the store is full, ids the server left unconfirmed
  // through many resumed sessions are stale and make room (see unconfirmed-inbound.ts).
  private holdInbound(packetId: number): boolean {
    if (this.store.addInbound(packetId)) return true;
    const forgotten = this.unconfirmed?.forgetStale(this.store) ?? 0;
    if (forgotten === 0) return false;
    this.carriedInbound = Math.max(0, this.carriedInbound - forgotten);
    return this.store.addInbound(packetId);
  }

  // A PUBLISH beyond our Receive Maximum (or the inbound store). Disconnecting at once (0x93) loses the
  // acks of the exchanges in progress, so a server that floods every resumed session (mosquitto after a
  // restart) would get the same flood each time: a livelock. Instead the excess PUBLISH is dropped
  // unacknowledged and undelivered, and the connection ends with 0x93 once the QoS 2 messages accepted on it
  // were released: each connection completes some messages, and the server resends the dropped ones (it
  // must, they were never acknowledged) on the next.
  private refuseExcess(): void {
    this.excess.dropped++;
    this.endAfterExcess();
  }

  private endAfterExcess(): void {
    const x = this.excess;
    if (x.dropped > 0 && x.released >= Math.max(x.accepted, 1)) {
      throw new MqttError(RECEIVE_MAXIMUM_EXCEEDED, "PUBLISH", `more unacknowledged QoS>0 publishes than our Receive Maximum (${x.dropped} left for a resend)`);
    }
  }

  private onPubrel(p: AckPacket): void {
    const held = this.store.hasInbound(p.packetId);
    this.confirmInbound(p.packetId);
    this.store.removeInbound(p.packetId);
    this.tx.writeControl(PUBCOMP, p.packetId, held ? 0 : PACKET_ID_NOT_FOUND);
    if (held) this.excess.released++;
    this.endAfterExcess();
  }

  private onSuback(p: SubackPacket): void {
    this.checkReasonCount(RequestKind.SUBSCRIBE, p.packetId, p.reasonCodes.length, "SUBACK");
    this.forgetRefused(p);
    const token = this.takeRequest(RequestKind.SUBSCRIBE, p.packetId);
    if (token > 0) this.handler.onSubscribeDone(token, p.reasonCodes, p.properties);
    this.continueResubscribe();
  }

  // A refused filter is not part of the session: it is not made again after a reconnect.
  private forgetRefused(p: SubackPacket): void {
    const requests = this.requests;
    const i = requests === undefined ? -1 : requests.find(RequestKind.SUBSCRIBE, p.packetId);
    const requested = i >= 0 ? requests?.subscriptions(i) : undefined;
    if (requested === undefined) return;
    for (let k = 0; k < p.reasonCodes.length && k < requested.length; k++) {
      if (p.reasonCodes[k] >= 0x80) this.forget(requested[k].filter);
    }
  }
  private forget(filter: string): void {
    // A resubscription in progress walks the stored list by index: removing an entry before it shifts the rest.
    if (this.resubscribeNext > 0) {
      const index = this.store.subscriptions().findIndex((s) => s.subscription.filter === filter);
      if (index >= 0 && index < this.resubscribeNext) this.resubscribeNext--;
    }
    this.store.removeSubscription(filter);
  }


  private onUnsuback(p: UnsubackPacket): void {
    if (this.version === 5) this.checkReasonCount(RequestKind.UNSUBSCRIBE, p.packetId, p.reasonCodes.length, "UNSUBACK");
    const token = this.takeRequest(RequestKind.UNSUBSCRIBE, p.packetId);
    if (token > 0) this.handler.onUnsubscribeDone(token, p.reasonCodes, p.properties);
  }

  private onServerDisconnect(p: DisconnectPacket): void {
    if (this.version !== 5) throw protocolError("packet type", "a 3.1.1 or 3.1 server does not send DISCONNECT");
    if (p.reasonCode === USE_ANOTHER_SERVER || p.reasonCode === SERVER_MOVED) this.reference = p.properties?.serverReference;
    this.handler.onDisconnect(p.reasonCode, p.properties);
    this.close(p.reasonCode, undefined);
  }

  private onAuth(p: AuthPacket): void {
    const auth = this.options?.authenticator;
    if (this.version !== 5 || auth === undefined || p.properties?.authenticationMethod !== auth.method) {
      throw protocolError("AUTH", "unexpected AUTH or authentication method");
    }
    if (p.reasonCode === CONTINUE_AUTHENTICATION) {
      const data = auth.respond(p.properties?.authenticationData);
      if (data === null) {
        this.fail(UNSPECIFIED_ERROR, new MqttError(UNSPECIFIED_ERROR, "AUTH", "the authenticator gave up"), LocalReason.AUTH_FAILED);
        return;
      }
      this.answerChallenge(data);
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














  // Makes the stored subscriptions again after a reconnect found no session. They go out as room allows:
  // when the transmit buffer or the table of pending requests is full, the rest wait for consumed() or the
  // next SUBACK instead of being dropped.
  private resubscribe(): void {
    this.resubscribeNext = 0;
    this.continueResubscribe();
  }

  private continueResubscribe(): void {
    if (this.resubscribeNext < 0 || this.state !== EngineState.CONNECTED) return;
    const stored = this.store.subscriptions();
    while (this.resubscribeNext < stored.length) {
      const s = stored[this.resubscribeNext]!;
      const properties: Properties | undefined = s.identifier > 0 && this.version === 5 ? { subscriptionIdentifiers: [s.identifier] } : undefined;
      const sent = this.sendRequest(RequestKind.SUBSCRIBE, { type: 8, packetId: 1, subscriptions: [s.subscription], properties }, "subscriptions", 0);
      if (sent === PublishResult.QUEUE_FULL) return;
      this.resubscribeNext++;
    }
    this.resubscribeNext = -1;
  }

  // ---- writing ------------------------------------------------------------------------------------------

  private sendRequest(kind: number, packet: Packet & { packetId: number }, what: string, token = -1): number {
    const size = encodedLength(packet, this.version);
    this.limits.checkPacketSize(size, what);
    const requests = (this.requests ??= new PendingRequests(MAX_PENDING_REQUESTS));
    if (requests.full()) return PublishResult.QUEUE_FULL;
    const id = this.ids.allocate();
    if (id === 0) return PublishResult.QUEUE_FULL;
    packet.packetId = id;
    if (!this.tx.write(packet)) {
      this.ids.release(id);
      return PublishResult.QUEUE_FULL;
    }
    const t = token < 0 ? this.outbound.nextToken() : token;
    const entries = packet.type === 8 ? packet.subscriptions.length : packet.type === 10 ? packet.filters.length : 0;
    requests.add(kind, id, t, entries, packet.type === 8 ? packet.subscriptions : undefined);
    return t;
  }

  /** One reason code per filter of the request (MQTT 5 sections 3.9.3, 3.11.3); anything else is a protocol error. */
  private checkReasonCount(kind: number, packetId: number, count: number, field: string): void {
    const requests = this.requests;
    const i = requests === undefined ? -1 : requests.find(kind, packetId);
    if (i >= 0 && requests?.entryCount(i) !== count) {
      throw protocolError(field, "the number of reason codes differs from the number of filters");
    }
  }

  private takeRequest(kind: number, packetId: number): number {
    const requests = this.requests;
    const i = requests === undefined ? -1 : requests.find(kind, packetId);
    if (requests === undefined || i < 0) return -1;
    const token = requests.token(i);
    this.removeRequest(requests, i);
    this.ids.release(packetId);
    return token;
  }

  private removeRequest(requests: PendingRequests, i: number): void {
    requests.removeAt(i);
    if (requests.size === 0) this.requests = undefined;
  }

  private failPendingRequests(): void {
    const requests = this.requests;
    while (requests !== undefined && requests.size > 0) {
      const token = requests.token(0);
      const kind = requests.kind(0);
      this.ids.release(requests.packetId(0));
      this.removeRequest(requests, 0);
      if (token === 0) continue;
      if (kind === RequestKind.SUBSCRIBE) this.handler.onSubscribeDone(token, CONNECTION_LOST_CODES, undefined);
      else this.handler.onUnsubscribeDone(token, CONNECTION_LOST_CODES, undefined);
    }
  }

  // The session resumed: follow the inbound QoS 2 ids still held (see unconfirmed-inbound.ts), if any.
  private noteHeldInbound(): void {
    if (this.store.inboundCount() === 0) {
      this.unconfirmed = undefined;
      return;
    }
    (this.unconfirmed ??= new UnconfirmedInbound(UNCONFIRMED_TRACKED)).noteHeld(this.store);
  }

  private confirmInbound(packetId: number): void {
    const unconfirmed = this.unconfirmed;
    if (unconfirmed === undefined) return;
    unconfirmed.confirm(packetId);
    if (unconfirmed.size === 0) this.unconfirmed = undefined;
  }

  // Our answer cannot be sent (too large for the server or our buffer): the exchange fails, with DISCONNECT.
  private answerChallenge(data: Uint8Array | undefined): void {
    try {
      this.writeAuth(CONTINUE_AUTHENTICATION, data);
    } catch (e) {
      if (e instanceof MqttArgumentError) throw new MqttError(UNSPECIFIED_ERROR, "AUTH", e.message);
      throw e;
    }
  }

  private writeAuth(reasonCode: number, data: Uint8Array | undefined): void {
    const auth = this.options?.authenticator;
    const properties: Properties = { authenticationMethod: auth?.method };
    if (data !== undefined) properties.authenticationData = data;
    const packet: AuthPacket = { type: 15, reasonCode, properties };
    const size = encodedLength(packet, 5);
    this.limits.checkPacketSize(size, "authenticationData");
    if (!this.tx.write(packet)) throw new MqttError(UNSPECIFIED_ERROR, "AUTH", "no room in the transmit buffer");
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
    this.tx.write(packet);
  }

  // ---- connection helpers ---------------------------------------------------------------------------------

  private sendConnect(now: number): void {
    this.attempts++;
    this.decoder.reset();
    this.decoder.version = this.version;
    this.adoptLimits(DEFAULT_LIMITS);
    this.outAliases.reset(0);
    this.inAliases.reset(this.announced.topicAliasMaximum);
    this.keepalive.stop();
    this.setState(EngineState.CONNECTING);
    this.connectStartedAt = now;
    if (!this.tx.write(this.connectPacket())) {
      this.close(UNSPECIFIED_ERROR, new MqttArgumentError("options", "the CONNECT packet exceeds the transmit buffer"));
    }
  }

  private connectPacket() {
    const options = this.options as ConnectOptions;
    const clientId = this.assignedId ?? options.clientId ?? "";
    const resume = this.attempts > 1 && (this.version !== 5 ? options.cleanStart === false : this.sessionExpiry > 0);
    const cleanStart = this.attempts > 1 ? !resume && (options.cleanStart ?? true) : (options.cleanStart ?? true);
    this.cleanStartSent = cleanStart;
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
    if (maximumPacketSize !== this.decoderMaximum) {
      this.decoderMaximum = maximumPacketSize;
      this.decoder = new PacketDecoder({ buffer: this.rxBuffer, version: this.version, maximumPacketSize, topics: this.topics });
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
    if (!this.live) return;
    if (this.version === 5) this.writeDisconnect(reasonCode, undefined);
    this.close(reported, error);
  }

  private close(reasonCode: number, error: Error | undefined): void {
    this.setState(EngineState.CLOSING);
    this.keepalive.stop();
    this.handler.onClose(reasonCode, error);
  }

  private adoptLimits(limits: ServerLimits): void {
    this.limits = this.outbound.limits = limits;
  }

  private setState(state: EngineStateValue): void {
    this.current = state;
    this.live = state === EngineState.CONNECTING || state === EngineState.CONNECTED;
    this.outbound.connected = state === EngineState.CONNECTED;
    this.pollNeeded = true;
  }

  private requireConnected(what: string): void {
    if (this.current !== EngineState.CONNECTED) throw new MqttStateError(what, "needs a connected session");
  }



}

function checkUtf8(p: PublishPacket): void {
  if (!isWellFormedUtf8Payload(p.payload as Uint8Array, p.payloadOffset, p.payloadLength)) {
    throw new MqttError(PAYLOAD_FORMAT_INVALID, "PUBLISH.payload", "Payload Format Indicator 1 but the payload is not UTF-8");
  }
}
