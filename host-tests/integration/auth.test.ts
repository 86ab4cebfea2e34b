// Username and password against a broker with a password file: accepted, and refused with the reason
// code the protocol level calls for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttConnectionError } from "../../src/client/index";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, open } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ users: { alice: "wonderland" } });
});
afterAll(async () => {
  await broker?.close();
});

async function refusal(options: Parameters<typeof open>[1]): Promise<MqttConnectionError> {
  const t = open(broker, { reconnectPeriod: 0, ...options });
  const error = await t.async.connectAsync().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.client.end();
  expect(error).toBeInstanceOf(MqttConnectionError);
  return error as MqttConnectionError;
}

describe("username and password", () => {
  it("connects with the right password (MQTT 5 and 3.1.1)", async () => {
    const v5 = await connected(broker, { username: "alice", password: "wonderland" });
    const v4 = await connected(broker, { username: "alice", password: "wonderland", protocolVersion: 4 });
    expect(v5.client.connected && v4.client.connected).toBe(true);
    await endAll(v5, v4);
  });

  it("is refused with 0x87 Not authorized for a wrong password (MQTT 5)", async () => {
    expect((await refusal({ username: "alice", password: "queen-of-hearts" })).reasonCode).toBe(0x87);
  });

  it("is refused with 0x87 without credentials (MQTT 5)", async () => {
    expect((await refusal({})).reasonCode).toBe(0x87);
  });

  it("is refused with return code 5 Not authorized for a wrong password (MQTT 3.1.1)", async () => {
    expect((await refusal({ username: "alice", password: "nope", protocolVersion: 4 })).reasonCode).toBe(5);
  });
});
