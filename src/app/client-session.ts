// The app's MqttSession over the public client (src/client): MqttClient connects, reconnects with backoff
// and jitter, and keeps QoS 1/2 in flight across drops; this adapter only translates names. The client is
// built in start(), where the app hands over its client id and will.
import type { Platform, TransportOptions } from "../client/transport";
import { MqttClient } from "../client/mqtt-client";
import type { MqttClientOptions, ReconnectBackoffOptions } from "../client/options";
import type { PublishOptions } from "../client/mqtt-client";
import type { ProtocolVersion, PublishPacket, QoS, Will } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { describeReason } from "../codec/reason-codes";
import type { BackoffOptions, EngineConfig, SessionStore } from "../engine/index";
import type { AppPublishOptions, AppWill, MqttSession, SessionEvents } from "./ports";

export interface ClientSessionOptions {
  platform: Platform;
  broker: TransportOptions;
  engine?: EngineConfig;
  backoff?: BackoffOptions;
  protocolVersion?: ProtocolVersion;
  /** Seconds; default 30. */
  keepAlive?: number;
  /** Start without a stored session (default false: resume it across reconnects). */
  cleanStart?: boolean;
  /** MQTT 5 Session Expiry Interval in seconds (default 300), so QoS 1/2 survive a drop; a device that
   * sleeps needs more than its sleep (sessionExpiryForSleep()). */
  sessionExpiry?: number;
  /** Where the session lives (default: the engine's memory); a FlashSessionStore keeps it across reboots
   * and deep sleep. */
  store?: SessionStore;
  username?: string;
  password?: string;
  /** Connection events worth a line in a log. */
  log?: (line: string) => void;
  /** Inbound messages; `message` is valid only during the call (its payload is a window). */
  onMessage?: (message: PublishPacket) => void;
}

export class ClientSession implements MqttSession {
  private readonly options: ClientSessionOptions;
  private client: MqttClient | undefined = undefined;
  // The app passes the same options object for every reading: the client's options are built once.
  private lastOptions: AppPublishOptions | undefined = undefined;
  private lastPublishOptions: PublishOptions = {};

  constructor(options: ClientSessionOptions) {
    this.options = options;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(clientId: string, will: AppWill | undefined, events: SessionEvents): void {
    if (this.client !== undefined) return;
    const client = new MqttClient(this.clientOptions(clientId, will));
    this.client = client;
    client.on("connect", () => events.onConnected());
    client.on("offline", () => events.onDisconnected());
    const onPublishDone = events.onPublishDone;
    if (onPublishDone !== undefined) client.on("publishDone", () => onPublishDone());
    const onMessage = this.options.onMessage;
    if (onMessage !== undefined) client.on("message", (_topic, _payload, packet) => onMessage(packet));
    client.on("error", (error) => this.log(`error: ${error.message}`));
    client.on("reconnect", () => this.log("reconnecting"));
    client.on("disconnect", (code) => this.log(`broker DISCONNECT ${describeReason(code, 14)}`));
    client.connect();
  }

  publish(topic: string, payload: Uint8Array, length: number, options: AppPublishOptions): boolean {
    const client = this.client;
    if (client === undefined) return false;
    if (options !== this.lastOptions) {
      this.lastOptions = options;
      this.lastPublishOptions = { qos: options.qos, retain: options.retain, properties: toProperties(options) };
    }
    return client.publishWindow(topic, payload, 0, length, this.lastPublishOptions) >= 0;
  }

  /** Subscribes now (connected only); the client subscribes again when a reconnect finds no session. */
  subscribe(filter: string, qos: QoS): void {
    this.client?.subscribe(filter, { qos });
  }

  resume(): void {
    this.client?.retryNow();
  }

  pending(): number {
    const engine = this.client?.engine;
    return engine === undefined ? 0 : engine.inflightCount + engine.queuedMessages;
  }

  stop(): void {
    this.client?.end();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private clientOptions(clientId: string, will: AppWill | undefined): MqttClientOptions {
    const o = this.options;
    const protocolVersion = o.protocolVersion ?? 5;
    const options: MqttClientOptions = {
      platform: o.platform,
      host: o.broker.host,
      port: o.broker.port,
      clientId,
      keepalive: o.keepAlive ?? 30,
      clean: o.cleanStart ?? false,
      protocolVersion,
    };
    if (o.broker.tls !== undefined) options.tls = o.broker.tls;
    if (o.broker.websocket !== undefined) options.websocket = o.broker.websocket;
    if (protocolVersion === 5) options.properties = { sessionExpiryInterval: o.sessionExpiry ?? 300 };
    if (will !== undefined) options.will = toWill(will);
    if (o.username !== undefined) options.username = o.username;
    if (o.password !== undefined) options.password = o.password;
    if (o.backoff !== undefined) options.backoff = toBackoff(o.backoff);
    if (o.engine !== undefined) options.engine = o.engine;
    if (o.store !== undefined) options.sessionStore = o.store;
    return options;
  }
}

function toBackoff(b: BackoffOptions): ReconnectBackoffOptions {
  const out: ReconnectBackoffOptions = {};
  if (b.minDelayMs !== undefined) out.min = b.minDelayMs;
  if (b.maxDelayMs !== undefined) out.max = b.maxDelayMs;
  if (b.factor !== undefined) out.factor = b.factor;
  if (b.jitter !== undefined) out.jitter = b.jitter;
  if (b.stableAfterMs !== undefined) out.stableAfter = b.stableAfterMs;
  return out;
}

function toWill(will: AppWill): Will {
  return { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, properties: toProperties(will) };
}

function toProperties(options: AppPublishOptions): Properties {
  const properties: Properties = {};
  if (options.contentType !== undefined) properties.contentType = options.contentType;
  if (options.messageExpiryInterval !== undefined) properties.messageExpiryInterval = options.messageExpiryInterval;
  if (options.utf8) properties.payloadFormatIndicator = 1;
  return properties;
}
