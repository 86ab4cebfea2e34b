// PacketDecoder's contract beyond single packets: it stops right after each packet, reuses its objects
// (documented lifetime), returns payloads as windows into its receive buffer, resets properties between
// packets, and follows the protocol level a CONNECT announces.
import { describe, expect, it } from "vitest";
import { PacketDecoder, payloadView, type MqttError, type Packet, type PublishPacket } from "../../src/codec/index";
import { concat, encodeToBytes } from "../support/codec-harness";


const publish = (over: Partial<PublishPacket>): PublishPacket =>
  ({ type: 3, topic: "a/b", qos: 0, retain: false, dup: false, packetId: 0, payload: "x", ...over }) as PublishPacket;

describe("PacketDecoder", () => {
  it("stops right after each packet when several arrive in one chunk", () => {
    const first = encodeToBytes({ type: 12 }, 5);
    const second = encodeToBytes(publish({ payload: "hello" }), 5);
    const bytes = concat([first, second]);
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64) });
    expect(decoder.feed(bytes, 0, bytes.length)).toBe(first.length);
    expect(decoder.packet?.type).toBe(12);
    expect(decoder.feed(bytes, first.length, bytes.length)).toBe(second.length);
    expect(decoder.packet?.type).toBe(3);
  });

  it("parses a packet that arrives whole where it lies: the payload is a window into the fed bytes, and the packet object is reused", () => {
    const buffer = new Uint8Array(64);
    const decoder = new PacketDecoder({ buffer });
    const a = encodeToBytes(publish({ payload: "one" }), 5);
    const b = encodeToBytes(publish({ payload: "second" }), 5);
    decoder.feed(a, 0, a.length);
    const firstPacket = decoder.packet as PublishPacket;
    expect(firstPacket.payload).toBe(a);
    expect(new TextDecoder().decode(payloadView(firstPacket))).toBe("one");
    expect(buffer.every((byte) => byte === 0)).toBe(true); // nothing was copied
    decoder.feed(b, 0, b.length);
    expect(decoder.packet).toBe(firstPacket);
    expect(new TextDecoder().decode(payloadView(firstPacket))).toBe("second");
  });

  it("assembles a packet that arrives in pieces in its receive buffer: the payload is a window into it", () => {
    const buffer = new Uint8Array(64);
    const decoder = new PacketDecoder({ buffer });
    const bytes = encodeToBytes(publish({ payload: "in pieces, longer than eight bytes" }), 5);
    let taken = decoder.feed(bytes, 0, 5);
    expect(decoder.packet).toBeNull();
    taken += decoder.feed(bytes, taken, bytes.length);
    expect(taken).toBe(bytes.length);
    const packet = decoder.packet as PublishPacket;
    expect(packet.payload).toBe(buffer);
    expect(new TextDecoder().decode(payloadView(packet))).toBe("in pieces, longer than eight bytes");
  });

  it("refuses a whole packet larger than its receive buffer as it refuses one in pieces (0x95)", () => {
    const bytes = encodeToBytes(publish({ payload: "x".repeat(40) }), 5);
    const reasonOf = (feed: () => void): number | undefined => {
      try {
        feed();
      } catch (e) {
        return (e as MqttError).reasonCode;
      }
      return undefined;
    };
    const whole = new PacketDecoder({ buffer: new Uint8Array(16) });
    expect(reasonOf(() => whole.feed(bytes, 0, bytes.length))).toBe(0x95);
    const pieces = new PacketDecoder({ buffer: new Uint8Array(16) });
    expect(reasonOf(() => pieces.feed(bytes, 0, 3))).toBe(0x95);
  });

  it("clears the previous packet's properties: none leak into the next packet", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64) });
    const withAlias = encodeToBytes(publish({ properties: { topicAlias: 3, subscriptionIdentifiers: [7, 8] } }), 5);
    const withType = encodeToBytes(publish({ properties: { contentType: "t", subscriptionIdentifiers: [9] } }), 5);
    const none = encodeToBytes(publish({}), 5);
    decoder.feed(withAlias, 0, withAlias.length);
    expect(decoder.packet && (decoder.packet as PublishPacket).properties?.subscriptionIdentifiers).toEqual([7, 8]);
    decoder.feed(withType, 0, withType.length);
    const props = (decoder.packet as PublishPacket).properties;
    expect(props?.topicAlias).toBeUndefined();
    expect(props?.contentType).toBe("t");
    expect(props?.subscriptionIdentifiers).toEqual([9]);
    decoder.feed(none, 0, none.length);
    expect((decoder.packet as PublishPacket).properties).toBeUndefined();
  });

  it("decodes a repeated topic to the same string and a changed one to the new string", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64) });
    const topics: string[] = [];
    for (const topic of ["s/1", "s/1", "s/2", "é/😀", "é/😀", "s/1"]) {
      const bytes = encodeToBytes(publish({ topic }), 5);
      decoder.feed(bytes, 0, bytes.length);
      topics.push((decoder.packet as PublishPacket).topic);
    }
    expect(topics).toEqual(["s/1", "s/1", "s/2", "é/😀", "é/😀", "s/1"]);
  });

  it("tells a repeated topic from one of the same length by its bytes, and remembers topics past 64 bytes too", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(512) });
    const long = `x/${"y".repeat(100)}`;
    const longOther = `x/${"y".repeat(99)}z`;
    const sequence = ["s/1", "s/2", "s/2", "t/2", long, long, longOther, "s/1"];
    const topics: string[] = [];
    for (const topic of sequence) {
      const bytes = encodeToBytes(publish({ topic }), 5);
      decoder.feed(bytes, 0, bytes.length);
      topics.push((decoder.packet as PublishPacket).topic);
    }
    // "t/2" after "s/2" and longOther after long have the remembered length but other bytes.
    expect(topics).toEqual(sequence);
  });

  it("takes its protocol level from a decoded CONNECT", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64), version: 5 });
    const connect = encodeToBytes({ type: 1, protocolVersion: 4, clientId: "c", cleanStart: true, keepAlive: 0 }, 4);
    decoder.feed(connect, 0, connect.length);
    expect(decoder.version).toBe(4);
    // At level 4 a PUBACK is exactly 2 bytes: the MQTT 5 form with a reason code is now malformed.
    const v5Ack = encodeToBytes({ type: 4, packetId: 1, reasonCode: 0x10 }, 5);
    expect(() => decoder.feed(v5Ack, 0, v5Ack.length)).toThrow(/PUBACK/);
  });

  it("keeps the decoded CONNECT's will and properties apart", () => {
    const decoder = new PacketDecoder({ buffer: new Uint8Array(128) });
    const connect: Packet = {
      type: 1, protocolVersion: 5, clientId: "c", cleanStart: false, keepAlive: 5,
      properties: { sessionExpiryInterval: 10 },
      will: { topic: "w", payload: "bye", qos: 2, retain: true, properties: { willDelayInterval: 4 } },
    };
    const bytes = encodeToBytes(connect, 5);
    decoder.feed(bytes, 0, bytes.length);
    const got = decoder.packet as Extract<Packet, { type: 1 }>;
    expect(got.properties?.sessionExpiryInterval).toBe(10);
    expect(got.properties?.willDelayInterval).toBeUndefined();
    expect(got.will?.properties?.willDelayInterval).toBe(4);
    expect(got.will?.properties?.sessionExpiryInterval).toBeUndefined();
    expect(got.will?.qos).toBe(2);
    expect(got.will?.retain).toBe(true);
  });
});
