// MQTT 3.1 (protocol level 3, "MQIsdp") in the engine: the 3.1.1 flows with a level 3 CONNECT, a client
// identifier of 1 to 23 bytes, and no Session Present in CONNACK (issue 13, item 5).
import { describe, expect, it } from "vitest";
import { MqttArgumentError } from "../../src/codec/index";
import { EngineState } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

const v3 = { clientId: "c", protocolVersion: 3 as const };

describe("MQTT 3.1 mode (protocol level 3)", () => {
  it("writes a level 3 CONNECT named MQIsdp, without properties", () => {
    const d = new EngineDriver();
    d.open(v3);
    expect(d.takeHex()).toBe("10 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 63");
  });

  it("refuses an empty client identifier or one longer than 23 bytes at connect()", () => {
    for (const clientId of ["", "x".repeat(24)]) {
      const d = new EngineDriver();
      expect(() => d.engine.connect({ ...v3, clientId }, 0)).toThrow(MqttArgumentError);
    }
  });

  it("surfaces a CONNACK return code and closes", () => {
    const d = new EngineDriver();
    d.open(v3);
    d.take();
    d.feed("20 02 00 02");
    expect(d.events()).toMatchObject([{ event: "connack", reasonCode: 2 }, { event: "close", reasonCode: 2, error: "CONNACK: connection refused: 0x02 Connection Refused, identifier rejected" }]);
  });

  it("publishes and subscribes with 3.1.1 packets", () => {
    const d = new EngineDriver();
    d.connected(v3);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    d.engine.subscribe([{ filter: "a/#", qos: 1 }]);
    d.engine.publish("t", "x", 1, false);
    expect(d.takeHex()).toBe("82 08 00 01 00 03 61 2f 23 01 32 06 00 01 74 00 02 78");
    d.feed("90 03 00 01 01 40 02 00 02");
    expect(d.events()).toMatchObject([{ event: "subscribeDone", reasonCodes: [1] }, { event: "publishDone", reasonCode: 0 }]);
  });

  it("takes a session asked for (Clean Session 0) as kept, since 3.1 has no Session Present, and resends with DUP", () => {
    const d = new EngineDriver();
    d.connected({ ...v3, cleanStart: false });
    d.engine.publish("t", "x", 1, false);
    d.take();
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    d.take();
    d.feed("20 02 00 00");
    expect(d.events()).toMatchObject([{ event: "connack", sessionPresent: true }]);
    expect(d.takeHex()).toBe("3a 06 00 01 74 00 01 78");
  });

  it("treats a DISCONNECT from the server as a protocol error, as in 3.1.1", () => {
    const d = new EngineDriver();
    d.connected(v3);
    d.feed("e0 00");
    expect(d.takeHex()).toBe("");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x82 }]);
  });
});
