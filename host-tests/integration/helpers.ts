// Shared pieces of the integration tests: clients over the Node platform against a private mosquitto,
// message collection, and a platform that records the bytes a client writes (to check wire details such as
// topic aliases) and can cut the connection without a DISCONNECT.
import { AsyncMqttClient, MqttClient } from "../../src/client/index";
import type { MqttClientOptions, Platform, Transport, TransportHandler, TransportOptions } from "../../src/client/index";
import type { PublishPacket } from "../../src/codec/packet";
import { payloadView } from "../../src/codec/index";
import { NodePlatform } from "../../src/platform/host/index";
import type { Mosquitto } from "../support/mosquitto";

let counter = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/** A NodePlatform that keeps the transport it opened last and everything written to it. */
export class RecordingPlatform extends NodePlatform implements Platform {
  transport: Transport | undefined;
  written: number[] = [];

  override connect(options: TransportOptions, handler: TransportHandler): Transport {
    const inner = super.connect(options, handler);
    const outer: Transport = {
      write: (bytes, start, end) => {
        const n = inner.write(bytes, start, end);
        for (let i = start; i < start + n; i++) this.written.push(bytes[i]!);
        return n;
      },
      close: () => inner.close(),
    };
    this.transport = outer;
    return outer;
  }

  /** Ends the TCP connection without DISCONNECT, as a device that lost power would (the will fires). */
  cut(): void {
    this.transport?.close();
  }
}

export interface Received {
  topic: string;
  text: string;
  qos: number;
  retain: boolean;
  properties: PublishPacket["properties"];
}

/** Copies each message (packets are reused by the engine) and lets a test await a count. */
export class Inbox {
  readonly messages: Received[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(client: MqttClient) {
    client.on("message", (topic, _payload, packet) => {
      const properties = packet.properties === undefined ? undefined : structuredClone(packet.properties);
      this.messages.push({ topic, text: new TextDecoder().decode(payloadView(packet)), qos: packet.qos, retain: packet.retain, properties });
      this.waiters = this.waiters.filter((w) => (this.messages.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  /** Resolves once `count` messages arrived in total; rejects after `ms`. */
  waitFor(count: number, ms = 5000): Promise<Received[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.messages.length} of ${count} messages after ${ms} ms`)), ms);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(this.messages)) });
    });
  }
}

export interface TestClient {
  client: MqttClient;
  async: AsyncMqttClient;
  inbox: Inbox;
  platform: RecordingPlatform;
}

/** A client for `broker`, connected (CONNACK success) when the promise resolves. */
export async function connected(broker: Mosquitto, options: Partial<MqttClientOptions> = {}): Promise<TestClient> {
  const t = open(broker, options);
  await t.async.connectAsync();
  return t;
}

/** A client for `broker`, not yet connecting. */
export function open(broker: Mosquitto, options: Partial<MqttClientOptions> = {}): TestClient {
  const platform = new RecordingPlatform();
  const client = new MqttClient({ platform, host: broker.host, port: broker.port, clientId: uniqueId("it"), reconnectPeriod: 100, ...options });
  return { client, async: new AsyncMqttClient(client), inbox: new Inbox(client), platform };
}

export function once<T extends unknown[]>(client: MqttClient, event: "connect" | "close" | "offline" | "end" | "error", ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    client.once(event, ((...args: T) => (clearTimeout(timer), resolve(args))) as never);
  });
}

export async function endAll(...clients: TestClient[]): Promise<void> {
  await Promise.all(clients.map((c) => (c.client.connected ? c.async.endAsync() : (c.client.end(), undefined))));
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
