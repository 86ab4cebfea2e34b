// PublishPacket.topicAlias: a Topic Alias the encoder writes ahead of `properties`, so a sender can add an
// alias to a PUBLISH without writing into a properties object it does not own (the engine's automatic aliases).
import { describe, expect, it } from "vitest";
import { MqttArgumentError, encodePacket, encodedLength, type PublishPacket } from "../../src/codec/index";
import { decodeAll, hex } from "../support/engine-harness";

function publish(over: Partial<PublishPacket>): PublishPacket {
  return { type: 3, topic: "t", qos: 0, retain: false, dup: false, packetId: 0, payload: "x", ...over };
}

function encodeHex(p: PublishPacket, version: 4 | 5 = 5): string {
  const out = new Uint8Array(64);
  const n = encodePacket(p, version, out, 0);
  expect(n).toBe(encodedLength(p, version));
  return hex(out.subarray(0, n));
}

describe("PUBLISH with a topic alias outside its properties", () => {
  it("writes the alias as the Topic Alias property", () => {
    expect(encodeHex(publish({ topicAlias: 1 }))).toBe("30 08 00 01 74 03 23 00 01 78");
  });

  it("writes it first, ahead of the other properties, and leaves their object as it was", () => {
    const properties = Object.freeze({ contentType: "a" });
    const bytes = encodeHex(publish({ topicAlias: 2, properties }));
    expect(bytes).toBe("30 0c 00 01 74 07 23 00 02 03 00 01 61 78");
    expect(decodeAll(Uint8Array.from(bytes.split(" "), (b) => parseInt(b, 16)))).toMatchObject([
      { topic: "t", properties: { topicAlias: 2, contentType: "a" } },
    ]);
  });

  it("lets the topic be empty", () => {
    expect(encodeHex(publish({ topic: "", topicAlias: 3 }))).toBe("30 07 00 00 03 23 00 03 78");
  });

  it("treats 0 as no alias", () => {
    expect(encodeHex(publish({ topicAlias: 0 }))).toBe("30 05 00 01 74 00 78");
  });

  it("is ignored at level 4, which has no aliases", () => {
    expect(encodeHex(publish({ topicAlias: 1 }), 4)).toBe("30 04 00 01 74 78");
  });

  it("refuses an alias out of range and an alias given twice", () => {
    for (const p of [publish({ topicAlias: 65536 }), publish({ topicAlias: 1.5 }), publish({ topicAlias: 1, properties: { topicAlias: 1 } })]) {
      expect(() => encodedLength(p, 5)).toThrow(MqttArgumentError);
    }
  });
});
