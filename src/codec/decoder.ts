// PacketDecoder: an incremental state machine from bytes to packets over a receive buffer the caller owns.
//
// A packet that lies whole in the bytes fed is parsed where it lies: nothing is copied, so its cost does not
// depend on its size. Otherwise the state machine assembles it: first byte -> remaining length (a variable
// byte integer of at most 4 bytes, minimal form) -> body (copied into the receive buffer until the remaining
// length is complete) -> parse. A packet whose size exceeds maximumPacketSize, or that cannot fit the receive
// buffer, is refused with 0x95 as soon as its remaining length is known, whether it came whole or not.
// Bytes may arrive in any fragmentation.
//
// Lifetime of what feed() returns: the PUBLISH object and the one acknowledgement object (PUBACK, PUBREC,
// PUBREL and PUBCOMP share it) belong to the decoder and are overwritten by the next packet of their kind;
// the packets a client meets once per connection or less (CONNACK, SUBACK, UNSUBACK, DISCONNECT, AUTH) are
// new objects. Properties, PUBLISH payloads, correlation/authentication data, CONNECT passwords and will
// payloads are reused or are windows into the bytes fed (or the receive buffer), which the next feed()
// overwrites. A decoded packet is therefore valid until the next call to feed() (or reset()) and only while
// the fed bytes are unchanged; copy anything you keep. Decoding an inbound PUBLISH whose topic equals the
// previous one allocates nothing (the previous topic string is reused when the bytes match).
//
// Errors: anything wrong with the input throws MqttError (never another exception) with the reason code
// to send in DISCONNECT. After an error the decoder stays failed, rethrowing it, until reset().

import type {
  AckPacket, AuthPacket, ConnackPacket, ConnectPacket, DisconnectPacket, Packet, PingreqPacket,
  PingrespPacket, ProtocolVersion, PublishPacket, SubackPacket, SubscribePacket, UnsubackPacket,
  UnsubscribePacket, Will,
} from "./packet";
import { MqttError, PACKET_TOO_LARGE, malformed } from "./errors";
import { decodeAck } from "./ack";
import { decodeAuth } from "./auth";
import { decodeConnack } from "./connack";
import { decodeConnect } from "./connect";
import { decodeDisconnect } from "./disconnect";
import { decodePing } from "./ping";
import { PropertyStore } from "./property-codec";
import { decodePublish } from "./publish";
import { TopicCache } from "./topic-cache";
import { Reader } from "./reader";
import { decodeSuback } from "./suback";
import { decodeSubscribe } from "./subscribe";
import { decodeUnsuback } from "./unsuback";
import { decodeUnsubscribe } from "./unsubscribe";

const HEADER = 0;
const LENGTH = 1;
const BODY = 2;
const FAILED = 3;

/** Up to this many bytes a piece of a packet is copied by a loop rather than through a view (4 slots on XS). */
const SMALL_COPY = 8;

/** The largest packet MQTT can express: 1 + 4 + 268,435,455. */
const MAX_MQTT_PACKET = 268_435_460;

/** Options of {@link PacketDecoder}. */
export interface PacketDecoderOptions {
  /** Receive buffer; a packet's body must fit in it whole. */
  buffer: Uint8Array;
  /** 5 (default) or 4; a decoded CONNECT sets it. */
  version?: ProtocolVersion;
  /** Largest whole packet accepted (fixed header included); larger ones are refused with 0x95. */
  maximumPacketSize?: number;
  /** Where received topics are remembered, so a repeated one is recognised by its bytes (the engine shares
   * its own with its publish path); by default the decoder makes one on the first PUBLISH. */
  topics?: TopicCache;
}

/**
 * The reused objects for packets only a server receives: CONNECT with its will and the will's properties,
 * SUBSCRIBE and UNSUBSCRIBE. A client's decoder never meets them (about 1 KB of XS heap), so they are made on
 * first use; a broker-side or test decoder pays for them once.
 */
class ServerBoundTargets {
  readonly willStore = new PropertyStore();
  readonly will: Will = { topic: "", payload: "", qos: 0, retain: false, properties: undefined };
  readonly connect: ConnectPacket = {
    type: 1, protocolVersion: 5, clientId: "", cleanStart: false, keepAlive: 0,
    username: undefined, password: undefined, will: undefined, properties: undefined,
  };
  readonly subscribe: SubscribePacket = { type: 8, packetId: 0, subscriptions: [], properties: undefined };
  readonly unsubscribe: UnsubscribePacket = { type: 10, packetId: 0, filters: [], properties: undefined };
}

/**
 * Incremental decoder from bytes to packets over a receive buffer the caller owns; see feed().
 * A decoded packet and its payload window are reused: valid until the next feed() or reset().
 */
export class PacketDecoder {
  version: ProtocolVersion;
  readonly buffer: Uint8Array;
  maximumPacketSize: number;
  packet: Packet | null = null;

  private state = HEADER;
  private firstByte = 0;
  private remaining = 0;
  private lengthBytes = 0;
  private scale = 1;
  private have = 0;
  private error: MqttError | null = null;

  private readonly reader: Reader;
  private readonly store = new PropertyStore();
  /** The steady-state traffic reuses one object each, made on first use. */
  private publish: PublishPacket | undefined = undefined;
  private ack: AckPacket | undefined = undefined;
  private topicCache: TopicCache | undefined = undefined;
  /** Made on the first CONNECT, SUBSCRIBE or UNSUBSCRIBE: see ServerBoundTargets. */
  private serverBound: ServerBoundTargets | undefined = undefined;

  constructor(options: PacketDecoderOptions) {
    this.buffer = options.buffer;
    this.version = options.version ?? 5;
    this.maximumPacketSize = options.maximumPacketSize ?? MAX_MQTT_PACKET;
    this.reader = new Reader(this.buffer);
    this.topicCache = options.topics;
  }

  /** Bytes of a packet arriving in pieces already in the receive buffer, at buffer[0, assembled): the next
   * piece belongs right after them (a transport that reads into the buffer puts it there: no copy). */
  get assembled(): number {
    return this.state === BODY ? this.have : 0;
  }

  /** Between packets, not failed: the next byte fed starts a packet. */
  atPacketStart(): boolean {
    return this.state === HEADER && this.error === null;
  }

  /** Forgets any partial packet and a failed state (for a new connection). */
  reset(): void {
    this.state = HEADER;
    this.error = null;
    this.packet = null;
    this.have = 0;
  }

  /**
   * Consumes bytes from src[start, end) and returns how many it took. It stops right after a packet
   * completes; `packet` is then that packet, otherwise null. Throws MqttError on malformed input.
   */
  feed(src: Uint8Array, start: number, end: number): number {
    this.packet = null;
    if (this.error !== null) throw this.error;
    try {
      return this.step(src, start, end);
    } catch (e) {
      const error = e instanceof MqttError ? e : malformed("packet", e instanceof Error ? e.message : String(e));
      this.state = FAILED;
      this.error = error;
      throw error;
    }
  }

  private step(src: Uint8Array, start: number, end: number): number {
    if (this.state === HEADER) {
      const whole = this.parseWhole(src, start, end);
      if (whole > 0) return whole;
    }
    let i = start;
    while (i < end) {
      if (this.state === HEADER) {
        this.startPacket(src[i++]);
      } else if (this.state === LENGTH) {
        if (this.lengthByte(src[i++])) return i - start;
      } else {
        const n = Math.min(end - i, this.remaining - this.have);
        this.copyBody(src, i, n);
        i += n;
        if (this.have === this.remaining) {
          this.complete();
          return i - start;
        }
      }
    }
    return i - start;
  }

  /**
   * Parses the packet at src[start...] in place when all of it is there (and its remaining length takes one
   * or two bytes, as every packet up to 16 KB does); returns its length, or 0 to leave it to the state machine,
   * which also judges remaining lengths that are not in minimal form.
   */
  private parseWhole(src: Uint8Array, start: number, end: number): number {
    if (end - start < 2) return 0;
    let remaining = src[start + 1];
    let lengthBytes = 1;
    if (remaining >= 0x80) {
      if (end - start < 3) return 0;
      const high = src[start + 2];
      if (high === 0 || high >= 0x80) return 0;
      remaining = (remaining & 0x7f) + high * 128;
      lengthBytes = 2;
    }
    const total = 1 + lengthBytes + remaining;
    if (total > end - start) return 0;
    const first = src[start];
    checkFirstByte(first, this.version);
    this.firstByte = first;
    this.remaining = remaining;
    this.lengthBytes = lengthBytes;
    this.checkSize();
    this.reader.init(src, start + 1 + lengthBytes, start + total);
    this.packet = this.parse(first >> 4, first & 0x0f);
    return total;
  }

  private startPacket(b: number): void {
    checkFirstByte(b, this.version);
    this.firstByte = b;
    this.remaining = 0;
    this.lengthBytes = 0;
    this.scale = 1;
    this.have = 0;
    this.state = LENGTH;
  }

  /** Takes one remaining-length byte; returns true when that completed a packet (an empty body). */
  private lengthByte(b: number): boolean {
    this.lengthBytes++;
    if (this.lengthBytes > 1 && b === 0) throw malformed("remaining length", "is not in minimal form");
    this.remaining += (b & 0x7f) * this.scale;
    this.scale *= 128;
    if ((b & 0x80) !== 0) {
      if (this.lengthBytes === 4) throw malformed("remaining length", "is longer than 4 bytes");
      return false;
    }
    this.checkSize();
    this.state = BODY;
    if (this.remaining > 0) return false;
    this.complete();
    return true;
  }

  private checkSize(): void {
    const total = 1 + this.lengthBytes + this.remaining;
    if (total > this.maximumPacketSize) {
      throw new MqttError(PACKET_TOO_LARGE, "remaining length", `packet of ${total} bytes exceeds the maximum ${this.maximumPacketSize}`);
    }
    if (this.remaining > this.buffer.length) {
      throw new MqttError(PACKET_TOO_LARGE, "remaining length", `packet body of ${this.remaining} bytes exceeds the receive buffer`);
    }
  }

  // Only a packet that arrives in pieces is copied. A transport that reads into the receive buffer itself
  // (the Moddable ones do) needs at most a copyWithin; bytes from elsewhere are copied natively.
  private copyBody(src: Uint8Array, from: number, n: number): void {
    const buf = this.buffer;
    if (src === buf) {
      if (from !== this.have) buf.copyWithin(this.have, from, from + n);
    } else if (n <= SMALL_COPY) {
      for (let i = 0; i < n; i++) buf[this.have + i] = src[from + i];
    } else {
      buf.set(src.subarray(from, from + n), this.have);
    }
    this.have += n;
  }

  private toServer(): ServerBoundTargets {
    return (this.serverBound ??= new ServerBoundTargets());
  }

  private complete(): void {
    this.state = HEADER;
    this.reader.init(this.buffer, 0, this.remaining);
    this.packet = this.parse(this.firstByte >> 4, this.firstByte & 0x0f);
  }

  private parse(type: number, flags: number): Packet {
    const r = this.reader;
    const v = this.version;
    switch (type) {
      case 1: {
        const t = this.toServer();
        this.version = decodeConnect(r, t.connect, t.will, this.store, t.willStore);
        return t.connect;
      }
      case 2: {
        const connack: ConnackPacket = { type: 2, sessionPresent: false, reasonCode: 0, properties: undefined };
        decodeConnack(r, v, connack, this.store);
        return connack;
      }
      case 3: {
        const publish = (this.publish ??= newPublish());
        decodePublish(r, flags, v, publish, this.store, (this.topicCache ??= new TopicCache(new Uint8Array(TopicCache.BYTES), 0)));
        return publish;
      }
      case 4: case 5: case 6: case 7: {
        const ack = (this.ack ??= { type: 4, packetId: 0, reasonCode: 0, properties: undefined });
        ack.type = type;
        decodeAck(r, v, ack, this.store);
        return ack;
      }
      case 8: {
        const subscribe = this.toServer().subscribe;
        decodeSubscribe(r, v, subscribe, this.store);
        return subscribe;
      }
      case 9: {
        const suback: SubackPacket = { type: 9, packetId: 0, reasonCodes: [], properties: undefined };
        decodeSuback(r, v, suback, this.store);
        return suback;
      }
      case 10: {
        const unsubscribe = this.toServer().unsubscribe;
        decodeUnsubscribe(r, v, unsubscribe, this.store);
        return unsubscribe;
      }
      case 11: {
        const unsuback: UnsubackPacket = { type: 11, packetId: 0, reasonCodes: [], properties: undefined };
        decodeUnsuback(r, v, unsuback, this.store);
        return unsuback;
      }
      case 12: decodePing(r, "PINGREQ"); return PINGREQ;
      case 13: decodePing(r, "PINGRESP"); return PINGRESP;
      case 14: {
        const disconnect: DisconnectPacket = { type: 14, reasonCode: 0, properties: undefined };
        decodeDisconnect(r, v, disconnect, this.store);
        return disconnect;
      }
      default: {
        const auth: AuthPacket = { type: 15, reasonCode: 0, properties: undefined };
        decodeAuth(r, v, auth, this.store);
        return auth;
      }
    }
  }
}

// PINGREQ and PINGRESP carry nothing: one shared, frozen object each.
const PINGREQ: PingreqPacket = Object.freeze({ type: 12 as const });
const PINGRESP: PingrespPacket = Object.freeze({ type: 13 as const });

function newPublish(): PublishPacket {
  return {
    type: 3, topic: "", qos: 0, retain: false, dup: false, packetId: 0, payload: "",
    payloadOffset: 0, payloadLength: 0, properties: undefined,
  };
}

/** Packet type 0 is reserved, AUTH (15) does not exist in 3.1.1, and the flag bits are fixed per type. */
function checkFirstByte(b: number, version: ProtocolVersion): void {
  const type = b >> 4;
  const flags = b & 0x0f;
  if (type === 0) throw malformed("fixed header", "reserved packet type 0");
  if (type === 15 && version !== 5) throw malformed("fixed header", "packet type 15 is reserved before MQTT 5");
  if (type === 3) {
    if ((flags & 6) === 6) throw malformed("PUBLISH.qos", "QoS 3");
    return;
  }
  const required = type === 6 || type === 8 || type === 10 ? 2 : 0;
  if (flags !== required) throw malformed("fixed header", `reserved flags 0x${flags.toString(16)} for packet type ${type}`);
}
