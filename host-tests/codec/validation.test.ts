// What the codec refuses, and with which error: decoding malformed input throws MqttError with the reason
// code the specification prescribes (0x81 Malformed Packet, 0x82 Protocol Error, 0x84, 0x94, 0x95) and a
// field name; encoding bad app arguments throws MqttArgumentError naming the argument, before writing.
import { describe, expect, it } from "vitest";
import {
  MqttArgumentError, PacketDecoder, encodePacket, type Packet, type ProtocolVersion,
} from "../../src/codec/index";
import { decodeStream } from "../support/codec-harness";
import { fromHex } from "./golden-cases";

function decodeError(bytes: string, version: ProtocolVersion = 5, options: Parameters<typeof decodeStream>[2] = {}) {
  const outcome = decodeStream(fromHex(bytes), version, options);
  if (!outcome.error) throw new Error(`expected an MqttError, decoded ${JSON.stringify(outcome.packets)}`);
  return outcome.error;
}

describe("decoding refuses malformed packets with the prescribed reason code", () => {
  const cases: [string, string, ProtocolVersion, number][] = [
    ["reserved packet type 0", "00 00", 5, 0x81],
    ["PUBLISH with QoS 3", "36 03 00 01 74", 5, 0x81],
    ["PUBREL whose reserved flags are not 0010", "60 02 00 01", 5, 0x81],
    ["SUBSCRIBE whose reserved flags are not 0010", "80 06 00 01 00 01 23 00", 4, 0x81],
    ["UNSUBSCRIBE whose reserved flags are not 0010", "a0 05 00 01 00 01 23", 4, 0x81],
    ["PUBACK with a flag bit set", "41 02 00 01", 5, 0x81],
    ["AUTH at level 4 (reserved type 15)", "f0 00", 4, 0x81],
    ["a remaining length in non-minimal form (0x80 0x00)", "c0 80 00", 5, 0x81],
    ["a remaining length longer than 4 bytes", "30 ff ff ff ff 01", 5, 0x81],
    ["PUBACK with packet identifier 0", "40 02 00 00", 5, 0x81],
    ["QoS 1 PUBLISH with packet identifier 0", "32 05 00 01 74 00 00", 4, 0x81],
    ["SUBSCRIBE with packet identifier 0", "82 06 00 00 00 01 23 00", 4, 0x81],
    ["an unknown property identifier", "40 06 00 01 00 02 7f 00", 5, 0x81],
    ["a property not allowed in the packet (Topic Alias in PUBACK)", "40 07 00 01 00 03 23 00 01", 5, 0x81],
    ["a property repeated that may not repeat", "30 0a 00 01 74 06 23 00 01 23 00 02", 5, 0x82],
    ["a property length past the end of the packet", "40 04 00 01 00 05", 5, 0x81],
    ["a property value past the end of its property block", "40 06 00 01 00 02 21 00", 5, 0x81],
    ["a string length past the end of the packet", "30 03 00 05 74", 5, 0x81],
    ["a binary length past the end of the packet", "40 08 00 01 00 04 09 00 09 01", 5, 0x81],
    ["trailing bytes after PINGREQ", "c0 01 00", 5, 0x81],
    ["trailing bytes after a 3.1.1 PUBACK", "40 03 00 01 00", 4, 0x81],
    ["trailing bytes after a CONNACK", "20 04 00 00 00 00", 5, 0x81],
    ["a PUBACK missing half its packet identifier", "40 01 00", 5, 0x81],
    ["a CONNACK without its property length", "20 02 00 00", 5, 0x81],
    ["an overlong UTF-8 encoding in a topic", "30 05 00 02 c0 80 00", 5, 0x81],
    ["U+0000 in a topic", "30 04 00 01 00 00", 5, 0x81],
    ["a UTF-16 surrogate encoded in UTF-8", "30 06 00 03 ed a0 80 00", 5, 0x81],
    ["a truncated UTF-8 sequence", "30 05 00 02 61 e2 00", 5, 0x81],
    ["a code point above U+10FFFF", "30 07 00 04 f4 90 80 80 00", 5, 0x81],
    ["a wildcard in a PUBLISH topic name", "30 05 00 02 61 23 00", 5, 0x81],
    ["an empty PUBLISH topic without a topic alias", "30 03 00 00 00", 5, 0x82],
    ["an empty PUBLISH topic at level 4", "30 02 00 00", 4, 0x81],
    ["topic alias 0", "30 07 00 01 74 03 23 00 00", 5, 0x94],
    ["subscription identifier 0", "30 06 00 01 74 02 0b 00", 5, 0x82],
    ["a subscription identifier in non-minimal form", "30 07 00 01 74 03 0b 81 00", 5, 0x81],
    ["a Response Topic with a wildcard", "30 08 00 01 74 04 08 00 01 23", 5, 0x81],
    ["Receive Maximum 0", "20 06 00 00 03 21 00 00", 5, 0x82],
    ["Maximum QoS 2", "20 05 00 00 02 24 02", 5, 0x82],
    ["Will Delay Interval among the CONNECT properties", "10 13 00 04 4d 51 54 54 05 02 00 3c 05 18 00 00 00 01 00 01 63", 5, 0x81],
    ["a CONNECT with the reserved flag set", "10 0e 00 04 4d 51 54 54 05 03 00 3c 00 00 01 63", 5, 0x81],
    ["a CONNECT with another protocol name", "10 0d 00 04 4d 51 54 53 04 02 00 3c 00 01 63", 4, 0x81],
    ["a CONNECT with will QoS but no will", "10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 63", 4, 0x81],
    ["a 3.1.1 CONNECT with a password but no user name", "10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 63 00 01 70", 4, 0x81],
    ["a SUBSCRIBE without topic filters", "82 03 00 01 00", 5, 0x82],
    ["an UNSUBSCRIBE without topic filters", "a2 02 00 01", 4, 0x82],
    ["SUBSCRIBE options with reserved bits 6-7 set", "82 07 00 01 00 00 01 23 c0", 5, 0x81],
    ["SUBSCRIBE options with retain handling 3", "82 07 00 01 00 00 01 23 30", 5, 0x82],
    ["SUBSCRIBE options with QoS 3", "82 07 00 01 00 00 01 23 03", 5, 0x81],
    ["3.1.1 SUBSCRIBE options with a reserved bit set", "82 06 00 01 00 01 23 04", 4, 0x81],
    ["No Local on a shared subscription", "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04", 5, 0x82],
    ["a topic filter with # not last", "82 08 00 01 00 00 03 23 2f 61 00", 5, 0x81],
    ["a topic filter with + sharing its level", "82 07 00 01 00 00 02 61 2b 00", 5, 0x81],
    ["a shared subscription without a filter", "a2 0b 00 01 00 00 07 24 73 68 61 72 65 2f", 5, 0x81],
    ["a PUBACK reason code not defined for PUBACK", "40 03 00 01 05", 5, 0x81],
    ["a SUBACK without reason codes", "90 03 00 01 00", 5, 0x82],
    ["a 3.1.1 SUBACK return code other than 0, 1, 2, 0x80", "90 03 00 01 03", 4, 0x81],
    ["a CONNACK with reserved acknowledge flags", "21 03 00 00 00", 5, 0x81],
    ["a CONNACK with session present and a failure code", "20 03 01 80 00", 5, 0x82],
    ["a 3.1.1 CONNACK return code above 5", "20 02 00 06", 4, 0x81],
  ];
  for (const [what, bytes, version, code] of cases) {
    it(`refuses ${what} (0x${code.toString(16)})`, () => {
      const error = decodeError(bytes, version);
      expect(error.reasonCode).toBe(code);
      expect(error.field.length).toBeGreaterThan(0);
      expect(error.message).toContain(error.field);
    });
  }

  it("refuses a CONNECT with an unsupported protocol level with 0x84", () => {
    expect(decodeError("10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 63").reasonCode).toBe(0x84);
  });

  it("refuses a packet above maximumPacketSize with 0x95 as soon as its length is known, before its body", () => {
    // Only the fixed header of a 12-byte PUBLISH arrives; the limit is 11.
    const outcome = decodeStream(fromHex("30 0a"), 5, { maximumPacketSize: 11, bufferSize: 64 });
    expect(outcome.error?.reasonCode).toBe(0x95);
  });

  it("accepts a packet of exactly maximumPacketSize bytes", () => {
    const outcome = decodeStream(fromHex("30 09 00 01 74 00 01 02 03 04 05"), 5, { maximumPacketSize: 11 });
    expect(outcome.error).toBeUndefined();
    expect(outcome.packets).toHaveLength(1);
  });

  it("refuses with 0x95 a packet whose body cannot fit the receive buffer", () => {
    expect(decodeError("30 08 00 01 74 00 01 02 03 04", 5, { bufferSize: 4 }).reasonCode).toBe(0x95);
  });

  it("stays failed after an error, rethrowing it, until reset()", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(16) });
    const bad = fromHex("00 00");
    const ping = fromHex("c0 00");
    expect(() => decoder.feed(bad, 0, 2)).toThrow(/reserved packet type/);
    expect(() => decoder.feed(ping, 0, 2)).toThrow(/reserved packet type/);
    decoder.reset();
    expect(decoder.feed(ping, 0, 2)).toBe(2);
    expect(decoder.packet?.type).toBe(12);
  });

  it("keeps repeated User Properties in order, duplicates included", () => {
    const bytes = "40 19 00 01 00 15 26 00 01 6b 00 01 31 26 00 01 6a 00 01 32 26 00 01 6b 00 01 31";
    const outcome = decodeStream(fromHex(bytes), 5);
    expect(outcome.error).toBeUndefined();
    expect((outcome.packets[0] as { properties: { userProperties: unknown } }).properties.userProperties).toEqual([
      ["k", "1"], ["j", "2"], ["k", "1"],
    ]);
  });
});

describe("encoding refuses bad arguments with MqttArgumentError naming the argument", () => {
  const publish = (over: object): Packet =>
    ({ type: 3, topic: "t", qos: 0, retain: false, dup: false, packetId: 0, payload: "x", ...over }) as Packet;
  const cases: [string, Packet, ProtocolVersion, string][] = [
    ["a wildcard in a PUBLISH topic", publish({ topic: "a/+" }), 5, "topic"],
    ["a # in a PUBLISH topic", publish({ topic: "a/#" }), 4, "topic"],
    ["QoS 3", publish({ qos: 3, packetId: 1 }), 5, "qos"],
    ["packet identifier 0 with QoS 1", publish({ qos: 1, packetId: 0 }), 5, "packetId"],
    ["packet identifier 65536", publish({ qos: 2, packetId: 65536 }), 5, "packetId"],
    ["DUP on a QoS 0 PUBLISH", publish({ dup: true }), 5, "dup"],
    ["a topic longer than 65535 bytes", publish({ topic: "a".repeat(65536) }), 5, "topic"],
    ["a lone high surrogate", publish({ topic: "a\ud800" }), 5, "topic"],
    ["a lone low surrogate", publish({ topic: "\udc00a" }), 5, "topic"],
    ["U+0000 in a topic", publish({ topic: "a\u0000" }), 5, "topic"],
    ["an empty topic without a topic alias", publish({ topic: "" }), 5, "topic"],
    ["an empty topic at level 4", publish({ topic: "" }), 4, "topic"],
    ["a payload window outside the payload", publish({ payload: new Uint8Array(4), payloadOffset: 2, payloadLength: 3 }), 5, "payloadLength"],
    ["topic alias 0", publish({ properties: { topicAlias: 0 } }), 5, "properties.topicAlias"],
    ["a property the packet may not carry", publish({ properties: { sessionExpiryInterval: 1 } }), 5, "properties.sessionExpiryInterval"],
    ["a Response Topic with a wildcard", publish({ properties: { responseTopic: "a/#" } }), 5, "properties.responseTopic"],
    ["a payload format indicator of 2", publish({ properties: { payloadFormatIndicator: 2 } }), 5, "properties.payloadFormatIndicator"],
    ["subscription identifier 0", { type: 8, packetId: 1, subscriptions: [{ filter: "a", qos: 0 }], properties: { subscriptionIdentifiers: [0] } }, 5, "subscriptionIdentifiers"],
    ["subscription identifier 268,435,456", { type: 8, packetId: 1, subscriptions: [{ filter: "a", qos: 0 }], properties: { subscriptionIdentifiers: [268_435_456] } }, 5, "subscriptionIdentifiers"],
    ["two subscription identifiers in SUBSCRIBE", { type: 8, packetId: 1, subscriptions: [{ filter: "a", qos: 0 }], properties: { subscriptionIdentifiers: [1, 2] } }, 5, "subscriptionIdentifiers"],
    ["Receive Maximum 0", { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 0, properties: { receiveMaximum: 0 } }, 5, "properties.receiveMaximum"],
    ["a will property among the CONNECT properties", { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 0, properties: { willDelayInterval: 1 } }, 5, "properties.willDelayInterval"],
    ["a CONNECT property among the will properties", { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 0, will: { topic: "w", payload: "", qos: 0, retain: false, properties: { sessionExpiryInterval: 1 } } }, 5, "will.properties.sessionExpiryInterval"],
    ["a keep alive above 65535", { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 65536 }, 5, "keepAlive"],
    ["a 3.1.1 password without a user name", { type: 1, protocolVersion: 4, clientId: "c", cleanStart: true, keepAlive: 0, password: "p" }, 4, "password"],
    ["a will topic with a wildcard", { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 0, will: { topic: "#", payload: "", qos: 0, retain: false } }, 5, "will.topic"],
    ["an empty subscription list", { type: 8, packetId: 1, subscriptions: [] }, 5, "subscriptions"],
    ["a filter with # before the end", { type: 8, packetId: 1, subscriptions: [{ filter: "a/#/b", qos: 0 }] }, 5, "subscriptions.filter"],
    ["a filter with + sharing its level", { type: 8, packetId: 1, subscriptions: [{ filter: "a+", qos: 0 }] }, 5, "subscriptions.filter"],
    ["a shared subscription without a filter", { type: 8, packetId: 1, subscriptions: [{ filter: "$share/g", qos: 0 }] }, 5, "subscriptions.filter"],
    ["retain handling 3", { type: 8, packetId: 1, subscriptions: [{ filter: "a", qos: 0, retainHandling: 3 as 2 }] }, 5, "subscriptions.retainHandling"],
    ["No Local on a shared subscription", { type: 8, packetId: 1, subscriptions: [{ filter: "$share/g/a", qos: 0, noLocal: true }] }, 5, "subscriptions.noLocal"],
    ["an empty filter list", { type: 10, packetId: 1, filters: [] }, 5, "filters"],
    ["an empty SUBACK", { type: 9, packetId: 1, reasonCodes: [] }, 5, "reasonCodes"],
    ["a 3.1.1 SUBACK code 0x87", { type: 9, packetId: 1, reasonCodes: [0x87] }, 4, "reasonCodes"],
    ["a PUBACK reason code of PUBREL", { type: 4, packetId: 1, reasonCode: 0x92 }, 5, "reasonCode"],
    ["a DISCONNECT reason code that is not one", { type: 14, reasonCode: 0x01 }, 5, "reasonCode"],
    ["AUTH at level 4", { type: 15, reasonCode: 0 }, 4, "type"],
    ["protocol version 6", { type: 12 }, 6 as ProtocolVersion, "version"],
  ];
  for (const [what, packet, version, argument] of cases) {
    it(`refuses ${what} (${argument})`, () => {
      const out = new Uint8Array(70_000).fill(0xee);
      let error: unknown;
      try {
        encodePacket(packet, version, out);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MqttArgumentError);
      expect((error as MqttArgumentError).argument).toBe(argument);
      expect(out.every((b) => b === 0xee)).toBe(true);
    });
  }

  it("allows an empty topic with a topic alias (MQTT 5)", () => {
    const n = encodePacket(publish({ topic: "", properties: { topicAlias: 3 } }), 5, new Uint8Array(32));
    expect(n).toBeGreaterThan(0);
  });

  it("returns 0 and leaves the buffer untouched when the packet does not fit", () => {
    const out = new Uint8Array(8).fill(0xee);
    expect(encodePacket(publish({ topic: "abc", payload: "hello" }), 5, out, 1)).toBe(0);
    expect(out.every((b) => b === 0xee)).toBe(true);
  });

  it("writes at the given offset and nowhere else", () => {
    const out = new Uint8Array(8).fill(0xee);
    expect(encodePacket({ type: 4, packetId: 0x0102, reasonCode: 0 }, 5, out, 3)).toBe(4);
    expect(Array.from(out)).toEqual([0xee, 0xee, 0xee, 0x40, 0x02, 0x01, 0x02, 0xee]);
  });
});
