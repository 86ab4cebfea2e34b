// Steady-state cost of the codec's hot paths on XS: no allocation at all, computrons within budget.
// The PUBLISH shape is a device's telemetry: a 28-byte topic and a 16-byte payload, MQTT 5, no properties.
import { encodePacket, PacketDecoder, type PublishPacket, type AckPacket, type Packet, type ProtocolVersion } from "../../src/codec/index";
import { measure } from "../../tools/xs/measure";
import { check, recordAllocationFree, type XsCase } from "./support/xs-case";

export const TELEMETRY_TOPIC = "sensors/device-1/temperature";
export const TELEMETRY_PAYLOAD_LENGTH = 16;

function telemetry(qos: 0 | 1): PublishPacket {
  const payload = new Uint8Array(TELEMETRY_PAYLOAD_LENGTH);
  for (let i = 0; i < payload.length; i++) payload[i] = 0x30 + i;
  return { type: 3, topic: TELEMETRY_TOPIC, qos, retain: false, dup: false, packetId: qos ? 1 : 0, payload };
}

function encodeOnce(packet: Packet, version: ProtocolVersion): Uint8Array {
  const out = new Uint8Array(256);
  const n = encodePacket(packet, version, out, 0);
  check(n > 0, "encoded");
  return out.subarray(0, n);
}


function encodeCase(what: string, key: string, packet: () => PublishPacket | AckPacket): XsCase {
  return {
    name: `encodes ${what} with no allocation after warm-up`,
    run(context) {
      const p = packet();
      const out = new Uint8Array(256);
      recordAllocationFree(context, key, measure((i) => {
        if (p.type !== 3 || p.qos) p.packetId = (i & 0x7fff) + 1;
        encodePacket(p, 5, out, 0);
      }));
    },
  };
}

function decodeCase(what: string, key: string, packet: () => PublishPacket | AckPacket): XsCase {
  return {
    name: `decodes ${what} with no allocation after warm-up`,
    run(context) {
      const bytes = encodeOnce(packet(), 5);
      const decoder = new PacketDecoder({ buffer: new Uint8Array(256), version: 5 });
      recordAllocationFree(context, key, measure(() => {
        decoder.feed(bytes, 0, bytes.length);
        if (!decoder.packet) throw new Error("no packet decoded");
      }));
    },
  };
}

const puback = (): AckPacket => ({ type: 4, packetId: 1, reasonCode: 0 });

export const codecBudgetCases: XsCase[] = [
  encodeCase("an outbound QoS 0 telemetry PUBLISH", "codec.encode.publish-qos0", () => telemetry(0)),
  encodeCase("an outbound QoS 1 telemetry PUBLISH", "codec.encode.publish-qos1", () => telemetry(1)),
  encodeCase("a PUBACK", "codec.encode.puback", puback),
  decodeCase("an inbound QoS 0 PUBLISH of the telemetry shape", "codec.decode.publish-qos0", () => telemetry(0)),
  decodeCase("an inbound QoS 1 PUBLISH of the telemetry shape", "codec.decode.publish-qos1", () => telemetry(1)),
  decodeCase("a PUBACK", "codec.decode.puback", puback),
];
