import { describe, expect, it } from "vitest";
import { EngineState } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

const v4 = { clientId: "c", protocolVersion: 4 as const };

describe("MQTT 3.1.1 mode (protocol level 4)", () => {
  it("writes a level 4 CONNECT without properties", () => {
    const d = new EngineDriver();
    d.open(v4);
    expect(d.takeHex()).toBe("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 63");
  });

  it("surfaces a CONNACK return code and closes", () => {
    const d = new EngineDriver();
    d.open(v4);
    d.take();
    d.feed("20 02 00 05");
    expect(d.events()).toMatchObject([{ event: "connack", reasonCode: 5 }, { event: "close", reasonCode: 5 }]);
  });

  it("closes the connection, without DISCONNECT, on Session Present 1 after Clean Session 1 [MQTT-3.2.2-1] [MQTT-4.8.0-1]", () => {
    const d = new EngineDriver();
    d.open(v4);
    d.take();
    d.feed("20 02 01 00");
    expect(d.takeHex()).toBe("");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x82 }]);
    expect(d.engine.state).toBe(EngineState.CLOSING);
  });

  it("runs QoS 1 and QoS 2 both ways without properties", () => {
    const d = new EngineDriver();
    d.connected(v4);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    d.engine.publish("t", "x", 1, false);
    d.engine.publish("t", "y", 2, false);
    expect(d.takeHex()).toBe("32 06 00 01 74 00 01 78 34 06 00 01 74 00 02 79");
    d.feed("40 02 00 01 50 02 00 02");
    expect(d.takeHex()).toBe("62 02 00 02");
    d.feed("34 06 00 01 74 00 07 7a");
    expect(d.takeHex()).toBe("50 02 00 07");
    expect(d.events()).toMatchObject([{ event: "publishDone", reasonCode: 0 }, { event: "message", payload: "z", qos: 2 }]);
  });

  it("holds more than 16 inbound QoS 2 messages at once: 3.1.1 has no Receive Maximum (mosquitto sends 20)", () => {
    const d = new EngineDriver();
    d.connected(v4);
    d.take();
    d.events();
    for (let id = 1; id <= 20; id++) d.feed(`34 06 00 01 74 00 ${id.toString(16).padStart(2, "0")} 7a`);
    const events = d.events();
    expect(events.filter((e) => e.event === "message")).toHaveLength(20);
    expect(events.filter((e) => e.event === "close")).toHaveLength(0);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
  });

  it("subscribes and unsubscribes with level 4 packets", () => {
    const d = new EngineDriver();
    d.connected(v4);
    d.engine.subscribe([{ filter: "a", qos: 1 }]);
    expect(d.takeHex()).toBe("82 06 00 01 00 01 61 01");
    d.feed("90 03 00 01 01");
    expect(d.events()).toMatchObject([{ event: "subscribeDone", reasonCodes: [1] }]);
    d.engine.unsubscribe(["a"]);
    expect(d.takeHex()).toBe("a2 05 00 02 00 01 61");
    d.feed("b0 02 00 02");
    expect(d.events()).toMatchObject([{ event: "unsubscribeDone", reasonCodes: [] }]);
  });

  it("keeps Clean Session 0 across reconnects and resends with DUP", () => {
    const d = new EngineDriver();
    d.connected({ ...v4, cleanStart: false });
    d.engine.publish("t", "x", 1, false);
    d.take();
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    expect(d.takeHex()).toBe("10 0d 00 04 4d 51 54 54 04 00 00 3c 00 01 63");
    d.feed("20 02 01 00");
    expect(d.takeHex()).toBe("3a 06 00 01 74 00 01 78");
  });

  it("writes a plain DISCONNECT", () => {
    const d = new EngineDriver();
    d.connected(v4);
    d.engine.disconnect();
    expect(d.takeHex()).toBe("e0 00");
  });

  it("refuses an empty client identifier with Clean Session 0 locally (the server would reject it)", () => {
    const d = new EngineDriver();
    expect(() => d.engine.connect({ protocolVersion: 4, clientId: "", cleanStart: false }, d.now)).toThrow(/client identifier/);
  });
});
