// Sessions that outlive a connection: messages for an offline subscriber wait at the broker, messages
// published while our own connection is down wait in the client, and both survive a broker restart with
// persistence. No QoS 1/2 message may be lost, and QoS 2 ones arrive exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, once, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ persistence: true });
});
afterAll(async () => {
  await broker?.close();
});

const session = { clean: false, properties: { sessionExpiryInterval: 300 } };
const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function publishAll(pub: Awaited<ReturnType<typeof connected>>, topic: string, prefix: string, n: number, qos: 1 | 2) {
  return Promise.all(texts(prefix, n).map((t) => pub.async.publishAsync(topic, t, { qos })));
}

describe("session resume", () => {
  for (const protocolVersion of [5, 4, 3] as const) {
    it(`delivers what was published while the subscriber was away once it reconnects (MQTT ${{ 5: "5", 4: "3.1.1", 3: "3.1" }[protocolVersion]})`, async () => {
      const topic = uniqueId("session/away");
      const sub = await connected(broker, { ...session, protocolVersion, reconnectPeriod: 0 });
      await sub.async.subscribeAsync(topic, { qos: 2 });
      sub.platform.cut();
      await once(sub.client, "close");
      const pub = await connected(broker, { protocolVersion });
      await publishAll(pub, topic, "q1-", 8, 1);
      await publishAll(pub, topic, "q2-", 8, 2);
      const resumed = once(sub.client, "connect");
      sub.client.connect();
      const [connack] = (await resumed) as [{ sessionPresent: boolean }];
      expect(connack.sessionPresent).toBe(true);
      const got = await sub.inbox.waitFor(16);
      expect(got.map((m) => m.text).sort()).toEqual([...texts("q1-", 8), ...texts("q2-", 8)].sort());
      await endAll(sub, pub);
    });
  }

  it("sends QoS 1 and 2 publishes made while its own connection was down after it reconnects", async () => {
    const topic = uniqueId("session/offline-publisher");
    const sub = await connected(broker);
    await sub.async.subscribeAsync(topic, { qos: 2 });
    const pub = await connected(broker, { ...session, reconnectPeriod: 200 });
    pub.platform.cut();
    await once(pub.client, "close");
    expect(pub.client.connected).toBe(false);
    const done = Promise.all([publishAll(pub, topic, "a", 5, 1), publishAll(pub, topic, "b", 5, 2)]);
    const outcomes = (await done).flat();
    expect(outcomes.map((o) => o.reasonCode)).toEqual(new Array(10).fill(0));
    const got = await sub.inbox.waitFor(10);
    expect(got.map((m) => m.text)).toEqual([...texts("a", 5), ...texts("b", 5)]);
    await endAll(sub, pub);
  });

  it("loses no QoS 1/2 message across a broker restart with persistence", async () => {
    const topic = uniqueId("session/restart");
    const subOptions = { ...session, clientId: uniqueId("persistent-sub"), reconnectPeriod: 0 };
    const sub = await connected(broker, subOptions);
    await sub.async.subscribeAsync(topic, { qos: 2 });
    await sub.async.endAsync(); // DISCONNECT: the session stays (expiry 300 s)
    const pub = await connected(broker, { ...session, reconnectPeriod: 100, backoff: { max: 400 } });
    await publishAll(pub, topic, "before", 6, 1);
    await publishAll(pub, topic, "before-q2-", 6, 2);
    await broker.restart();
    // The publisher reconnects by itself; these wait in its queue until it has.
    const during = Promise.all([publishAll(pub, topic, "during", 6, 1), publishAll(pub, topic, "during-q2-", 6, 2)]);
    await during;
    const back = await connected(broker, subOptions);
    const expected = [...texts("before", 6), ...texts("before-q2-", 6), ...texts("during", 6), ...texts("during-q2-", 6)];
    const got = await back.inbox.waitFor(expected.length);
    await new Promise((r) => setTimeout(r, 100));
    expect(back.inbox.messages.map((m) => m.text).sort()).toEqual(expected.sort());
    await endAll(back, pub);
    expect(got.length).toBe(expected.length);
  });
});
