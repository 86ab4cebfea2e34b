// UNSUBACK (3.11). MQTT 3.1.1: the packet identifier only. MQTT 5: packet identifier, properties, one
// reason code per filter.

import type { ProtocolVersion, UnsubackPacket } from "./packet";
import { codeListLength, readCodeList, writeCodeList } from "./code-list";
import { checkPacketId, readPacketId } from "./common";
import type { PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { isReasonCodeFor } from "./reason-codes";
import { writeU16 } from "./writer";

const TYPE = 11;

function isV5Code(code: number): boolean {
  return isReasonCodeFor(code, TYPE);
}

export function unsubackLength(p: UnsubackPacket, v: ProtocolVersion): number {
  if (v === 5) return codeListLength(p, v, isV5Code);
  checkPacketId(p.packetId);
  return 2;
}

export function writeUnsuback(p: UnsubackPacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  return v === 5 ? writeCodeList(p, v, out, pos) : writeU16(out, pos, p.packetId);
}

export function decodeUnsuback(r: Reader, v: ProtocolVersion, target: UnsubackPacket, store: PropertyStore): void {
  if (v === 5) {
    readCodeList(r, v, target, store, "UNSUBACK", isV5Code);
    return;
  }
  target.packetId = readPacketId(r, "UNSUBACK");
  target.properties = undefined;
  target.reasonCodes.length = 0;
  r.done("UNSUBACK");
}
