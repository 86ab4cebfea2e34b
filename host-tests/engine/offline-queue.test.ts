import { describe, expect, it } from "vitest";
import type { PublishPacket } from "../../src/codec/packet";
import { LocalReason, MemorySessionStore, PublishResult } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("offline queue", () => {
  it("keeps publishes made while disconnected and writes them in order after CONNACK", () => {
    const d = new EngineDriver();
    const a = d.engine.publish("t", "a", 0, false);
    const b = d.engine.publish("t", "b", 1, false);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0 });
    expect(d.takeHex()).toBe("30 05 00 01 74 00 61 32 07 00 01 74 00 01 00 62");
    expect(d.events()).toContainEqual({ event: "publishDone", token: a, reasonCode: 0 });
  });

  it("counts Message Expiry down while a publish waits offline, and drops one whose interval ran out", () => {
    const d = new EngineDriver();
    const reading = d.engine.publish("t/r", "21.5", 1, true, { payloadFormatIndicator: 1, messageExpiryInterval: 20 }, d.now);
    const stale = d.engine.publish("t/s", "x", 0, false, { messageExpiryInterval: 5 }, d.now);
    const plain = d.engine.publish("t/p", "y", 1, false, { contentType: "text/plain" }, d.now);
    d.now += 7_900; // 7 whole seconds waited
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0 });
    const written = d.takePackets() as PublishPacket[];
    expect(written.map((p) => [p.topic, p.properties])).toEqual([
      ["t/r", { payloadFormatIndicator: 1, messageExpiryInterval: 13 }],
      ["t/p", { contentType: "text/plain" }],
    ]);
    const done = d.events().filter((e) => e.event === "publishDone");
    expect(done).toEqual([{ event: "publishDone", token: stale, reasonCode: LocalReason.MESSAGE_EXPIRED }]);
    expect(d.engine.queuedMessages).toBe(0);
    expect([reading, plain].every((t) => t > 0)).toBe(true);
  });

  it("counts Message Expiry down while a publish waits behind the server's Receive Maximum", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c" }, { receiveMaximum: 1 });
    const first = d.engine.publish("t", "1", 1, false, { messageExpiryInterval: 10 }, d.now);
    d.engine.publish("t", "2", 1, false, { messageExpiryInterval: 10 }, d.now);
    const [p1] = d.takePackets() as PublishPacket[];
    expect(p1!.properties?.messageExpiryInterval).toBe(10);
    d.now += 3_000;
    d.server({ type: 4, packetId: p1!.packetId, reasonCode: 0 });
    const [p2] = d.takePackets() as PublishPacket[];
    expect(p2!.properties?.messageExpiryInterval).toBe(7);
    expect(first).toBeGreaterThan(0);
  });

  it("returns QUEUE_FULL explicitly when the count limit is reached", () => {
    const d = new EngineDriver({ queueLimit: 2 });
    expect(d.engine.publish("t", "1", 1, false)).toBeGreaterThan(0);
    expect(d.engine.publish("t", "2", 1, false)).toBeGreaterThan(0);
    expect(d.engine.publish("t", "3", 1, false)).toBe(PublishResult.QUEUE_FULL);
  });

  it("returns QUEUE_FULL explicitly when the byte limit is reached", () => {
    const d = new EngineDriver({ queueByteLimit: 20 });
    expect(d.engine.publish("t", "0123456789", 0, false)).toBeGreaterThan(0);
    expect(d.engine.publish("t", "0123456789", 0, false)).toBe(PublishResult.QUEUE_FULL);
  });

  it("returns QUEUE_FULL when the session store itself is full", () => {
    const d = new EngineDriver({ queueLimit: 100, queueByteLimit: 100000, transmitBufferSize: 256, store: new MemorySessionStore({ records: 64, bytes: 2048 }) });
    let last = 0;
    for (let i = 0; i < 100 && last !== PublishResult.QUEUE_FULL; i++) last = d.engine.publish("t", "x".repeat(200), 1, false);
    expect(last).toBe(PublishResult.QUEUE_FULL);
  });

  it("holds publishes that do not fit the transmit buffer and writes them as the transport drains it", () => {
    const d = new EngineDriver({ transmitBufferSize: 32 });
    d.connected();
    for (const p of ["a", "b", "c", "d"]) expect(d.engine.publish("t", p, 0, false)).toBe(PublishResult.WRITTEN);
    const token = d.engine.publish("t", "e", 0, false);
    expect(token).toBeGreaterThan(0);
    expect(d.engine.pending()).toBe(28);
    d.engine.consumed(7);
    expect(d.events()).toEqual([{ event: "publishDone", token, reasonCode: 0 }]);
    expect(d.takeHex()).toBe("30 05 00 01 74 00 62 30 05 00 01 74 00 63 30 05 00 01 74 00 64 30 05 00 01 74 00 65");
  });

  it("refuses a publish larger than the transmit buffer as an argument error", () => {
    const d = new EngineDriver({ transmitBufferSize: 32 });
    d.connected();
    expect(() => d.engine.publish("t", "x".repeat(40), 0, false)).toThrow(/transmit buffer/);
  });

  it("fails a queued publish back when the server's new limits refuse it (Maximum QoS 0x9B, Maximum Packet Size 0x95)", () => {
    const d = new EngineDriver();
    const big = d.engine.publish("t", "x".repeat(40), 1, false);
    const qos2 = d.engine.publish("t", "y", 2, false);
    const fine = d.engine.publish("t", "z", 1, false);
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0, properties: { maximumQoS: 1, maximumPacketSize: 30 } });
    expect(d.events().filter((e) => e.event === "publishDone")).toEqual([
      { event: "publishDone", token: big, reasonCode: 0x95 },
      { event: "publishDone", token: qos2, reasonCode: 0x9b },
    ]);
    expect(d.takeHex()).toBe("32 07 00 01 74 00 01 00 7a");
    d.feed("40 02 00 01");
    expect(d.events()).toEqual([{ event: "publishDone", token: fine, reasonCode: 0 }]);
  });

  it("holds an acknowledgement that finds the transmit buffer full and writes it first when room appears", () => {
    const d = new EngineDriver({ transmitBufferSize: 32 });
    d.connected();
    for (const p of ["a", "b", "c", "d"]) d.engine.publish("t", p, 0, false);
    d.engine.publish("t", "e", 0, false);
    d.feed("32 07 00 01 74 00 05 00 78");
    expect(d.engine.pending()).toBe(28);
    d.engine.consumed(28);
    expect(d.takeHex()).toBe("40 02 00 05 30 05 00 01 74 00 65");
  });
});
