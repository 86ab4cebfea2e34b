// The will: published when a client vanishes without DISCONNECT, after the Will Delay Interval, not at all
// when the client comes back within that delay, and on request with DISCONNECT 0x04.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, delay, endAll, once, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

async function watcher(topic: string) {
  const w = await connected(broker);
  await w.async.subscribeAsync(topic, { qos: 1 });
  return w;
}

describe("will messages", () => {
  for (const protocolVersion of [5, 4] as const) {
    it(`publishes the will when the connection ends without DISCONNECT (MQTT ${protocolVersion === 5 ? "5" : "3.1.1"})`, async () => {
      const topic = uniqueId("will/abrupt");
      const w = await watcher(topic);
      const device = await connected(broker, { protocolVersion, reconnectPeriod: 0, will: { topic, payload: "gone", qos: 1, retain: false } });
      device.platform.cut();
      const [m] = await w.inbox.waitFor(1);
      expect(m!.text).toBe("gone");
      await endAll(w);
    });
  }

  it("does not publish the will after a normal DISCONNECT, and does after DISCONNECT 0x04", async () => {
    const topic = uniqueId("will/disconnect");
    const w = await watcher(topic);
    const polite = await connected(broker, { will: { topic, payload: "polite", qos: 1, retain: false } });
    await polite.async.endAsync(0);
    const asked = await connected(broker, { will: { topic, payload: "asked", qos: 1, retain: false } });
    await asked.async.endAsync(0x04);
    await w.inbox.waitFor(1);
    expect(w.inbox.messages.map((m) => m.text)).toEqual(["asked"]);
    await endAll(w);
  });

  it("waits the Will Delay Interval, and sends nothing when the client reconnects within it", async () => {
    const topic = uniqueId("will/delayed");
    const w = await watcher(topic);
    const will = { topic, qos: 1 as const, retain: false, properties: { willDelayInterval: 1 } };
    const properties = { sessionExpiryInterval: 60 };
    // Comes back within the delay: the will is dropped.
    const back = await connected(broker, { will: { ...will, payload: "back-in-time" }, properties, reconnectPeriod: 50 });
    back.platform.cut();
    await once(back.client, "connect");
    // Does not come back: the will follows the delay.
    const away = await connected(broker, { will: { ...will, payload: "away" }, properties, reconnectPeriod: 0 });
    away.platform.cut();
    await delay(300);
    expect(w.inbox.messages).toEqual([]);
    const [m] = await w.inbox.waitFor(1, 4000);
    expect(m!.text).toBe("away");
    await delay(1200);
    expect(w.inbox.messages.map((x) => x.text)).toEqual(["away"]);
    await endAll(w, back);
  });
});
