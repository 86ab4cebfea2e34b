// The decoder gives the same packets however the bytes are cut: one byte at a time, split at every
// position, in random fragment sizes, and when fed from its own receive buffer.
import { describe, expect, it } from "vitest";
import { PacketDecoder, type Packet, type ProtocolVersion } from "../../src/codec/index";
import { decodeStream, encodeToBytes } from "../support/codec-harness";
import { normalForm } from "../support/normal-form";

function payload(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

const PACKETS: Packet[] = [
  {
    type: 1, protocolVersion: 5, clientId: "client-é", cleanStart: true, keepAlive: 30, username: "user",
    password: payload(5), will: { topic: "will/t", payload: payload(3), qos: 1, retain: false, properties: { contentType: "x" } },
    properties: { sessionExpiryInterval: 60, userProperties: [["a", "1"], ["a", "2"]] },
  },
  { type: 2, sessionPresent: false, reasonCode: 0, properties: { topicAliasMaximum: 4, serverKeepAlive: 20 } },
  { type: 3, topic: "sensors/😀/t", qos: 1, retain: false, dup: false, packetId: 9, payload: payload(200), properties: { topicAlias: 1 } },
  { type: 3, topic: "big", qos: 0, retain: true, dup: false, packetId: 0, payload: payload(20_000) },
  { type: 4, packetId: 9, reasonCode: 0 },
  { type: 5, packetId: 10, reasonCode: 0x80, properties: { reasonString: "r" } },
  { type: 6, packetId: 10, reasonCode: 0 },
  { type: 7, packetId: 10, reasonCode: 0 },
  { type: 8, packetId: 11, subscriptions: [{ filter: "a/+", qos: 2 }, { filter: "$share/g/#", qos: 1 }] },
  { type: 9, packetId: 11, reasonCodes: [2, 1] },
  { type: 10, packetId: 12, filters: ["a/+"] },
  { type: 11, packetId: 12, reasonCodes: [0] },
  { type: 12 },
  { type: 13 },
  { type: 14, reasonCode: 0x8b },
  { type: 15, reasonCode: 0x18, properties: { authenticationMethod: "SCRAM", authenticationData: payload(4) } },
];

function stream(version: ProtocolVersion): { bytes: Uint8Array; expected: Record<string, unknown>[]; sizes: number[] } {
  const packets = PACKETS.filter((p) => version === 5 || p.type !== 15)
    .map((p) => (p.type === 1 ? { ...p, protocolVersion: version } : p));
  const encoded = packets.map((p) => encodeToBytes(p, version));
  const bytes = new Uint8Array(encoded.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of encoded) {
    bytes.set(b, at);
    at += b.length;
  }
  return { bytes, expected: packets.map((p) => normalForm(p, version)), sizes: encoded.map((b) => b.length) };
}

/** Deterministic pseudo-random fragment lengths (xorshift), 1 to max. */
function randomFragments(seed: number, total: number, max: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let sum = 0; sum < total;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = 1 + ((x >>> 0) % max);
    out.push(n);
    sum += n;
  }
  return out;
}

describe.each([5, 4] as const)("MQTT level %i", (version) => {
  const { bytes, expected, sizes } = stream(version);
  const bufferSize = 20_100; // fits the largest body, with stale bytes from earlier packets around it

  it("decodes a stream of every packet type fed one byte at a time", () => {
    const outcome = decodeStream(bytes, version, { fragments: new Array(bytes.length).fill(1), bufferSize, bufferFill: 0xa5 });
    expect(outcome.error).toBeUndefined();
    expect(outcome.packets).toEqual(expected);
  });

  it("decodes each packet split into two fragments at every position", () => {
    let start = 0;
    for (let k = 0; k < sizes.length; k++) {
      const size = sizes[k];
      const step = size > 300 ? 97 : 1; // the 20 kB PUBLISH: every 97th cut, header cuts included below
      for (let cut = 1; cut < size; cut += cut < 8 ? 1 : step) {
        const outcome = decodeStream(bytes, version, { fragments: [cut], bufferSize }, start, start + size);
        expect(outcome.error).toBeUndefined();
        expect(outcome.packets).toEqual([expected[k]]);
      }
      start += size;
    }
  });

  it("decodes the stream in random fragment sizes", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const fragments = randomFragments(seed * 2654435761, bytes.length, seed % 2 === 0 ? 7 : 3000);
      const outcome = decodeStream(bytes, version, { fragments, bufferSize });
      expect(outcome.error).toBeUndefined();
      expect(outcome.packets).toEqual(expected);
    }
  });

  it("decodes bytes that were received straight into its own buffer", () => {
    // A PUBACK then a PUBLISH placed at the start of the receive buffer itself (the overlap case).
    const buffer = new Uint8Array(256);
    const decoder = new PacketDecoder({ buffer, version });
    const puback = encodeToBytes({ type: 4, packetId: 3, reasonCode: 0 }, version);
    const publish = encodeToBytes({ type: 3, topic: "t", qos: 0, retain: false, dup: false, packetId: 0, payload: payload(50) }, version);
    buffer.set(puback, 0);
    buffer.set(publish, puback.length);
    const end = puback.length + publish.length;
    const seen: Record<string, unknown>[] = [];
    for (let i = 0; i < end;) {
      i += decoder.feed(buffer, i, end);
      if (decoder.packet) seen.push(normalForm(decoder.packet, version));
    }
    expect(seen).toEqual([
      normalForm({ type: 4, packetId: 3, reasonCode: 0 }, version),
      normalForm({ type: 3, topic: "t", qos: 0, retain: false, dup: false, packetId: 0, payload: payload(50) }, version),
    ]);
  });
});
