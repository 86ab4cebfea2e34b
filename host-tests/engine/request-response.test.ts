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
