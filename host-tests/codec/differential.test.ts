// Differential test against mqtt-packet (the codec of MQTT.js): its parser accepts what we encode and reads
// the same fields, and we decode what its generate() writes to the same fields, for every packet type at
// both protocol levels.
//
// Combinations skipped because mqtt-packet cannot represent them (see notRepresentable in the adapter):
// - generate: a CONNECT with a password but no user name (MQTT 5 allows it; generate() refuses it);
// - generate: a CONNECT with an empty client identifier and Clean Start 0 (MQTT 5 allows it; refused);
// - parse: the shortest AUTH, remaining length 0 (Success, no properties); its parser requires the
//   reason code byte;
// - both: a User Property name repeated after an empty value (its parser drops pairs there).
// - AUTH at level 4 does not exist, and a 3.1.1 DISCONNECT has no fields: nothing to skip there.
// User Properties are compared grouped by name, since mqtt-packet keeps them in an object keyed by name.

import fc from "fast-check";
import * as mqttPacket from "mqtt-packet";
import { describe, expect, it } from "vitest";
import type { Packet, ProtocolVersion } from "../../src/codec/index";
import { arbitrariesByType } from "../support/arbitraries";
import { decodeStream, encodeToBytes } from "../support/codec-harness";
import { fromMqttPacket, notRepresentable, toMqttPacket, type MqttPacketObject } from "../support/mqtt-packet-adapter";
import { normalForm } from "../support/normal-form";

const RUNS = 120;
const VERSIONS: ProtocolVersion[] = [5, 4];
const grouped = { groupUserProperties: true };

/** Parses one packet's bytes with mqtt-packet; returns what it emitted. */
function parseWithMqttPacket(bytes: Uint8Array, version: ProtocolVersion): { packets: MqttPacketObject[]; errors: Error[] } {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const packets: MqttPacketObject[] = [];
  const errors: Error[] = [];
  parser.on("packet", (p) => packets.push(p as unknown as MqttPacketObject));
  parser.on("error", (e: Error) => errors.push(e));
  parser.parse(Buffer.from(bytes));
  return { packets, errors };
}

describe.each(VERSIONS)("differential against mqtt-packet at protocol level %i", (version) => {
  const byType = Object.entries(arbitrariesByType(version));

  it.each(byType)("mqtt-packet parses every %s we encode to the same fields", (_name, arb) => {
    const representable = arb.filter((p: Packet) => notRepresentable(p, version, "parse") === null);
    fc.assert(
      fc.property(representable, (packet) => {
        const bytes = encodeToBytes(packet, version);
        const { packets, errors } = parseWithMqttPacket(bytes, version);
        expect(errors).toEqual([]);
        expect(packets).toHaveLength(1);
        const theirs = fromMqttPacket(packets[0]!, version);
        expect(normalForm(theirs, version, grouped)).toEqual(normalForm(packet, version, grouped));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(byType)("we decode every %s mqtt-packet generates to the same fields", (_name, arb) => {
    const representable = arb.filter((p: Packet) => notRepresentable(p, version, "generate") === null);
    fc.assert(
      fc.property(representable, (packet) => {
        const bytes = new Uint8Array(mqttPacket.generate(toMqttPacket(packet, version), { protocolVersion: version }));
        const outcome = decodeStream(bytes, version, grouped);
        expect(outcome.error).toBeUndefined();
        expect(outcome.packets).toEqual([normalForm(packet, version, grouped)]);
        expect(outcome.consumed).toBe(bytes.length);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("differential against mqtt-packet: fixed cases", () => {
  it("decodes mqtt-packet's MQTT 5 DISCONNECT with an explicit reason code 0 and empty properties", () => {
    // mqtt-packet always writes the reason code and a property length; the shortest form omits both.
    const bytes = new Uint8Array(mqttPacket.generate({ cmd: "disconnect", reasonCode: 0 }, { protocolVersion: 5 }));
    expect(Array.from(bytes)).toEqual([0xe0, 0x02, 0x00, 0x00]);
    const outcome = decodeStream(bytes, 5);
    expect(outcome.error).toBeUndefined();
    expect(outcome.packets).toEqual([{ type: 14, reasonCode: 0 }]);
  });

  it("writes the same bytes as mqtt-packet for a PUBLISH with no properties at both levels", () => {
    for (const version of VERSIONS) {
      const ours: Packet = { type: 3, topic: "a/b", qos: 1, retain: true, dup: false, packetId: 10, payload: "hi" };
      const theirs = new Uint8Array(mqttPacket.generate(toMqttPacket(ours, version), { protocolVersion: version }));
      expect(encodeToBytes(ours, version)).toEqual(theirs);
    }
  });
});
