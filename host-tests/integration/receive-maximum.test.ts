// Receive Maximum: a broker configured with a small one (max_inflight_messages 2 becomes the CONNACK's
// Receive Maximum) never sees more than that many of our QoS>0 publishes unacknowledged, and every message
// still gets through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, once, open, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ settings: { max_inflight_messages: 2 } });
});
afterAll(async () => {
  await broker?.close();
});

describe("Receive Maximum", () => {
  it("keeps at most the broker's Receive Maximum in flight and delivers all 30 messages", async () => {
    const topic = uniqueId("rxmax");
    const sub = await connected(broker);
    await sub.async.subscribeAsync(topic, { qos: 2 });
    const pub = open(broker);
    const connack = once<[{ properties?: { receiveMaximum?: number } }]>(pub.client, "connect");
    await pub.async.connectAsync();
    expect((await connack)[0].properties?.receiveMaximum).toBe(2);
    let most = 0;
    pub.client.on("publishDone", () => (most = Math.max(most, pub.client.engine.inflightCount)));
    const done = [];
    for (let i = 0; i < 30; i++) {
      done.push(pub.async.publishAsync(topic, `m${i}`, { qos: (i % 2) + 1 as 1 | 2 }));
      most = Math.max(most, pub.client.engine.inflightCount);
    }
    expect((await Promise.all(done)).every((d) => d.reasonCode === 0)).toBe(true);
    expect(most).toBe(2);
    const got = await sub.inbox.waitFor(30);
    // Order holds within one QoS; between QoS 1 and 2 flows the broker may interleave.
    for (const qos of [1, 2]) {
      const sent = Array.from({ length: 30 }, (_, i) => i).filter((i) => (i % 2) + 1 === qos).map((i) => `m${i}`);
      expect(got.filter((m) => m.qos === qos).map((m) => m.text)).toEqual(sent);
    }
    await endAll(sub, pub);
  });
});
