// MQTT over WebSocket through the fault proxy to mosquitto's WebSocket listener: the proxy works on the TCP
// stream, so it splits the HTTP upgrade and every WebSocket frame header and payload at arbitrary bytes,
// and cuts connections mid-frame. The public MqttClient on the real Node platform must reassemble
// everything, and after cuts reconnect over WebSocket and resume its session without losing a message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QoS } from "../../src/codec/packet";
import { MqttClient } from "../../src/client/mqtt-client";
import { NodePlatform } from "../../src/platform/host/index";
import { randomInt, seededRandom } from "../../tools/chaos/random";
import { brokerBehindProxy, type BrokerBehindProxy } from "./support/broker-behind-proxy";
import { until } from "./support/until";

const random = seededRandom(Number(process.env.CHAOS_SEED ?? 0x5eed));

let link: BrokerBehindProxy;
beforeAll(async () => {
  link = await brokerBehindProxy({ websockets: true, persistence: true });
});
afterAll(() => link?.close());

/** A client over ws:// through the proxy that records what the app sees. */
class Probe {
  readonly payloads: string[] = [];
  readonly subscribed = new Set<number>();
  closes = 0;
  connects = 0;
  readonly client: MqttClient;

  constructor(name: string, session = false) {
    this.client = new MqttClient({
      platform: new NodePlatform({ closeTimeoutMs: 500 }),
      host: "127.0.0.1",
      port: link.port,
      websocket: true,
      clientId: name,
      keepalive: 5,
      reconnectPeriod: session ? 20 : 0,
      backoff: { max: 200 },
      clean: !session,
      properties: session ? { sessionExpiryInterval: 300 } : {},
    });
    const text = new TextDecoder();
    this.client.on("message", (_topic, payload) => this.payloads.push(text.decode(payload)));
    this.client.on("subscribed", (token) => this.subscribed.add(token));
    this.client.on("connect", () => this.connects++);
    this.client.on("close", () => this.closes++);
    this.client.on("error", () => {}); // closes are what these tests count
    this.client.connect();
  }

  async subscribeSelf(): Promise<void> {
    await until(() => this.client.connected, 10_000, "CONNACK");
    const token = this.client.subscribe("self/#", { qos: 2 });
    await until(() => this.subscribed.has(token), 10_000, "SUBACK");
  }
}

/** Publishes `count` messages at QoS 1 and at QoS 2 to the probe itself, waiting whenever the session's
 * queue is full. */
async function publishAll(probe: Probe, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    for (const qos of [1, 2] as QoS[]) {
      while (probe.client.publish(`self/${qos}`, `${qos}:${i}`, { qos }) < 0) await new Promise((r) => setTimeout(r, 5));
    }
  }
}

describe("MQTT over WebSocket through the fault proxy", () => {
  it("carries the handshake and QoS 1/2 messages both ways when every byte is a separate TCP write", async () => {
    link.proxy.heal();
    link.proxy.splitBytes("up", true);
    link.proxy.splitBytes("down", true);
    const probe = new Probe("ws-split-bytes");
    await probe.subscribeSelf();
    await publishAll(probe, 30);
    await until(() => probe.payloads.length >= 60, 30_000, "all messages back");
    expect(new Set(probe.payloads).size).toBe(60);
    expect(probe.closes).toBe(0);
    probe.client.end();
  }, 60_000);

  it("resumes its session over WebSocket after cuts at random offsets, mid-frame, and loses no message", async () => {
    link.proxy.heal();
    const probe = new Probe("ws-cuts", true);
    await probe.subscribeSelf();
    // Each new connection is cut after a random number of bytes in a random direction (the first one,
    // already open, too): the upgrade, the CONNECT and frames in flight are all torn somewhere.
    const arm = (): void => {
      for (const c of link.proxy.connections()) (random() < 0.5 ? c.upstream : c.downstream).armCut(randomInt(random, 1, 3000));
    };
    link.proxy.onConnection = (c) => (random() < 0.5 ? c.upstream : c.downstream).armCut(randomInt(random, 200, 3000));
    arm();
    const count = 100;
    await publishAll(probe, count);
    await until(() => link.proxy.stats.cuts >= 5, 30_000, "at least five cuts");
    link.proxy.onConnection = undefined;
    link.proxy.heal();
    const expected = new Set<string>();
    for (let i = 0; i < count; i++) for (const qos of [1, 2]) expected.add(`${qos}:${i}`);
    await until(() => [...expected].every((p) => probe.payloads.includes(p)), 60_000, "every message back");
    expect(probe.connects).toBeGreaterThan(1);
    probe.client.end();
  }, 120_000);
});
