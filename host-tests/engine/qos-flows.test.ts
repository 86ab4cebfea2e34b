import { describe, expect, it } from "vitest";
import type { PublishPacket } from "../../src/codec/packet";
import { PublishResult } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

describe("outbound QoS 0/1/2", () => {
  it("writes a QoS 0 PUBLISH at once and reports it written (no event)", () => {
    const d = new EngineDriver();
    d.connected();
    expect(d.engine.publish("t", "x", 0, false)).toBe(PublishResult.WRITTEN);
    expect(d.takeHex()).toBe("30 05 00 01 74 00 78");
    expect(d.events()).toEqual([]);
  });

  it("completes a QoS 1 publish on PUBACK with its reason code", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.publish("t", "x", 1, false);
    expect(token).toBeGreaterThan(0);
    expect(d.takeHex()).toBe("32 07 00 01 74 00 01 00 78");
    d.feed("40 03 00 01 10");
    expect(d.events()).toEqual([{ event: "publishDone", token, reasonCode: 0x10 }]);
    expect(d.engine.inflightCount).toBe(0);
  });

  it("runs PUBLISH, PUBREC, PUBREL, PUBCOMP for QoS 2", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.publish("t", "x", 2, false);
    expect(d.takeHex()).toBe("34 07 00 01 74 00 01 00 78");
    d.feed("50 02 00 01");
    expect(d.takeHex()).toBe("62 02 00 01");
    expect(d.events()).toEqual([]);
    d.feed("70 02 00 01");
    expect(d.events()).toEqual([{ event: "publishDone", token, reasonCode: 0 }]);
  });

  it("ends a QoS 2 flow on a PUBREC failure code without PUBREL", () => {
    const d = new EngineDriver();
    d.connected();
    const token = d.engine.publish("t", "x", 2, false);
    d.take();
    d.feed("50 03 00 01 87");
    expect(d.take().length).toBe(0);
    expect(d.events()).toEqual([{ event: "publishDone", token, reasonCode: 0x87 }]);
  });

  it("never hands out a packet identifier that is still in use, across the 65535 wrap", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.publish("t", "held", 1, false);
    d.take();
    for (let i = 2; i <= 65535; i++) {
      d.engine.publish("t", "x", 1, false);
      const bytes = d.take();
      const id = (bytes[5] << 8) | bytes[6];
      expect(id).toBe(i);
      d.feed(new Uint8Array([0x40, 2, id >> 8, id & 0xff]));
    }
    d.engine.publish("t", "x", 1, false);
    const bytes = d.take();
    expect((bytes[5] << 8) | bytes[6]).toBe(2);
  });
});

describe("inbound QoS 0/1/2", () => {
  it("delivers QoS 0 with topic and payload and writes nothing", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("30 05 00 01 74 00 78");
    expect(d.events()).toMatchObject([{ event: "message", topic: "t", payload: "x", qos: 0 }]);
    expect(d.engine.pending()).toBe(0);
  });

  it("acknowledges QoS 1 (PUBACK) and QoS 2 (PUBREC) only after the message was handed to the app", () => {
    const d = new EngineDriver();
    d.connected();
    const pendingDuringDelivery: number[] = [];
    d.handler.onMessageHook = () => pendingDuringDelivery.push(d.engine.pending());
    d.feed("32 07 00 01 74 00 05 00 78");
    d.feed("34 07 00 01 74 00 06 00 79");
    expect(pendingDuringDelivery).toEqual([0, 4]);
    expect(d.events()).toMatchObject([
      { event: "message", topic: "t", payload: "x", qos: 1, packetId: 5 },
      { event: "message", topic: "t", payload: "y", qos: 2, packetId: 6 },
    ]);
    expect(d.takeHex()).toBe("40 02 00 05 50 02 00 06");
  });

  it("delivers QoS 2 exactly once: a DUP resend before PUBREL is acknowledged but not delivered again", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("34 07 00 01 74 00 06 00 78");
    expect(d.takeHex()).toBe("50 02 00 06");
    d.feed("3c 07 00 01 74 00 06 00 78");
    expect(d.takeHex()).toBe("50 02 00 06");
    d.feed("62 02 00 06");
    expect(d.takeHex()).toBe("70 02 00 06");
    expect(d.events().filter((e) => e.event === "message")).toHaveLength(1);
    d.feed("34 07 00 01 74 00 06 00 79");
    expect(d.events()).toMatchObject([{ event: "message", payload: "y" }]);
  });

  it("answers a PUBREL for an unknown identifier with PUBCOMP 0x92", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("62 02 00 09");
    expect(d.takeHex()).toBe("70 03 00 09 92");
  });

  it("delivers payloads as a window into the receive buffer (no copy)", () => {
    const d = new EngineDriver();
    d.connected();
    let seen: PublishPacket | undefined;
    d.handler.onMessageHook = (m) => { seen = m; };
    d.feed("30 05 00 01 74 00 78");
    expect(seen?.payload).toBeInstanceOf(Uint8Array);
    const window = seen as PublishPacket;
    expect((window.payload as Uint8Array)[window.payloadOffset ?? 0]).toBe(0x78);
    expect(window.payloadLength).toBe(1);
  });

  it("refuses a payload that is not UTF-8 when the Payload Format Indicator is 1 (0x99)", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed("30 07 00 01 74 02 01 01 ff");
    expect(d.takeHex()).toBe("e0 01 99");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x99 }]);
  });
});

describe("the topic cache shared by publishes and received messages", () => {
  it("writes a repeated topic right after received topics replaced its cache entry", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.publish("out/a", "x", 0, false);
    expect(d.takeHex()).toBe("30 09 00 05 6f 75 74 2f 61 00 78");
    for (const topic of ["in/1", "in/2", "in/3", "in/4"]) {
      d.server({ type: 3, topic, qos: 0, retain: false, dup: false, packetId: 0, payload: "y" } as PublishPacket);
    }
    expect(d.events().map((e) => (e as { topic?: string }).topic)).toEqual(["in/1", "in/2", "in/3", "in/4"]);
    d.engine.publish("out/a", "x", 0, false);
    expect(d.takeHex()).toBe("30 09 00 05 6f 75 74 2f 61 00 78");
  });
});
