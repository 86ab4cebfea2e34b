// The API's edges through the public clients on the Node platform against mosquitto (issue 13): requests
// made before the CONNACK wait and go out (item 8); publishing after end() is refused at the call (item 6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncMqttClient, MqttStateError } from "../../src/client/index";
import { connect } from "../../src/platform/host/connect";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { once, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

const url = () => `mqtt://${broker.host}:${broker.port}`;

describe("the API's edges on Node", () => {
  it("subscribes right after connect(), before the CONNACK, and gets the messages", async () => {
    const topic = uniqueId("edges/early");
    const client = connect(url(), { clientId: uniqueId("early") });
    const async = new AsyncMqttClient(client);
    const granted = async.subscribeAsync(topic, { qos: 1 });
    expect(client.connected).toBe(false);
    expect((await granted).reasonCodes).toEqual([1]);
    const received = new Promise<string>((resolve) => client.on("message", (_t, payload) => resolve(new TextDecoder().decode(payload))));
    await async.publishAsync(topic, "hello", { qos: 1 });
    expect(await received).toBe("hello");
    await async.endAsync();
  });

  it("refuses a publish after end() with MqttStateError, at the call and in publishAsync", async () => {
    const client = connect(url(), { clientId: uniqueId("ended") });
    const async = new AsyncMqttClient(client);
    await once(client, "connect");
    await async.endAsync();
    expect(() => client.publish("edges/t", "lost?", { qos: 1 })).toThrow(MqttStateError);
    await expect(async.publishAsync("edges/t", "lost?", { qos: 1 })).rejects.toBeInstanceOf(MqttStateError);
  });
});
