// SUBACK (3.9): packet identifier, MQTT 5 properties, one granted QoS or failure code per filter.

import type { ProtocolVersion, SubackPacket } from "./packet";
import { codeListLength, readCodeList, writeCodeList } from "./code-list";
import type { PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { V4_SUBACK_CODES, isReasonCodeFor } from "./reason-codes";

const TYPE = 9;

function validFor(v: ProtocolVersion): (code: number) => boolean {
  return v === 5 ? isV5Code : isV4Code;
}
function isV4Code(code: number): boolean {
  return V4_SUBACK_CODES.indexOf(code) >= 0;
}
function isV5Code(code: number): boolean {
  return isReasonCodeFor(code, TYPE);
}

export function subackLength(p: SubackPacket, v: ProtocolVersion): number {
  return codeListLength(p, v, validFor(v));
}

export function writeSuback(p: SubackPacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  return writeCodeList(p, v, out, pos);
}

export function decodeSuback(r: Reader, v: ProtocolVersion, target: SubackPacket, store: PropertyStore): void {
  readCodeList(r, v, target, store, "SUBACK", validFor(v));
}
