// What the temperature app needs from its surroundings. The firmware and the host simulator each supply
// these; the app itself never touches a socket, a timer API or a real sensor.

/** A temperature sensor: degrees Celsius. May throw when the device does not answer. */
export interface Sensor {
  read(): number;
}

/** The network link (Wi-Fi). `up` is the current state; the listener hears every change. */
export interface NetworkStatus {
  readonly up: boolean;
  onChange(listener: (up: boolean) => void): void;
}

/** Timers and the time of day for timestamps (milliseconds since 1970; on a device, after SNTP). */
export interface AppClock {
  setTimer(delayMs: number, callback: () => void): unknown;
  clearTimer(handle: unknown): void;
  epochMs(): number;
}

export type QoS = 0 | 1 | 2;

export interface AppPublishOptions {
  qos: QoS;
  retain: boolean;
  /** MQTT 5 Content Type; dropped on 3.1.1. */
  contentType?: string;
  /** MQTT 5 Message Expiry Interval in seconds; dropped on 3.1.1. */
  messageExpiryInterval?: number;
  /** MQTT 5 Payload Format Indicator: the payload is UTF-8 text. */
  utf8?: boolean;
}

export interface AppWill extends AppPublishOptions {
  topic: string;
  payload: Uint8Array;
}

export interface SessionEvents {
  /** CONNACK received: publishing reaches the broker now. */
  onConnected(): void;
  /** The connection is gone; the session reconnects by itself. */
  onDisconnected(): void;
  /** A QoS 1/2 publish completed (acknowledged, or failed for good); see MqttSession.pending(). */
  onPublishDone?(): void;
}

/** Told what became of each reading, by the timestamp it carries (the simulator's and lin-check's logs). */
export interface ReadingObserver {
  /** The session took the reading (QoS 1/2: in its store before anything is sent). */
  accepted(timestamp: number): void;
  /** The session refused it: its queue (or store) was full. */
  refused(timestamp: number): void;
}

/** Deep sleep (the firmware's: ESP32, ESP8266). On a device the call does not return: the chip wakes after
 * `ms`, with its RAM lost, and starts the app again from the beginning. */
export interface PowerControl {
  deepSleep(ms: number): void;
}

/**
 * The MQTT client as the app sees it. ClientSession (./client-session) implements it over the public
 * MqttClient. The session reconnects by itself with backoff and keeps QoS 1/2 messages in flight across
 * drops.
 */
export interface MqttSession {
  /** Connects with this client id and will (none: undefined), and keeps the connection up until stop(). */
  start(clientId: string, will: AppWill | undefined, events: SessionEvents): void;
  /**
   * Publishes payload[0, length), copying it (the app reuses its buffer). Returns false when the client
   * refused it (queue full, not connected and not queueing).
   */
  publish(topic: string, payload: Uint8Array, length: number, options: AppPublishOptions): boolean;
  /** The network is back: try now instead of waiting out the backoff. */
  resume(): void;
  /** Publishes accepted and not done yet: waiting to go out, or waiting for their acknowledgement. */
  pending(): number;
  /** Orderly disconnect (no will). */
  stop(): void;
}
