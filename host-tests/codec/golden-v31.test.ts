// MQTT 3.1 (protocol level 3, protocol name "MQIsdp"): the CONNECT differs from 3.1.1 (name, level, a client
// identifier of 1 to 23 bytes), the CONNACK's first byte is unused (no Session Present); every other packet
// has the 3.1.1 layout (issue 13, item 5).
import { describe, expect, it } from "vitest";
import { MqttArgumentError, PacketDecoder, encodedLength } from "../../src/codec/index";
import { decodeStream } from "../support/codec-harness";
import { fromHex, goldenTests, text, type GoldenCase } from "./golden-cases";

const CASES: GoldenCase[] = [
  {
    name: "a minimal CONNECT (clean session, keep alive 60, client id 'c')",
    packet: { type: 1, protocolVersion: 3, clientId: "c", cleanStart: true, keepAlive: 60 },
    bytes: "10 0f | 00 06 4d 51 49 73 64 70 | 03 | 02 | 00 3c | 00 01 63",
  },
  {
    name: "a CONNECT with a QoS 1 will, user name and password",
    packet: {
      type: 1, protocolVersion: 3, clientId: "id", cleanStart: false, keepAlive: 10,
      will: { topic: "w", payload: text("x"), qos: 1, retain: true }, username: "u", password: text("p"),
    },
    bytes: "10 1c | 00 06 4d 51 49 73 64 70 | 03 | ec | 00 0a | 00 02 69 64 | 00 01 77 | 00 01 78 | 00 01 75 | 00 01 70",
  },
  { name: "a CONNACK accepting", packet: { type: 2, sessionPresent: false, reasonCode: 0 }, bytes: "20 02 | 00 | 00" },
  { name: "a CONNACK refusing with return code 2 (identifier rejected)", packet: { type: 2, sessionPresent: false, reasonCode: 2 }, bytes: "20 02 | 00 | 02" },
  {
    name: "a QoS 1 PUBLISH",
    packet: { type: 3, topic: "t", qos: 1, retain: false, dup: false, packetId: 10, payload: new Uint8Array([0xff]) },
    bytes: "32 06 | 00 01 74 | 00 0a | ff",
  },
  { name: "a PUBREL", packet: { type: 6, packetId: 3, reasonCode: 0 }, bytes: "62 02 | 00 03" },
  {
    name: "a SUBSCRIBE",
    packet: { type: 8, packetId: 1, subscriptions: [{ filter: "a/#", qos: 1 }] },
    bytes: "82 08 | 00 01 | 00 03 61 2f 23 | 01",
  },
  { name: "a SUBACK", packet: { type: 9, packetId: 1, reasonCodes: [1] }, bytes: "90 03 | 00 01 | 01" },
  { name: "a DISCONNECT", packet: { type: 14, reasonCode: 0 }, bytes: "e0 00" },
];

describe("MQTT 3.1 golden bytes", () => {
  goldenTests(CASES, 3);
});

describe("MQTT 3.1 rules", () => {
  const connect = (clientId: string) => ({ type: 1 as const, protocolVersion: 3 as const, clientId, cleanStart: true, keepAlive: 0 });

  it("needs a client identifier of 1 to 23 bytes", () => {
    expect(encodedLength(connect("x".repeat(23)), 3)).toBe(2 + 12 + 2 + 23);
    for (const id of ["", "x".repeat(24), "é".repeat(12)]) {
      expect(() => encodedLength(connect(id), 3)).toThrow(MqttArgumentError);
    }
  });

  it("ignores the unused first byte of a 3.1 CONNACK: there is no Session Present", () => {
    const outcome = decodeStream(fromHex("20 02 01 00"), 3);
    expect(outcome.error).toBeUndefined();
    expect(outcome.packets).toMatchObject([{ type: 2, sessionPresent: false, reasonCode: 0 }]);
  });

  it("refuses a 3.1 CONNACK return code above 5", () => {
    expect(decodeStream(fromHex("20 02 00 06"), 3).error?.reasonCode).toBe(0x81);
  });

  it("decodes a level 3 CONNECT (a server's view) and switches the decoder to level 3", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64), version: 5 });
    const bytes = fromHex("10 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 63");
    decoder.feed(bytes, 0, bytes.length);
    expect(decoder.packet).toMatchObject({ type: 1, protocolVersion: 3, clientId: "c" });
    expect(decoder.version).toBe(3);
  });

  it("refuses a protocol name and level that do not belong together with 0x84", () => {
    for (const bytes of ["10 0f 00 06 4d 51 49 73 64 70 04 02 00 3c 00 01 63", "10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 63"]) {
      expect(decodeStream(fromHex(bytes), 5).error?.reasonCode).toBe(0x84);
    }
  });
});
