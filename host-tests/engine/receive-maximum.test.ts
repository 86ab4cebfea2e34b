import { describe, expect, it } from "vitest";
import { EngineDriver } from "../support/engine-harness";

describe("Receive Maximum", () => {
  it("never has more QoS>0 publishes in flight than the server allows; the rest wait in order", () => {
    const d = new EngineDriver();
    d.connected(undefined, { receiveMaximum: 2 });
    const tokens = [1, 2, 3].map((i) => d.engine.publish("t", String(i), 1, false));
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(d.engine.publish("t", "q0", 0, false)).toBeGreaterThan(0);
    expect(d.takeHex()).toBe("32 07 00 01 74 00 01 00 31 32 07 00 01 74 00 02 00 32");
    d.feed("40 02 00 01");
    expect(d.takeHex()).toBe("32 07 00 01 74 00 03 00 33 30 06 00 01 74 00 71 30");
  });

  it("counts a QoS 2 message until its PUBCOMP (a second QoS 2 waits with Receive Maximum 1)", () => {
    const d = new EngineDriver();
    d.connected(undefined, { receiveMaximum: 1 });
    d.engine.publish("t", "a", 2, false);
    d.engine.publish("t", "b", 2, false);
    expect(d.takeHex()).toBe("34 07 00 01 74 00 01 00 61");
    d.feed("50 02 00 01");
    expect(d.takeHex()).toBe("62 02 00 01");
    d.feed("70 02 00 01");
    expect(d.takeHex()).toBe("34 07 00 01 74 00 02 00 62");
  });

  it("drops a PUBLISH beyond our Receive Maximum unacknowledged, completes the accepted ones, then sends DISCONNECT 0x93", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { receiveMaximum: 2 } });
    d.feed("34 07 00 01 74 00 01 00 61");
    d.feed("34 07 00 01 74 00 02 00 62");
    d.take();
    d.feed("34 07 00 01 74 00 03 00 63");
    expect(d.takeHex()).toBe("");
    d.feed("62 02 00 01");
    expect(d.takeHex()).toBe("70 02 00 01");
    d.feed("62 02 00 02");
    expect(d.takeHex()).toBe("70 02 00 02 e0 01 93");
    const events = d.events();
    expect(events.filter((e) => e.event === "message").map((e) => e.event === "message" && e.payload)).toEqual(["a", "b"]);
    expect(events.filter((e) => e.event === "close").map((e) => e.event === "close" && e.reasonCode)).toEqual([0x93]);
  });

  it("gets the dropped PUBLISH again on the resumed session and delivers it once", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { receiveMaximum: 1, sessionExpiryInterval: 60 } });
    d.feed("34 07 00 01 74 00 01 00 61");
    d.feed("34 07 00 01 74 00 02 00 62");
    d.feed("62 02 00 01");
    expect(d.takeHex()).toBe("50 02 00 01 70 02 00 01 e0 01 93");
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    d.take();
    d.server({ type: 2, sessionPresent: true, reasonCode: 0 });
    d.feed("3c 07 00 01 74 00 02 00 62");
    d.feed("62 02 00 02");
    expect(d.takeHex()).toBe("50 02 00 02 70 02 00 02");
    const messages = d.events().filter((e) => e.event === "message").map((e) => e.event === "message" && e.payload);
    expect(messages).toEqual(["a", "b"]);
    expect(d.engine.state).toBe(2);
  });

  it("frees a slot of our Receive Maximum when the PUBREL arrives", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { receiveMaximum: 1 } });
    d.feed("34 07 00 01 74 00 01 00 61");
    d.feed("62 02 00 01");
    d.feed("32 07 00 01 74 00 02 00 62");
    expect(d.takeHex()).toBe("50 02 00 01 70 02 00 01 40 02 00 02");
  });
});
