import { describe, expect, it } from "vitest";
import { LocalReason } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("SUBSCRIBE / UNSUBSCRIBE", () => {
  it("writes every subscription option and the largest subscription identifier", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.subscribe([{ filter: "a", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }], { subscriptionIdentifiers: [268435455] });
    expect(d.takeHex()).toBe("82 0c 00 01 05 0b ff ff ff 7f 00 01 61 2d");
  });

  it("surfaces per-filter reason codes from SUBACK", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.subscribe([{ filter: "a", qos: 1 }, { filter: "b", qos: 2 }]);
    d.take();
    d.feed("90 05 00 01 00 01 80");
    expect(d.events()).toEqual([{ event: "subscribeDone", token, reasonCodes: [1, 0x80] }]);
  });

  it("unsubscribes and surfaces UNSUBACK reason codes", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.unsubscribe(["a"]);
    expect(d.takeHex()).toBe("a2 06 00 01 00 00 01 61");
    d.feed("b0 04 00 01 00 11");
    expect(d.events()).toEqual([{ event: "unsubscribeDone", token, reasonCodes: [0x11] }]);
  });

  it("delivers the subscription identifiers that matched with each message (full range)", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("30 0c 00 01 74 07 0b 01 0b ff ff ff 7f 78");
    expect(d.events()).toMatchObject([{ event: "message", properties: { subscriptionIdentifiers: [1, 268435455] } }]);
  });

  it("fails a pending SUBSCRIBE with CONNECTION_LOST when the connection closes", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.subscribe([{ filter: "a", qos: 0 }]);
    d.engine.connectionClosed(d.now);
    expect(d.events()).toEqual([{ event: "subscribeDone", token, reasonCodes: [LocalReason.CONNECTION_LOST] }]);
  });

  it("refuses to subscribe while not connected", () => {
    const d = new EngineDriver();
    expect(() => d.engine.subscribe([{ filter: "a", qos: 0 }])).toThrow(/connected/);
  });
});
