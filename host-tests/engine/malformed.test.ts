import { describe, expect, it } from "vitest";
import { EngineState } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("bad input", () => {
  it("answers a malformed packet with DISCONNECT 0x81, reports the close and ignores later bytes", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("36 05 00 01 74 00 78");
    expect(d.takeHex()).toBe("e0 01 81");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x81 }]);
    expect(d.engine.state).toBe(EngineState.CLOSING);
    d.feed("30 05 00 01 74 00 78");
    expect(d.events()).toEqual([]);
    expect(d.engine.pending()).toBe(0);
  });

  it("stops in the middle of a chunk: packets after the malformed one are not processed", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("30 05 00 01 74 00 78 36 05 00 01 74 00 78 30 05 00 01 74 00 79");
    expect(d.events().map((e) => e.event)).toEqual(["message", "close"]);
  });

  it("treats a packet a server must not send (SUBSCRIBE) as a protocol error, 0x82", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("82 07 00 01 00 00 01 61 00");
    expect(d.takeHex()).toBe("e0 01 82");
  });

  it("treats a PUBLISH before CONNACK as a protocol error", () => {
    const d = new EngineDriver();
    d.open();
    d.take();
    d.feed("30 05 00 01 74 00 78");
    expect(d.takeHex()).toBe("e0 01 82");
  });

  it("rejects an inbound packet larger than our Maximum Packet Size from its header alone (0x95)", () => {
    const d = new EngineDriver({ receiveBufferSize: 64 });
    d.connected();
    d.feed("30 64");
    expect(d.takeHex()).toBe("e0 01 95");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x95 }]);
  });

  it("closes a 3.1.1 connection on malformed input without writing a DISCONNECT", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", protocolVersion: 4 });
    d.feed("36 05 00 01 74 78");
    expect(d.engine.pending()).toBe(0);
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x81 }]);
  });

  it("ends the connection with 0x80 when the app's handler throws, without throwing out of receive()", () => {
    const d = new EngineDriver();
    d.connected();
    d.handler.onMessageHook = () => { throw new Error("app bug"); };
    d.feed("32 07 00 01 74 00 05 00 78");
    expect(d.takeHex()).toBe("e0 01 80");
    expect(d.events()).toMatchObject([{ event: "message" }, { event: "close", reasonCode: 0x80, error: "app bug" }]);
  });
});
