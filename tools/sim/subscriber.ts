// The simulator's subscriber, on our own MQTT client (connect(url) from src/platform/host): it listens to
// every device's readings and status and hands each one on as it arrives.
import type { MqttClient } from "../../src/client/mqtt-client";
import type { TransportOptions } from "../../src/client/transport";
import type { PublishPacket } from "../../src/codec/packet";
import { connect, type NodeClientOptions } from "../../src/platform/host/connect";

export interface Arrival {
  deviceId: string;
  kind: "temperature" | "status";
  /** The payload as text. */
  text: string;
  retained: boolean;
  contentType?: string;
}

const TOPIC = /^devices\/([^/]+)\/(sensors\/temperature|status)$/;
const decoder = new TextDecoder();

function arrival(message: PublishPacket): Arrival | undefined {
  const match = TOPIC.exec(message.topic);
  if (!match) return undefined;
  const start = message.payloadOffset ?? 0;
  const payload = message.payload;
  const text = typeof payload === "string"
    ? payload
    : decoder.decode(payload.subarray(start, start + (message.payloadLength ?? payload.length - start)));
  const result: Arrival = {
    deviceId: match[1]!,
    kind: match[2] === "status" ? "status" : "temperature",
    text,
    retained: message.retain,
  };
  const contentType = message.properties?.contentType;
  if (contentType !== undefined) result.contentType = contentType;
  return result;
}

export interface SubscriberOptions {
  broker: TransportOptions;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  onArrival(arrival: Arrival): void;
  onConnected?(): void;
  /** A failed connection attempt or a lost connection (the client retries with backoff). */
  onError?(error: Error): void;
  log?(line: string): void;
}

/** Connects through connect(url) (src/platform/host), subscribes once connected; end() the client to stop. */
export function startSubscriber(options: SubscriberOptions): MqttClient {
  const { broker, log } = options;
  const clientOptions: NodeClientOptions = {
    host: broker.host,
    clientId: `sim-subscriber-${Math.floor(Math.random() * 1e6)}`,
    protocolVersion: options.protocolVersion,
    keepalive: 30,
    clean: true,
    engine: { receiveBufferSize: 4096 },
  };
  if (broker.tls !== undefined) clientOptions.tls = broker.tls;
  if (broker.websocket !== undefined) clientOptions.websocket = broker.websocket;
  if (options.username !== undefined) clientOptions.username = options.username;
  if (options.password !== undefined) clientOptions.password = options.password;
  const scheme = broker.websocket ? (broker.tls ? "wss" : "ws") : broker.tls ? "mqtts" : "mqtt";
  // The host goes in the options (an IPv6 address would need brackets in the URL).
  const client = connect(`${scheme}://localhost:${broker.port}`, clientOptions);
  client.on("message", (_topic, _payload, packet) => {
    const a = arrival(packet);
    if (a) options.onArrival(a);
  });
  let subscribed = false;
  client.on("connect", () => {
    // The client subscribes again by itself when a reconnect finds no session.
    if (!subscribed) {
      client.subscribe(["devices/+/sensors/temperature", "devices/+/status"], { qos: 1 });
      subscribed = true;
    }
    options.onConnected?.();
  });
  if (options.onError) client.on("error", options.onError);
  if (log) {
    client.on("error", (error) => log(`error: ${error.message}`));
    client.on("reconnect", () => log("reconnecting"));
  }
  return client;
}
