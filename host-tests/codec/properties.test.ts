// The property table drives both directions: every property is accepted exactly in the packets the MQTT 5
// specification lists for it (2.2.2.2), encoded with its wire type, and refused elsewhere.
import { describe, expect, it } from "vitest";
import { MqttArgumentError, PROPERTIES, WireType, encodePacket, type Packet, type PropertyInfo } from "../../src/codec/index";
import { presentProperties } from "../../src/codec/property-table";
import { decodeStream } from "../support/codec-harness";

const SAMPLE: Record<number, unknown> = {
  [WireType.BYTE]: 1,
  [WireType.TWO_BYTE]: 1,
  [WireType.FOUR_BYTE]: 1,
  [WireType.VARINT]: [1],
  [WireType.UTF8]: "a",
  [WireType.BINARY]: new Uint8Array([0x61]),
  [WireType.UTF8_PAIR]: [["a", "b"]],
};

/** The property's wire bytes for the SAMPLE value. */
function wire(info: PropertyInfo): number[] {
  switch (info.type) {
    case WireType.BYTE: return [info.id, 1];
    case WireType.TWO_BYTE: return [info.id, 0, 1];
    case WireType.FOUR_BYTE: return [info.id, 0, 0, 0, 1];
    case WireType.VARINT: return [info.id, 1];
    case WireType.UTF8: case WireType.BINARY: return [info.id, 0, 1, 0x61];
    default: return [info.id, 0, 1, 0x61, 0, 1, 0x62];
  }
}

/** Carrier packets with a property block: their type, a builder, and the bytes around the block. */
const CARRIERS: { type: number; packet: (props: object) => Packet; head: number[]; tail: number[] }[] = [
  { type: 3, packet: (properties) => ({ type: 3, topic: "t", qos: 0, retain: false, dup: false, packetId: 0, payload: "", properties }), head: [0, 1, 0x74], tail: [] },
  { type: 4, packet: (properties) => ({ type: 4, packetId: 1, reasonCode: 0, properties }), head: [0, 1, 0], tail: [] },
  { type: 14, packet: (properties) => ({ type: 14, reasonCode: 0, properties }), head: [0], tail: [] },
  { type: 15, packet: (properties) => ({ type: 15, reasonCode: 0x18, properties }), head: [0x18], tail: [] },
  { type: 9, packet: (properties) => ({ type: 9, packetId: 1, reasonCodes: [0], properties }), head: [0, 1], tail: [0] },
];

describe("the property table", () => {
  it("lists each MQTT 5 property once, with the identifiers of the specification", () => {
    expect(PROPERTIES.map((p) => p.id)).toEqual([
      0x01, 0x02, 0x03, 0x08, 0x09, 0x0b, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1f,
      0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a,
    ]);
    expect(PROPERTIES.filter((p) => p.repeatable).map((p) => p.key)).toEqual(["subscriptionIdentifiers", "userProperties"]);
  });

  it("reports each property present at its own bit (presentProperties matches the table)", () => {
    PROPERTIES.forEach((info, i) => {
      expect(presentProperties({ [info.key]: SAMPLE[info.type] })).toBe(1 << i);
    });
  });
});

describe.each(CARRIERS)("properties in packet type $type", (carrier) => {
  for (const info of PROPERTIES) {
    const allowed = (info.packets & (1 << carrier.type)) !== 0;
    it(`${allowed ? "carries" : "refuses"} ${info.key} (0x${info.id.toString(16)}) both ways`, () => {
      const props = { [info.key]: SAMPLE[info.type] };
      const body = [...carrier.head, wire(info).length, ...wire(info), ...carrier.tail];
      const first = carrier.type << 4;
      const bytes = new Uint8Array([first, body.length, ...body]);
      const outcome = decodeStream(bytes, 5);
      const out = new Uint8Array(64);
      if (allowed) {
        const n = encodePacket(carrier.packet(props), 5, out);
        expect(Array.from(out.subarray(0, n))).toEqual(Array.from(bytes));
        expect(outcome.error).toBeUndefined();
      } else {
        expect(() => encodePacket(carrier.packet(props), 5, out)).toThrow(MqttArgumentError);
        expect(outcome.error?.reasonCode).toBe(0x81);
      }
    });
  }
});
