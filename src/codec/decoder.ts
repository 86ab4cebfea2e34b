// PacketDecoder: an incremental state machine from bytes to packets over a receive buffer the caller owns.
//
// States: first byte -> remaining length (a variable byte integer of at most 4 bytes, minimal form) ->
// body (copied into the receive buffer until the remaining length is complete) -> parse. A packet whose
// size exceeds maximumPacketSize, or that cannot fit the receive buffer, is refused with 0x95 as soon as its
// remaining length is known, before any of its body is buffered. Bytes may arrive in any fragmentation.
//
// Lifetime of what feed() returns: one packet object per packet type, one Will and two Properties objects
// belong to the decoder and are overwritten by the next packet of the same kind. PUBLISH payloads,
// correlation/authentication data, CONNECT passwords and will payloads are windows into the receive
// buffer, which the next feed() overwrites. A decoded packet is therefore valid until the next call to
// feed() (or reset()); copy anything you keep. Decoding an inbound PUBLISH whose topic equals the previous
// one allocates nothing (the previous topic string is reused when the bytes match).
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
import { TopicCache, decodePublish } from "./publish";
import { Reader } from "./reader";
import { decodeSuback } from "./suback";
import { decodeSubscribe } from "./subscribe";
import { decodeUnsuback } from "./unsuback";
import { decodeUnsubscribe } from "./unsubscribe";
import { copyBytes } from "./writer";

const HEADER = 0;
const LENGTH = 1;
const BODY = 2;
const FAILED = 3;

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
  private readonly topicCache = new TopicCache();
  private readonly connack: ConnackPacket = { type: 2, sessionPresent: false, reasonCode: 0, properties: undefined };
  private readonly publish: PublishPacket = {
    type: 3, topic: "", qos: 0, retain: false, dup: false, packetId: 0, payload: "",
    payloadOffset: 0, payloadLength: 0, properties: undefined,
  };
  private readonly acks: AckPacket[] = [4, 5, 6, 7].map(
    (type) => ({ type, packetId: 0, reasonCode: 0, properties: undefined }) as AckPacket,
  );
  private readonly suback: SubackPacket = { type: 9, packetId: 0, reasonCodes: [], properties: undefined };
  private readonly unsuback: UnsubackPacket = { type: 11, packetId: 0, reasonCodes: [], properties: undefined };
  private readonly pingreq: PingreqPacket = { type: 12 };
  private readonly pingresp: PingrespPacket = { type: 13 };
  private readonly disconnect: DisconnectPacket = { type: 14, reasonCode: 0, properties: undefined };
  private readonly auth: AuthPacket = { type: 15, reasonCode: 0, properties: undefined };
  /** Made on the first CONNECT, SUBSCRIBE or UNSUBSCRIBE: see ServerBoundTargets. */
  private serverBound: ServerBoundTargets | undefined = undefined;

  constructor(options: PacketDecoderOptions) {
    this.buffer = options.buffer;
    this.version = options.version ?? 5;
    this.maximumPacketSize = options.maximumPacketSize ?? MAX_MQTT_PACKET;
    this.reader = new Reader(this.buffer);
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

  private copyBody(src: Uint8Array, from: number, n: number): void {
    const buf = this.buffer;
    if (src === buf) {
      if (from !== this.have) buf.copyWithin(this.have, from, from + n);
    } else {
      copyBytes(buf, this.have, src, from, n);
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
      case 2: decodeConnack(r, v, this.connack, this.store); return this.connack;
      case 3: decodePublish(r, flags, v, this.publish, this.store, this.topicCache); return this.publish;
      case 4: case 5: case 6: case 7: {
        const ack = this.acks[type - 4];
        decodeAck(r, v, ack, this.store);
        return ack;
      }
      case 8: {
        const subscribe = this.toServer().subscribe;
        decodeSubscribe(r, v, subscribe, this.store);
        return subscribe;
      }
      case 9: decodeSuback(r, v, this.suback, this.store); return this.suback;
      case 10: {
        const unsubscribe = this.toServer().unsubscribe;
        decodeUnsubscribe(r, v, unsubscribe, this.store);
        return unsubscribe;
      }
      case 11: decodeUnsuback(r, v, this.unsuback, this.store); return this.unsuback;
      case 12: decodePing(r, "PINGREQ"); return this.pingreq;
      case 13: decodePing(r, "PINGRESP"); return this.pingresp;
      case 14: decodeDisconnect(r, v, this.disconnect, this.store); return this.disconnect;
      default: decodeAuth(r, v, this.auth, this.store); return this.auth;
    }
  }
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
