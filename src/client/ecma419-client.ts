// A client in the shape of Moddable's ECMA-419 MQTT client (`embedded:network/mqtt/client`), extended
// with MQTT 5, over the same engine and Platform as MqttClient. Apps written for Moddable's 3.1.1 client
// keep their callbacks, read() and write(); MQTT 5 adds `properties` in and out and reason codes.
//
// Differences from Moddable's client, because the engine works on whole packets:
// - An outbound payload written in fragments (byteLength larger than the first write) is collected in a
//   staging buffer of `maxPayload` bytes and published when the last fragment arrives.
// - An inbound payload sits whole in the engine's receive buffer during onReadable; it is announced in
//   fragments of at most `readFragment` bytes (default: all at once). Bytes not read when the last
//   onReadable for a message returns are dropped.
// - PINGREQ is the engine's business (keepalive): writing it is accepted and does nothing; PINGRESP is
//   not reported. Packet ids are the engine's: `id` in write options is the caller's label, echoed back
//   in onControl for that publish.
// - No reconnect: as with Moddable's client, after onClose/onError the app makes a new instance (pass the
//   same `sessionStore` to continue the session).

import { MqttArgumentError } from "../codec/errors";
import { utf8Length, writeUtf8 } from "../codec/utf8";
import type { ConnackPacket, ProtocolVersion, PublishPacket, QoS, Subscription, Will } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttStateError, PublishResult } from "../engine/index";
import type { EngineConfig, SessionStore } from "../engine/index";
import { MqttClient } from "./mqtt-client";
import type { PublishOptions } from "./mqtt-client";
import type { Platform, TlsOptions } from "./transport";

/** The will, in the shape of Moddable's ECMA-419 MQTT client. */
export interface Ecma419Will {
  topic: string;
  message: ArrayBuffer | Uint8Array | string;
  QoS?: QoS;
  retain?: boolean | number;
  /** MQTT 5 will properties (willDelayInterval, messageExpiryInterval, ...). */
  properties?: Properties;
}

/** What onReadable reports about an inbound message (its first fragment carries the topic). */
export interface Ecma419ReadableInfo {
  /** First fragment only: the topic, the whole payload length, QoS, retain and (MQTT 5) properties. */
  topic?: string;
  byteLength?: number;
  QoS?: QoS;
  retain?: boolean;
  properties?: Properties;
  /** More fragments of this message follow. */
  more: boolean;
}

/** An acknowledgement or other control packet reported through onControl. */
export interface Ecma419ControlMessage {
  operation: number;
  /** PUBACK/PUBCOMP: the `id` given to write() (or the engine's token); SUBACK/UNSUBACK: the token. */
  id?: number;
  /** CONNACK: the return/reason code, as in Moddable's client. */
  returnCode?: number;
  /** MQTT 5 reason code (CONNACK, PUBACK/PUBCOMP, DISCONNECT). */
  reasonCode?: number;
  sessionPresent?: boolean;
  /** SUBACK/UNSUBACK: one code per filter. */
  payload?: number[];
  properties?: Properties;
}

/** Options of {@link Ecma419Client.write}: the PUBLISH (or SUBSCRIBE/UNSUBSCRIBE) to send. */
export interface Ecma419WriteOptions {
  operation?: number;
  topic?: string;
  QoS?: QoS;
  retain?: boolean | number;
  /** Whole payload length when `data` is the first of several fragments. */
  byteLength?: number;
  /** Caller's label for this publish, echoed in onControl. */
  id?: number;
  /** SUBSCRIBE/UNSUBSCRIBE items; MQTT 5 options noLocal, retainAsPublished, retainHandling. */
  items?: { topic: string; QoS?: QoS; noLocal?: boolean; retainAsPublished?: boolean; retainHandling?: 0 | 1 | 2 }[];
  /** MQTT 5 properties of the PUBLISH, SUBSCRIBE, UNSUBSCRIBE or DISCONNECT. */
  properties?: Properties;
  /** DISCONNECT reason code (MQTT 5; 0x04 publishes the will). */
  reasonCode?: number;
}

/** Options of {@link Ecma419Client}, named as Moddable's ECMA-419 MQTT client names them. */
export interface Ecma419ClientOptions {
  platform: Platform;
  host: string;
  port?: number;
  tls?: TlsOptions | boolean;
  id?: string;
  user?: string;
  password?: string | ArrayBuffer | Uint8Array;
  will?: Ecma419Will;
  /** Milliseconds, as in Moddable's client (default 60000; 0 off). `keepAlive` is accepted too. */
  keepalive?: number;
  keepAlive?: number;
  clean?: boolean;
  /** 5 (default) or 4. */
  protocolVersion?: ProtocolVersion;
  /** MQTT 5 CONNECT properties. */
  properties?: Properties;
  /** Largest payload written in fragments (default 4096). */
  maxPayload?: number;
  /** Inbound payloads are announced in fragments of at most this many bytes (default: whole). */
  readFragment?: number;
  sessionStore?: SessionStore;
  engine?: EngineConfig;
  /** An inbound message (or the next fragment of one): `count` bytes can be read(). */
  onReadable?(this: Ecma419Client, count: number, info: Ecma419ReadableInfo): void;
  /** `count` payload bytes can be written now. */
  onWritable?(this: Ecma419Client, count: number): void;
  /** A CONNACK, acknowledgement or DISCONNECT arrived. */
  onControl?(this: Ecma419Client, message: Ecma419ControlMessage): void;
  /** The connection closed; make a new client to connect again. */
  onClose?(this: Ecma419Client): void;
  /** The connection failed or broke the protocol. */
  onError?(this: Ecma419Client, error?: Error): void;
}

const Op = Object.freeze({
  CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, PUBREC: 5, PUBREL: 6, PUBCOMP: 7, SUBSCRIBE: 8, SUBACK: 9,
  UNSUBSCRIBE: 10, UNSUBACK: 11, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14,
} as const);

/** Bytes of a PUBLISH header kept out of the writable count (Moddable's client keeps 8). */
const OVERHEAD = 8;

/**
 * A client in the shape of Moddable's ECMA-419 MQTT client (`embedded:network/mqtt/client`),
 * extended with MQTT 5, over the same engine and {@link Platform} as {@link MqttClient}.
 */
export class Ecma419Client {
  static readonly CONNECT = Op.CONNECT;
  static readonly CONNACK = Op.CONNACK;
  static readonly PUBLISH = Op.PUBLISH;
  static readonly PUBACK = Op.PUBACK;
  static readonly PUBREC = Op.PUBREC;
  static readonly PUBREL = Op.PUBREL;
  static readonly PUBCOMP = Op.PUBCOMP;
  static readonly SUBSCRIBE = Op.SUBSCRIBE;
  static readonly SUBACK = Op.SUBACK;
  static readonly UNSUBSCRIBE = Op.UNSUBSCRIBE;
  static readonly UNSUBACK = Op.UNSUBACK;
  static readonly PINGREQ = Op.PINGREQ;
  static readonly PINGRESP = Op.PINGRESP;
  static readonly DISCONNECT = Op.DISCONNECT;

  private client: MqttClient | undefined;
  private readonly callbacks: Ecma419ClientOptions;
  private readonly staging: Uint8Array;
  private readonly readFragment: number;
  private readonly txSize: number;
  // The publish being written in fragments.
  private staged = 0;
  private stagedLength = -1;
  private stagedTopic = "";
  private stagedQoS: QoS = 0;
  private stagedRetain = false;
  private stagedId: number | undefined = undefined;
  private stagedProperties: Properties | undefined = undefined;
  // The message being read: its window in the receive buffer.
  private inBuffer: Uint8Array | undefined = undefined;
  private inPosition = 0;
  private inAvailable = 0;
  private readonly publishOptions: PublishOptions = { qos: 0, retain: false };
  private readonly labels = new Map<number, { id: number; qos: QoS }>();
  private closed = false;

  constructor(options: Ecma419ClientOptions) {
    this.callbacks = options;
    this.readFragment = options.readFragment ?? Infinity;
    this.staging = new Uint8Array(options.maxPayload ?? 4096);
    this.txSize = options.engine?.transmitBufferSize ?? 1024;
    const keepalive = options.keepalive ?? options.keepAlive ?? 60_000;
    const client = new MqttClient({
      platform: options.platform,
      host: options.host,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
      clientId: options.id ?? "",
      keepalive: Math.round(keepalive / 1000),
      clean: options.clean ?? true,
      protocolVersion: options.protocolVersion ?? 5,
      reconnectPeriod: 0,
      ...(options.user !== undefined ? { username: options.user } : {}),
      ...(options.password !== undefined ? { password: toBytes(options.password) } : {}),
      ...(options.will !== undefined ? { will: toWill(options.will) } : {}),
      ...(options.properties !== undefined ? { properties: options.properties } : {}),
      ...(options.sessionStore !== undefined ? { sessionStore: options.sessionStore } : {}),
      ...(options.engine !== undefined ? { engine: options.engine } : {}),
    });
    this.client = client;
    client.on("connect", (connack) => this.connacked(connack));
    client.on("message", (_topic, _payload, packet) => this.message(packet));
    client.on("publishDone", (token, reasonCode, properties) => this.published(token, reasonCode, properties));
    client.on("subscribed", (token, codes, properties) => this.control({ operation: Op.SUBACK, id: token, payload: codes.slice(), ...props(properties) }));
    client.on("unsubscribed", (token, codes, properties) => this.control({ operation: Op.UNSUBACK, id: token, payload: codes.slice(), ...props(properties) }));
    client.on("disconnect", (reasonCode, properties) => this.control({ operation: Op.DISCONNECT, reasonCode, ...props(properties) }));
    client.on("writable", () => this.writable());
    let failure: Error | undefined;
    client.on("error", (error) => (failure = error));
    client.on("close", (error) => this.ended(failure ?? error));
    client.connect();
  }

  /** Copies up to `count` bytes of the current inbound payload fragment into a new ArrayBuffer. */
  read(count?: number): ArrayBuffer | undefined {
    const buffer = this.inBuffer;
    if (buffer === undefined || this.inAvailable === 0) return undefined;
    const n = Math.min(count ?? this.inAvailable, this.inAvailable);
    // Uint8Array.slice copies into a buffer of its own (the receive buffer's ArrayBuffer may be a HostBuffer,
    // which has no slice()).
    const out = buffer.slice(this.inPosition, this.inPosition + n).buffer;
    this.inPosition += n;
    this.inAvailable -= n;
    return out;
  }

  /**
   * PUBLISH (the default operation): `data` is the payload or its first fragment when `byteLength` is
   * larger; later fragments are written with no options. Other operations: SUBSCRIBE/UNSUBSCRIBE with
   * `items`, DISCONNECT, PINGREQ. Returns the bytes that can be written now.
   */
  write(data: ArrayBuffer | Uint8Array | string | null, options?: Ecma419WriteOptions): number {
    const client = this.live();
    if (this.stagedLength >= 0) {
      if (options !== undefined) throw new MqttArgumentError("options", "the previous publish still expects payload fragments");
      this.append(data);
      return this.writableCount();
    }
    if (options === undefined) throw new MqttArgumentError("options", "a topic is needed to start a publish");
    const operation = options.operation ?? Op.PUBLISH;
    if (operation === Op.PUBLISH) this.startPublish(data, options);
    else if (operation === Op.SUBSCRIBE) client.subscribe(items(options).map((i) => toSubscription(i)), options.properties === undefined ? undefined : { properties: options.properties });
    else if (operation === Op.UNSUBSCRIBE) client.unsubscribe(items(options).map((i) => i.topic), options.properties);
    else if (operation === Op.DISCONNECT) client.end(options.reasonCode ?? 0, options.properties);
    else if (operation !== Op.PINGREQ) throw new MqttArgumentError("options.operation", `cannot write operation ${operation}`);
    return this.writableCount();
  }

  /** Ends the connection at once (no DISCONNECT: the broker publishes the will). */
  close(): void {
    const client = this.client;
    if (client === undefined) return;
    this.closed = true;
    this.client = undefined;
    client.destroy();
  }

  /** The MqttClient underneath, for what this shape does not cover. */
  get mqtt(): MqttClient | undefined {
    return this.client;
  }

  private live(): MqttClient {
    if (this.client === undefined) throw new MqttStateError("write", "the client is closed");
    return this.client;
  }

  private writableCount(): number {
    const client = this.client;
    if (client === undefined || !client.connected) return 0;
    const room = this.txSize - client.engine.pending() - OVERHEAD;
    return room > 0 ? room : 0;
  }

  private startPublish(data: ArrayBuffer | Uint8Array | string | null, o: Ecma419WriteOptions): void {
    if (typeof o.topic !== "string") throw new MqttArgumentError("options.topic", "must be a string");
    const bytes = toBytes(data ?? new Uint8Array(0));
    const total = o.byteLength ?? bytes.length;
    if (bytes.length > total) throw new MqttArgumentError("options.byteLength", "is smaller than the data");
    this.stagedTopic = o.topic;
    this.stagedQoS = o.QoS ?? 0;
    this.stagedRetain = Boolean(o.retain);
    this.stagedId = o.id;
    this.stagedProperties = o.properties;
    if (bytes.length === total) return this.publish(bytes, 0, total);
    if (total > this.staging.length) throw new MqttArgumentError("options.byteLength", `exceeds maxPayload (${this.staging.length})`);
    this.stagedLength = total;
    this.staged = 0;
    this.append(bytes);
  }

  private append(data: ArrayBuffer | Uint8Array | string | null): void {
    const bytes = toBytes(data ?? new Uint8Array(0));
    if (this.staged + bytes.length > this.stagedLength) throw new MqttArgumentError("data", "more bytes than byteLength announced");
    this.staging.set(bytes, this.staged);
    this.staged += bytes.length;
    if (this.staged < this.stagedLength) return;
    const length = this.stagedLength;
    this.stagedLength = -1;
    this.publish(this.staging, 0, length);
  }

  private publish(payload: Uint8Array, offset: number, length: number): void {
    const client = this.live();
    const qos = this.stagedQoS;
    const o = this.publishOptions;
    o.qos = qos;
    o.retain = this.stagedRetain;
    o.properties = this.stagedProperties;
    const token = client.publishWindow(this.stagedTopic, payload, offset, length, o);
    if (token === PublishResult.QUEUE_FULL) throw new MqttStateError("write", "the outbound queue is full");
    if (token > 0 && qos > 0) this.labels.set(token, { id: this.stagedId ?? token, qos });
  }

  private connacked(connack: ConnackPacket): void {
    this.control({ operation: Op.CONNACK, returnCode: connack.reasonCode, reasonCode: connack.reasonCode, sessionPresent: connack.sessionPresent, ...props(connack.properties) });
    this.writable();
  }

  private writable(): void {
    const count = this.writableCount();
    if (count > 0 && this.client !== undefined) this.callbacks.onWritable?.call(this, count);
  }

  private published(token: number, reasonCode: number, properties: Properties | undefined): void {
    const label = this.labels.get(token);
    if (label === undefined) return;
    this.labels.delete(token);
    this.control({ operation: label.qos === 1 ? Op.PUBACK : Op.PUBCOMP, id: label.id, reasonCode, ...props(properties) });
  }

  private message(p: PublishPacket): void {
    const total = p.payloadLength ?? 0;
    this.inBuffer = p.payload as Uint8Array;
    this.inPosition = p.payloadOffset ?? 0;
    let left = total;
    let first = true;
    do {
      const n = Math.min(left, this.readFragment);
      left -= n;
      // Whatever the app left unread of the previous fragment is skipped.
      this.inPosition += this.inAvailable;
      this.inAvailable = n;
      const info: Ecma419ReadableInfo = first
        ? { topic: p.topic, byteLength: total, QoS: p.qos, retain: p.retain, more: left > 0, ...props(p.properties) }
        : { more: left > 0 };
      first = false;
      this.callbacks.onReadable?.call(this, n, info);
    } while (left > 0 && this.client !== undefined);
    this.inBuffer = undefined;
    this.inAvailable = 0;
  }

  private control(message: Ecma419ControlMessage): void {
    this.callbacks.onControl?.call(this, message);
  }

  private ended(error: Error | undefined): void {
    // After the app's own close() nothing more is reported, as with Moddable's client.
    if (this.closed) return;
    this.client = undefined;
    this.closed = true;
    if (error !== undefined) this.callbacks.onError?.call(this, error);
    else this.callbacks.onClose?.call(this);
  }
}

function props(properties: Properties | undefined): { properties?: Properties } {
  return properties === undefined ? {} : { properties };
}

function items(o: Ecma419WriteOptions): NonNullable<Ecma419WriteOptions["items"]> {
  if (!Array.isArray(o.items) || o.items.length === 0) throw new MqttArgumentError("options.items", "must be a non-empty array");
  return o.items;
}

function toSubscription(i: NonNullable<Ecma419WriteOptions["items"]>[number]): Subscription {
  const s: Subscription = { filter: i.topic, qos: i.QoS ?? 0 };
  if (i.noLocal !== undefined) s.noLocal = i.noLocal;
  if (i.retainAsPublished !== undefined) s.retainAsPublished = i.retainAsPublished;
  if (i.retainHandling !== undefined) s.retainHandling = i.retainHandling;
  return s;
}

function toBytes(data: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof data === "string") {
    const out = new Uint8Array(utf8Length(data, "data"));
    writeUtf8(out, 0, data);
    return out;
  }
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new MqttArgumentError("data", "must be an ArrayBuffer, a Uint8Array or a string");
}

function toWill(w: Ecma419Will): Will {
  if (typeof w.topic !== "string") throw new MqttArgumentError("will.topic", "must be a string");
  const will: Will = { topic: w.topic, payload: typeof w.message === "string" ? w.message : toBytes(w.message), qos: w.QoS ?? 0, retain: Boolean(w.retain) };
  if (w.properties !== undefined) will.properties = w.properties;
  return will;
}
