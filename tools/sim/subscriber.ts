// The simulator's subscriber, on our own MQTT stack: it listens to every device's readings and status and
// hands each one on as it arrives.
import { EngineSession, type MqttSession } from "../../src/app/index";
import type { Platform, TransportOptions } from "../../src/client/transport";
import type { PublishPacket } from "../../src/codec/packet";

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
  platform: Platform;
  broker: TransportOptions;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  onArrival(arrival: Arrival): void;
  onConnected?(): void;
  log?(line: string): void;
}

export function startSubscriber(options: SubscriberOptions): MqttSession {
  const session = new EngineSession({
    platform: options.platform,
    broker: options.broker,
    protocolVersion: options.protocolVersion,
    cleanStart: true,
    sessionExpiry: 0,
    engine: { receiveBufferSize: 4096 },
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.log ? { log: options.log } : {}),
    onMessage: (message) => {
      const a = arrival(message);
      if (a) options.onArrival(a);
    },
  });
  let subscribed = false;
  session.start(`sim-subscriber-${Math.floor(Math.random() * 1e6)}`, undefined, {
    onConnected: () => {
      // The engine subscribes again by itself when a reconnect finds no session.
      if (!subscribed) {
        session.subscribe("devices/+/sensors/temperature", 1);
        session.subscribe("devices/+/status", 1);
        subscribed = true;
      }
      options.onConnected?.();
    },
    onDisconnected: () => {},
  });
  return session;
}
