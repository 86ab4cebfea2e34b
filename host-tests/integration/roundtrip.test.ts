// Round trips through mosquitto with MQTT 5, 3.1.1 and 3.1 (level 3, "MQIsdp"): QoS 0/1/2, retained messages, request/response,
// subscription identifiers, No Local, Retain Handling and outbound topic aliases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAll } from "../support/engine-harness";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, delay, endAll, uniqueId } from "./helpers";
import type { PublishPacket } from "../../src/codec/packet";

// Bursts larger than our Receive Maximum (16): at 3.1.1 mosquitto's own in-flight window (20) applies, and at
// MQTT 5 it honours the 16 we announce and queues the rest.
const COUNT = 30;

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

const NAMES = { 5: "5", 4: "3.1.1", 3: "3.1" } as const;

for (const protocolVersion of [5, 4, 3] as const) {
  describe(`MQTT ${NAMES[protocolVersion]} round trips`, () => {
    for (const qos of [0, 1, 2] as const) {
      it(`delivers QoS ${qos} messages in order with the granted QoS`, async () => {
        const sub = await connected(broker, { protocolVersion });
        const pub = await connected(broker, { protocolVersion });
        const topic = uniqueId(`rt/q${qos}`);
        const suback = await sub.async.subscribeAsync(topic, { qos });
        expect(suback.reasonCodes).toEqual([qos]);
        const done = [];
        for (let i = 0; i < COUNT; i++) done.push(pub.async.publishAsync(topic, `m${i}`, { qos }));
        expect((await Promise.all(done)).map((d) => d.reasonCode)).toEqual(new Array(COUNT).fill(0));
        const got = await sub.inbox.waitFor(COUNT);
        expect(got.map((m) => m.text)).toEqual(Array.from({ length: COUNT }, (_, i) => `m${i}`));
        expect(got.every((m) => m.qos === qos)).toBe(true);
        await endAll(sub, pub);
      });
    }

    it("keeps the last retained message and hands it to a new subscriber flagged retain", async () => {
      const pub = await connected(broker, { protocolVersion });
      const topic = uniqueId("rt/retained");
      await pub.async.publishAsync(topic, "old", { qos: 1, retain: true });
      await pub.async.publishAsync(topic, "new", { qos: 1, retain: true });
      const sub = await connected(broker, { protocolVersion });
      await sub.async.subscribeAsync(topic, { qos: 1 });
      const [m] = await sub.inbox.waitFor(1);
      expect(m).toMatchObject({ text: "new", retain: true });
      await endAll(sub, pub);
    });
  });
}

describe("MQTT 5 features against mosquitto", () => {
  it("request/response: the responder answers on the Response Topic with the Correlation Data", async () => {
    const requester = await connected(broker);
    const responder = await connected(broker);
    const requests = uniqueId("rr/requests");
    const replies = uniqueId("rr/replies");
    responder.client.on("message", (_topic, payload, packet) => {
      const p = packet.properties!;
      responder.client.publish(p.responseTopic!, `echo:${new TextDecoder().decode(payload)}`, {
        qos: 1,
        properties: { correlationData: p.correlationData!.slice() },
      });
    });
    await responder.async.subscribeAsync(requests, { qos: 1 });
    await requester.async.subscribeAsync(replies, { qos: 1 });
    await requester.async.publishAsync(requests, "ping", {
      qos: 1,
      properties: { responseTopic: replies, correlationData: new Uint8Array([1, 2, 3]) },
    });
    const [reply] = await requester.inbox.waitFor(1);
    expect(reply!.text).toBe("echo:ping");
    expect(Array.from(reply!.properties!.correlationData!)).toEqual([1, 2, 3]);
    await endAll(requester, responder);
  });

  it("tags each message with the subscription identifiers of the subscriptions it matched", async () => {
    const c = await connected(broker);
    const base = uniqueId("sid");
    await c.async.subscribeAsync(`${base}/+`, { qos: 1, properties: { subscriptionIdentifiers: [11] } });
    await c.async.subscribeAsync(`${base}/a`, { qos: 1, properties: { subscriptionIdentifiers: [22] } });
    await c.async.publishAsync(`${base}/a`, "x", { qos: 1 });
    const got = await c.inbox.waitFor(2);
    const ids = got.map((m) => m.properties?.subscriptionIdentifiers?.[0]).sort();
    expect(ids).toEqual([11, 22]);
    await endAll(c);
  });

  it("No Local keeps our own publishes from coming back", async () => {
    const c = await connected(broker);
    const other = await connected(broker);
    const topic = uniqueId("nolocal");
    await c.async.subscribeAsync(topic, { qos: 1, nl: true });
    await c.async.publishAsync(topic, "mine", { qos: 1 });
    await other.async.publishAsync(topic, "theirs", { qos: 1 });
    const got = await c.inbox.waitFor(1);
    await delay(100);
    expect(got.map((m) => m.text)).toEqual(["theirs"]);
    await endAll(c, other);
  });

  it("Retain Handling 1 sends retained messages only for a new subscription, 2 never", async () => {
    const pub = await connected(broker);
    const topic = uniqueId("rh");
    await pub.async.publishAsync(topic, "kept", { qos: 1, retain: true });
    const c = await connected(broker);
    await c.async.subscribeAsync(topic, { qos: 1, rh: 1 });
    await c.inbox.waitFor(1);
    await c.async.subscribeAsync(topic, { qos: 1, rh: 1 }); // existing subscription: nothing sent
    const never = await connected(broker);
    await never.async.subscribeAsync(topic, { qos: 1, rh: 2 });
    await pub.async.publishAsync(topic, "live", { qos: 1 }); // a marker both must see next
    await c.inbox.waitFor(2);
    await never.inbox.waitFor(1);
    expect(c.inbox.messages.map((m) => m.text)).toEqual(["kept", "live"]);
    expect(never.inbox.messages.map((m) => m.text)).toEqual(["live"]);
    await endAll(pub, c, never);
  });

  it("sends a repeated topic once and then by its outbound topic alias; mosquitto delivers every message", async () => {
    const sub = await connected(broker);
    const pub = await connected(broker);
    const topic = uniqueId("alias/a-rather-long-topic-name-worth-aliasing");
    await sub.async.subscribeAsync(topic, { qos: 1 });
    pub.platform.written = [];
    for (let i = 0; i < 3; i++) await pub.async.publishAsync(topic, `a${i}`, { qos: 1 });
    const publishes = decodeAll(Uint8Array.from(pub.platform.written)).filter((p): p is PublishPacket => p.type === 3);
    expect(publishes.map((p) => p.topic)).toEqual([topic, "", ""]);
    const alias = publishes[0]!.properties?.topicAlias;
    expect(alias).toBeGreaterThan(0);
    expect(publishes.map((p) => p.properties?.topicAlias)).toEqual([alias, alias, alias]);
    const got = await sub.inbox.waitFor(3);
    expect(got.map((m) => [m.topic, m.text])).toEqual([0, 1, 2].map((i) => [topic, `a${i}`]));
    await endAll(sub, pub);
  });
});
