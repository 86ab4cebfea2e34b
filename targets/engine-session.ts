// The firmware's MqttSession (src/app/ports.ts) driven straight from the engine and the Moddable platform,
// while src/client has not landed: connect, keep the connection up with backoff and jitter, publish,
// flush the engine's transmit buffer as the transport takes it, poll the engine's deadlines.
// To be replaced by the app's adapter over the public client (src/app/client-session.ts) once it exists.

import type { AppPublishOptions, AppWill, MqttSession, SessionEvents } from "mqtt5/app/ports";
import type { Platform, Transport, TransportOptions } from "mqtt5/client/transport";
import type { Properties } from "mqtt5/codec/properties";
import { Engine, ReconnectBackoff } from "mqtt5/engine/index";
import type { ConnectOptions, EngineConfig } from "mqtt5/engine/index";

export interface EngineSessionOptions {
  platform: Platform;
  broker: TransportOptions;
  engine: EngineConfig;
  keepAlive: number;
  username?: string;
  password?: string;
}

export class EngineSession implements MqttSession {
  readonly #options: EngineSessionOptions;
  readonly #engine: Engine;
  readonly #backoff: ReconnectBackoff;
  #events: SessionEvents | undefined = undefined;
  #transport: Transport | undefined = undefined;
  #pollTimer: unknown = undefined;
  #retryTimer: unknown = undefined;
  #stopped = true;
  // The app passes the same options object for every reading: its properties are built once.
  #lastOptions: AppPublishOptions | undefined = undefined;
  #lastProperties: Properties = {};

  constructor(options: EngineSessionOptions) {
    this.#options = options;
    const platform = options.platform;
    this.#backoff = new ReconnectBackoff({}, () => platform.random());
    this.#engine = new Engine(
      {
        onConnack: (connack) => this.#onConnack(connack.reasonCode),
        onMessage: () => {},
        onPublishDone: () => {},
        onSubscribeDone: () => {},
        onUnsubscribeDone: () => {},
        onDisconnect: (code) => trace(`broker DISCONNECT 0x${code.toString(16)}\n`),
        onClose: (_code, error) => this.#onEngineClose(error),
      },
      options.engine,
    );
  }

  start(clientId: string, will: AppWill, events: SessionEvents): void {
    this.#events = events;
    this.#stopped = false;
    const { username, password, keepAlive } = this.#options;
    const connect: ConnectOptions = { clientId, keepAlive, cleanStart: false, will: toWill(will) };
    if (username) connect.username = username;
    if (password) connect.password = password;
    this.#engine.connect(connect, this.#now());
    this.#open();
  }

  publish(topic: string, payload: Uint8Array, length: number, options: AppPublishOptions): boolean {
    if (options !== this.#lastOptions) {
      this.#lastOptions = options;
      this.#lastProperties = toProperties(options);
    }
    const { qos, retain } = options;
    const result = this.#engine.publishWindow(topic, payload, 0, length, qos, retain, this.#lastProperties, this.#now());
    this.#flush();
    return result >= 0;
  }

  resume(): void {
    if (this.#transport !== undefined || this.#stopped) return;
    this.#options.platform.clearTimer(this.#retryTimer);
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#options.platform.clearTimer(this.#retryTimer);
    if (this.#transport !== undefined) {
      this.#engine.disconnect(0, undefined, this.#now());
      this.#flush();
    }
  }

  #now(): number {
    return this.#options.platform.now();
  }

  #open(): void {
    const engine = this.#engine;
    this.#transport = this.#options.platform.connect(this.#options.broker, {
      onOpen: () => {
        engine.connectionOpened(this.#now());
        this.#flush();
      },
      onData: (bytes, start, end) => {
        engine.receive(bytes, start, end, this.#now());
        this.#flush();
      },
      onWritable: () => this.#flush(),
      onClose: (error) => this.#onTransportClose(error),
    });
    this.#schedulePoll();
  }

  // Hands the engine's pending bytes to the transport until it takes no more; onWritable resumes.
  #flush(): void {
    const transport = this.#transport;
    const engine = this.#engine;
    while (transport !== undefined && engine.pending() > 0) {
      const start = engine.pendingStart;
      const taken = transport.write(engine.transmitBuffer, start, start + engine.pending());
      if (taken === 0) break;
      engine.consumed(taken);
    }
    this.#schedulePoll();
  }

  #schedulePoll(): void {
    const platform = this.#options.platform;
    platform.clearTimer(this.#pollTimer);
    const delay = this.#engine.poll(this.#now());
    this.#pollTimer = delay < 0 ? undefined : platform.setTimer(delay, () => this.#flush());
  }

  #onConnack(reasonCode: number): void {
    if (reasonCode >= 0x80) return trace(`CONNACK refused 0x${reasonCode.toString(16)}\n`);
    this.#backoff.connected(this.#now());
    this.#events?.onConnected();
  }

  // The engine is done with the connection (keepalive, protocol error, our DISCONNECT): close it.
  #onEngineClose(error: Error | undefined): void {
    if (error) trace(`connection closing: ${error.message}\n`);
    this.#flush();
    this.#transport?.close();
  }

  #onTransportClose(error: Error | undefined): void {
    const platform = this.#options.platform;
    this.#transport = undefined;
    platform.clearTimer(this.#pollTimer);
    this.#engine.connectionClosed(this.#now(), error);
    this.#backoff.disconnected(this.#now());
    this.#events?.onDisconnected();
    if (this.#stopped) return;
    const delay = this.#backoff.nextDelay();
    trace(`disconnected${error ? ` (${error.message})` : ""}; retry in ${delay} ms\n`);
    this.#retryTimer = platform.setTimer(delay, () => this.#open());
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
