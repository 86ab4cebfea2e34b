import { describe, expect, it } from "vitest";
import { EngineState, MqttLimitError } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("DISCONNECT", () => {
  it("writes a normal DISCONNECT and asks to close", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.disconnect();
    expect(d.takeHex()).toBe("e0 00");
    expect(d.events()).toEqual([{ event: "close", reasonCode: 0 }]);
    expect(d.engine.state).toBe(EngineState.CLOSING);
  });

  it("asks the server to publish the will with reason 0x04", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.disconnect(0x04);
    expect(d.takeHex()).toBe("e0 01 04");
  });

  it("updates the session expiry interval in DISCONNECT", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { sessionExpiryInterval: 60 } });
    d.engine.disconnect(0, { sessionExpiryInterval: 0 });
    expect(d.takeHex()).toBe("e0 07 00 05 11 00 00 00 00");
  });

  it("refuses to make a zero session expiry non-zero at DISCONNECT (the server would call it a protocol error)", () => {
    const d = new EngineDriver();
    d.connected();
    expect(() => d.engine.disconnect(0, { sessionExpiryInterval: 10 })).toThrow(MqttLimitError);
    expect(d.engine.pending()).toBe(0);
  });

  it("drops the reason string and user properties when the server's Maximum Packet Size needs it", () => {
    const d = new EngineDriver();
    d.connected(undefined, { maximumPacketSize: 16 });
    d.engine.disconnect(0x04, { reasonString: "a fairly long reason", userProperties: [["k", "v"]] });
    const bytes = d.take();
    expect(bytes.length).toBeLessThanOrEqual(16);
    expect(bytes[0]).toBe(0xe0);
    expect(bytes[2]).toBe(0x04);
  });

  it("surfaces the server's DISCONNECT reason code, reason string and Server Reference", () => {
    const d = new EngineDriver();
    d.connected();
    d.server({ type: 14, reasonCode: 0x9d, properties: { reasonString: "moved", serverReference: "b:1883" } });
    expect(d.events()).toEqual([
      { event: "disconnect", reasonCode: 0x9d, properties: { reasonString: "moved", serverReference: "b:1883" } },
      { event: "close", reasonCode: 0x9d },
    ]);
    expect(d.engine.serverReference).toBe("b:1883");
  });
});
