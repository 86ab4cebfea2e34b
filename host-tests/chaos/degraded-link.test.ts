// A working but degraded link between the client and a real mosquitto: every byte in its own write, chunks
// delayed, a stall shorter than the keepalive. Packets split at every offset must still be reassembled,
// and a slow link is not a dead one: no disconnect, every message delivered once (QoS 2) or more (QoS 1).
// The public MqttClient on the real Node platform, through the fault proxy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QoS } from "../../src/codec/packet";
import { MqttClient } from "../../src/client/mqtt-client";
import { NodePlatform } from "../../src/platform/host/index";
import { brokerBehindProxy, type BrokerBehindProxy } from "./support/broker-behind-proxy";
import { until } from "./support/until";

let link: BrokerBehindProxy;
beforeAll(async () => {
  link = await brokerBehindProxy();
});
afterAll(() => link?.close());

/** A client that records what the app sees: messages, completed subscriptions, closes. */
class Probe {
  readonly messages: { payload: string; qos: QoS }[] = [];
  readonly subscribed = new Set<number>();
  closes = 0;
  readonly client: MqttClient;

  constructor(name: string) {
    const text = new TextDecoder();
    this.client = new MqttClient({ platform: new NodePlatform({ closeTimeoutMs: 500 }), host: "127.0.0.1", port: link.port, clientId: name, keepalive: 5, reconnectPeriod: 0 });
    this.client.on("message", (_topic, payload, packet) => this.messages.push({ payload: text.decode(payload), qos: packet.qos }));
    this.client.on("subscribed", (token) => this.subscribed.add(token));
    this.client.on("close", () => this.closes++);
    this.client.on("error", () => {}); // a close is what the tests count
    this.client.connect();
  }
}

/** Publishes `count` messages at QoS 1 and 2 to itself (through the broker) and waits for all of them. */
async function roundTrip(probe: Probe, count: number): Promise<void> {
  const sub = probe.client.subscribe("self/#", { qos: 2 });
  await until(() => probe.subscribed.has(sub), 10_000, "SUBACK");
  for (let i = 0; i < count; i++) {
    for (const qos of [1, 2] as QoS[]) {
      while (probe.client.publish(`self/${qos}`, `${qos}:${i}`, { qos }) <= 0) await new Promise((r) => setTimeout(r, 2));
    }
  }
  await until(() => new Set(probe.messages.map((m) => m.payload)).size === 2 * count, 30_000, "all messages back");
}

describe("degraded link", () => {
  it("carries QoS 1 and 2 both ways when every byte is a separate write in both directions", async () => {
    link.proxy.heal();
    link.proxy.splitBytes("up", true);
    link.proxy.splitBytes("down", true);
    const probe = new Probe("split-bytes");
    await until(() => probe.client.connected, 10_000, "CONNACK");
    await roundTrip(probe, 50);
    expect(probe.messages.filter((m) => m.qos === 2).length).toBe(50);
    expect(probe.closes).toBe(0);
    probe.client.end();
  }, 60_000);

  it("carries them through a link that delays every chunk", async () => {
    link.proxy.heal();
    link.proxy.delay("up", 3);
    link.proxy.delay("down", 3);
    const probe = new Probe("delayed");
    await until(() => probe.client.connected, 10_000, "CONNACK");
    await roundTrip(probe, 50);
    expect(probe.closes).toBe(0);
    probe.client.end();
  }, 60_000);

  it("survives a stall in both directions shorter than the keepalive, then completes the exchange", async () => {
    link.proxy.heal();
    const probe = new Probe("stalled");
    await until(() => probe.client.connected, 10_000, "CONNACK");
    link.proxy.stall("up", true);
    link.proxy.stall("down", true);
    for (let i = 0; i < 10; i++) probe.client.publish("self/1", `early:${i}`, { qos: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(probe.closes).toBe(0);
    link.proxy.heal();
    await roundTrip(probe, 20);
    expect(probe.closes).toBe(0);
    probe.client.end();
  }, 60_000);
});
