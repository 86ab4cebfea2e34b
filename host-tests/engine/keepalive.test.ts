import { describe, expect, it } from "vitest";
import { LocalReason } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("keepalive", () => {
  it("sends PINGREQ when nothing was sent for the keepalive interval", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", keepAlive: 10 });
    expect(d.advance(9999)).toBe(1);
    expect(d.engine.pending()).toBe(0);
    d.advance(1);
    expect(d.takeHex()).toBe("c0 00");
  });

  it("postpones the PINGREQ after each packet we send, but not after packets we receive", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", keepAlive: 10 });
    d.advance(6000);
    d.engine.publish("t", "x", 0, false, undefined, d.now);
    d.take();
    expect(d.advance(4000)).toBe(6000);
    d.feed("30 05 00 01 74 00 78");
    d.advance(6000);
    expect(d.takeHex()).toBe("c0 00");
  });

  it("declares the connection dead when no PINGRESP comes back within the timeout", () => {
    const d = new EngineDriver({ pingTimeoutMs: 3000 });
    d.connected({ clientId: "c", keepAlive: 10 });
    d.advance(10000);
    d.take();
    expect(d.advance(2999)).toBe(1);
    expect(d.events()).toEqual([]);
    d.advance(1);
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: LocalReason.KEEPALIVE_TIMEOUT }]);
  });

  it("keeps the connection when PINGRESP arrives in time", () => {
    const d = new EngineDriver({ pingTimeoutMs: 3000 });
    d.connected({ clientId: "c", keepAlive: 10 });
    d.advance(10000);
    d.take();
    d.feed("d0 00");
    expect(d.advance(2999)).toBe(10000 - 2999);
    d.advance(10000);
    expect(d.events()).toEqual([]);
    expect(d.takeHex()).toBe("c0 00");
  });

  it("times correctly across the wrap of a 32-bit millisecond counter", () => {
    const d = new EngineDriver({ pingTimeoutMs: 3000 }, 0xffffffff - 4000);
    d.connected({ clientId: "c", keepAlive: 10 });
    d.now = 5998; // 9,999 ms later, after the wrap
    expect(d.engine.poll(d.now)).toBe(1);
    d.now = 5999;
    d.engine.poll(d.now);
    expect(d.takeHex()).toBe("c0 00");
    d.now = 8999;
    d.engine.poll(d.now);
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: LocalReason.KEEPALIVE_TIMEOUT }]);
  });

  it("does not ping when keepalive is 0", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", keepAlive: 0 });
    expect(d.advance(1_000_000)).toBe(-1);
    expect(d.engine.pending()).toBe(0);
  });
});
