// Every packet type in both versions survives encodePacket -> PacketDecoder, and encodedLength agrees
// with what encodePacket writes.
import { describe, expect, it } from "vitest";
import { PacketDecoder, encodePacket, encodedLength, payloadView, type Packet, type ProtocolVersion } from "../../src/codec";

const SAMPLES: Packet[] = [
  {
    type: 1, protocolVersion: 5, clientId: "abc", cleanStart: true, keepAlive: 60, username: "u",
    password: new Uint8Array([112]),
    will: { topic: "w/t", payload: new Uint8Array([98, 121, 101]), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
    properties: { sessionExpiryInterval: 10, userProperties: [["a", "b"]] },
  },
  { type: 2, sessionPresent: true, reasonCode: 0, properties: { receiveMaximum: 10 } },
  { type: 3, topic: "a/b", qos: 1, retain: true, dup: true, packetId: 7, payload: "héllo😀", properties: { subscriptionIdentifiers: [1, 300] } },
  { type: 4, packetId: 7, reasonCode: 0 },
  { type: 5, packetId: 8, reasonCode: 0x10 },
  { type: 6, packetId: 9, reasonCode: 0, properties: { reasonString: "x" } },
  { type: 7, packetId: 10, reasonCode: 0x92 },
  { type: 8, packetId: 1, subscriptions: [{ filter: "a/+", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }], properties: { subscriptionIdentifiers: [5] } },
  { type: 9, packetId: 1, reasonCodes: [1, 0x80] },
  { type: 10, packetId: 2, filters: ["a/#", "b"] },
  { type: 11, packetId: 2, reasonCodes: [0, 0x11] },
  { type: 12 },
  { type: 13 },
  { type: 14, reasonCode: 0x04, properties: { reasonString: "bye" } },
  { type: 15, reasonCode: 0x18, properties: { authenticationMethod: "m", authenticationData: new Uint8Array([1, 2]) } },
];

function decodeAll(bytes: Uint8Array, version: ProtocolVersion): Packet[] {
  const decoder = new PacketDecoder({ buffer: new Uint8Array(256), version });
  const packets: Packet[] = [];
  let i = 0;
  while (i < bytes.length) {
    i += decoder.feed(bytes, i, bytes.length);
    if (decoder.packet) packets.push(structuredClone(normalize(decoder.packet)));
  }
  return packets;
}

function normalize(p: Packet): Packet {
  if (p.type !== 3) return p;
  return { ...p, payload: payloadView(p).slice(), payloadOffset: undefined, payloadLength: undefined };
}

describe.each([5, 4] as const)("MQTT level %i", (version) => {
  it("decodes what it encodes, for every packet type, with encodedLength matching the bytes written", () => {
    const samples = SAMPLES.filter((p) => version === 5 || p.type !== 15);
    const out = new Uint8Array(1024);
    let pos = 0;
    for (const p of samples) {
      const n = encodePacket(p, version, out, pos);
      expect(n).toBe(encodedLength(p, version));
      pos += n;
    }
    const decoded = decodeAll(out.subarray(0, pos), version);
    expect(decoded.map((p) => p.type)).toEqual(samples.map((p) => p.type));
    const publish = decoded[2] as Extract<Packet, { type: 3 }>;
    expect(publish.topic).toBe("a/b");
    expect(new TextDecoder().decode(publish.payload as Uint8Array)).toBe("héllo😀");
    if (version === 5) expect(publish.properties?.subscriptionIdentifiers).toEqual([1, 300]);
  });
});
