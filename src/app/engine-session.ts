// An MqttSession driven straight from the engine over any Platform (Node or Moddable), for as long as
// src/client has not landed: connect, reconnect with backoff and jitter, publish, hand the engine's
// transmit buffer to the transport as it takes it, poll the engine's deadlines. Subscriptions and a message
// hook serve the simulator's subscriber. To be replaced by an adapter over the public client.
import type { Platform, Transport, TransportOptions } from "../client/transport";
import type { ProtocolVersion, PublishPacket, QoS } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { Engine, EngineState, ReconnectBackoff } from "../engine/index";
import type { BackoffOptions, ConnectOptions, EngineConfig } from "../engine/index";
import type { AppPublishOptions, AppWill, MqttSession, SessionEvents } from "./ports";

export interface EngineSessionOptions {
  platform: Platform;
  broker: TransportOptions;
  engine?: EngineConfig;
  backoff?: BackoffOptions;
  protocolVersion?: ProtocolVersion;
  /** Seconds; default 30. */
  keepAlive?: number;
  /** Start without a stored session (default false: resume it across reconnects). */
  cleanStart?: boolean;
  /** MQTT 5 Session Expiry Interval in seconds (default 300), so QoS 1/2 survive a drop. */
  sessionExpiry?: number;
  username?: string;
  password?: string;
  /** Connection events worth a line in a log. */
  log?: (line: string) => void;
  /** Inbound messages; `message` is valid only during the call (its payload is a window). */
  onMessage?: (message: PublishPacket) => void;
}

export class EngineSession implements MqttSession {
  private readonly options: EngineSessionOptions;
  private readonly engine: Engine;
  private readonly backoff: ReconnectBackoff;
  private events: SessionEvents | undefined = undefined;
  private transport: Transport | undefined = undefined;
  private pollTimer: unknown = undefined;
  private retryTimer: unknown = undefined;
  private stopped = true;
  // Received bytes the engine did not take yet (it stops reading while its acks cannot be queued), fed
  // again each time the transport takes some of ours.
  private unread: Uint8Array[] = [];
  private unreadOffset = 0;
  // The app passes the same options object for every reading: its properties are built once.
  private lastOptions: AppPublishOptions | undefined = undefined;
  private lastProperties: Properties = {};

  constructor(options: EngineSessionOptions) {
    this.options = options;
    const platform = options.platform;
    this.backoff = new ReconnectBackoff(options.backoff ?? {}, () => platform.random());
    this.engine = new Engine(
      {
        onConnack: (connack) => this.connacked(connack.reasonCode),
        onMessage: (message) => options.onMessage?.(message),
        onPublishDone: () => {},
        onSubscribeDone: () => {},
        onUnsubscribeDone: () => {},
        onDisconnect: (code) => this.log(`broker DISCONNECT 0x${code.toString(16)}`),
        onClose: (_code, error) => this.engineClosed(error),
      },
      options.engine,
    );
  }

  get connected(): boolean {
    return this.engine.state === EngineState.CONNECTED;
  }

  start(clientId: string, will: AppWill | undefined, events: SessionEvents): void {
    this.events = events;
    this.stopped = false;
    const { username, password, keepAlive, protocolVersion } = this.options;
    const connect: ConnectOptions = {
      clientId,
      keepAlive: keepAlive ?? 30,
      cleanStart: this.options.cleanStart ?? false,
      protocolVersion: protocolVersion ?? 5,
    };
    if ((protocolVersion ?? 5) === 5) connect.properties = { sessionExpiryInterval: this.options.sessionExpiry ?? 300 };
    if (will) connect.will = toWill(will);
    if (username !== undefined) connect.username = username;
    if (password !== undefined) connect.password = password;
    this.engine.connect(connect, this.now());
    this.open();
  }

  publish(topic: string, payload: Uint8Array, length: number, options: AppPublishOptions): boolean {
    if (options !== this.lastOptions) {
      this.lastOptions = options;
      this.lastProperties = toProperties(options);
    }
    const { qos, retain } = options;
    const result = this.engine.publishWindow(topic, payload, 0, length, qos, retain, this.lastProperties, this.now());
    this.flush();
    return result >= 0;
  }

  /** Subscribes now (connected only); the engine subscribes again when a reconnect finds no session. */
  subscribe(filter: string, qos: QoS): void {
    this.engine.subscribe([{ filter, qos }], undefined, this.now());
    this.flush();
  }

  resume(): void {
    if (this.transport !== undefined || this.stopped) return;
    this.options.platform.clearTimer(this.retryTimer);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.options.platform.clearTimer(this.retryTimer);
    if (this.transport === undefined) return;
    if (this.connected) {
      this.engine.disconnect(0, undefined, this.now());
      this.flush();
    } else {
      this.transport.close();
    }
  }

  private now(): number {
    return this.options.platform.now();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private open(): void {
    const engine = this.engine;
    this.transport = this.options.platform.connect(this.options.broker, {
      onOpen: () => {
        engine.connectionOpened(this.now());
        this.flush();
      },
      onData: (bytes, start, end) => {
        if (this.unread.length > 0) this.unread.push(bytes.slice(start, end));
        else {
          const taken = engine.receive(bytes, start, end, this.now());
          if (start + taken < end) this.unread.push(bytes.slice(start + taken, end));
        }
        this.flush();
      },
      onWritable: () => this.flush(),
      onClose: (error) => this.transportClosed(error),
    });
    this.schedulePoll();
  }

  // Hands the engine's pending bytes to the transport until it takes no more; onWritable resumes.
  private flush(): void {
    const transport = this.transport;
    const engine = this.engine;
    while (transport !== undefined && engine.pending() > 0) {
      const start = engine.pendingStart;
      const taken = transport.write(engine.transmitBuffer, start, start + engine.pending());
      if (taken === 0) break;
      engine.consumed(taken);
      this.feedUnread();
    }
    this.schedulePoll();
  }

  private feedUnread(): void {
    while (this.transport !== undefined && this.unread.length > 0) {
      const chunk = this.unread[0];
      this.unreadOffset += this.engine.receive(chunk, this.unreadOffset, chunk.length, this.now());
      if (this.unreadOffset < chunk.length) return;
      this.unread.shift();
      this.unreadOffset = 0;
    }
  }

  private schedulePoll(): void {
    const platform = this.options.platform;
    platform.clearTimer(this.pollTimer);
    const delay = this.engine.poll(this.now());
    this.pollTimer = delay < 0 ? undefined : platform.setTimer(delay, () => this.flush());
  }

  private connacked(reasonCode: number): void {
    if (reasonCode >= 0x80) return this.log(`CONNACK refused 0x${reasonCode.toString(16)}`);
    this.backoff.connected(this.now());
    this.events?.onConnected();
  }

  // The engine is done with the connection (keepalive, protocol error, our DISCONNECT): close it.
  private engineClosed(error: Error | undefined): void {
    if (error) this.log(`connection closing: ${error.message}`);
    this.flush();
    this.transport?.close();
  }

  private transportClosed(error: Error | undefined): void {
    const platform = this.options.platform;
    this.transport = undefined;
    this.unread = [];
    this.unreadOffset = 0;
    platform.clearTimer(this.pollTimer);
    this.engine.connectionClosed(this.now(), error);
    this.backoff.disconnected(this.now());
    this.events?.onDisconnected();
    if (this.stopped) return;
    const delay = this.backoff.nextDelay();
    this.log(`disconnected${error ? ` (${error.message})` : ""}; retry in ${delay} ms`);
    this.retryTimer = platform.setTimer(delay, () => this.open());
  }
}

function toWill(will: AppWill) {
  return { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, properties: toProperties(will) };
}

function toProperties(options: AppPublishOptions): Properties {
  const properties: Properties = {};
  if (options.contentType !== undefined) properties.contentType = options.contentType;
  if (options.messageExpiryInterval !== undefined) properties.messageExpiryInterval = options.messageExpiryInterval;
  if (options.utf8) properties.payloadFormatIndicator = 1;
  return properties;
}
