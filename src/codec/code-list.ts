// The layout SUBACK and UNSUBACK (MQTT 5) share: packet identifier, properties, one reason code per
// filter of the request.

import type { Properties } from "./properties";
import type { ProtocolVersion } from "./packet";
import { MqttArgumentError, malformed } from "./errors";
import { checkPacketId, readIdAndProperties, writeIdAndProperties } from "./common";
import { propertiesLength, propertyBlockLength, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";

export interface CodeListPacket {
  type: number;
  packetId: number;
  reasonCodes: number[];
  properties?: Properties;
}

/** `valid` says which reason codes the version allows. */
export function codeListLength(p: CodeListPacket, v: ProtocolVersion, valid: (code: number) => boolean): number {
  checkPacketId(p.packetId);
  const codes = p.reasonCodes;
  if (!Array.isArray(codes) || codes.length === 0) throw new MqttArgumentError("reasonCodes", "must not be empty");
  for (let i = 0; i < codes.length; i++) {
    if (!valid(codes[i])) throw new MqttArgumentError("reasonCodes", `0x${Number(codes[i]).toString(16)} is not allowed here`);
  }
  let n = 2 + codes.length;
  if (v === 5) n += propertyBlockLength(propertiesLength(p.properties, 1 << p.type, "properties"));
  return n;
}

export function writeCodeList(p: CodeListPacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  pos = writeIdAndProperties(out, pos, p, p.type, v);
  const codes = p.reasonCodes;
  for (let i = 0; i < codes.length; i++) out[pos++] = codes[i];
  return pos;
}

/** Reads into target; target.reasonCodes is reused (emptied first). */
export function readCodeList(
  r: Reader,
  v: ProtocolVersion,
  target: CodeListPacket,
  store: PropertyStore,
  field: string,
  valid: (code: number) => boolean,
): void {
  const codes = target.reasonCodes;
  codes.length = 0;
  readIdAndProperties(r, v, target, store, target.type, field);
  while (r.remaining() > 0) {
    const code = r.u8(field);
    if (!valid(code)) throw malformed(field, `invalid reason code 0x${code.toString(16)}`);
    codes.push(code);
  }
}

