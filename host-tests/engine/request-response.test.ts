import { describe, expect, it } from "vitest";
import type { PublishPacket } from "../../src/codec/packet";
import { encode, EngineDriver } from "../support/engine-harness";

const properties = {
  payloadFormatIndicator: 1,
  messageExpiryInterval: 30,
  contentType: "application/json",
  responseTopic: "reply/1",
  correlationData: new Uint8Array([9, 8, 7]),
  userProperties: [["trace", "1"], ["trace", "2"]] as [string, string][],
};

describe("request/response and message properties", () => {
  it("writes response topic, correlation data, expiry, format indicator, content type and user properties", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.publish("req", "{}", 1, false, properties);
    const [p] = d.takePackets() as PublishPacket[];
    expect(p.properties).toEqual(properties);
  });

  it("refuses to publish bytes that are not UTF-8 under Payload Format Indicator 1, naming the payload, and writes nothing", () => {
    const d = new EngineDriver();
    d.connected();
    const latin1 = new Uint8Array([0x7b, 0xe9, 0x7d]); // "{é}" in Latin-1: 0xe9 starts a 3-byte sequence
    expect(() => d.engine.publish("req", latin1, 1, false, { payloadFormatIndicator: 1 })).toThrow(/payload.*UTF-8/);
    expect(d.takePackets()).toEqual([]);
    // The same bytes without the indicator are plain binary, and a UTF-8 window of them passes.
    d.engine.publish("req", latin1, 0, false);
    d.engine.publishWindow("req", new Uint8Array([0xff, 0x41, 0x42]), 1, 2, 0, false, { payloadFormatIndicator: 1 });
    expect(d.takePackets()).toHaveLength(2);
  });

  it("delivers the same properties on an inbound message", () => {
    const d = new EngineDriver();
    d.connected();
    d.feed(encode({ type: 3, topic: "req", qos: 0, retain: false, dup: false, packetId: 0, payload: "{}", properties }));
    expect(d.events()).toMatchObject([{ event: "message", topic: "req", payload: "{}", properties }]);
  });

  it("surfaces Response Information from CONNACK", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c", properties: { requestResponseInformation: 1 } });
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0, properties: { responseInformation: "resp/c" } });
    expect(d.events()).toMatchObject([{ event: "connack", properties: { responseInformation: "resp/c" } }]);
  });

  it("publishes a window of a reused buffer without copying it first", () => {
    const d = new EngineDriver();
    d.connected();
    const buffer = new TextEncoder().encode("..hello..");
    d.engine.publishWindow("t", buffer, 2, 5, 0, false);
    expect(d.takeHex()).toBe("30 09 00 01 74 00 68 65 6c 6c 6f");
  });
});
