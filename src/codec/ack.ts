// PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7): a packet identifier, then in MQTT 5 an optional reason code
// and properties. Reason 0 without properties is sent as the 2-byte 3.1.1 form.

import type { AckPacket, ProtocolVersion } from "./packet";
import { checkPacketId, readPacketId, readReasonTail, reasonTailLength, writeReasonTail } from "./common";
import type { PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { malformed } from "./errors";
import { writeU16 } from "./writer";

const FIELDS = Object.freeze(["", "", "", "", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP"]);

export function ackLength(p: AckPacket, v: ProtocolVersion): number {
  checkPacketId(p.packetId);
  if (v !== 5) return 2;
  return 2 + reasonTailLength(p.reasonCode ?? 0, p.properties, p.type, "properties", false);
}

export function writeAck(p: AckPacket, v: ProtocolVersion, out: Uint8Array, pos: number, rl: number): number {
  pos = writeU16(out, pos, p.packetId);
  if (v !== 5) return pos;
  return writeReasonTail(out, pos, p.reasonCode ?? 0, p.properties, p.type, rl - 2);
}

export function decodeAck(r: Reader, v: ProtocolVersion, target: AckPacket, store: PropertyStore): void {
  const field = FIELDS[target.type];
  target.packetId = readPacketId(r, field);
  if (v !== 5) {
    target.reasonCode = 0;
    target.properties = undefined;
    if (r.remaining() !== 0) throw malformed(field, "MQTT 3.1.1 acknowledgement longer than 2 bytes");
    return;
  }
  readReasonTail(r, store, target.type, field, target);
}
