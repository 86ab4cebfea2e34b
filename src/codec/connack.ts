// CONNACK (3.2): acknowledge flags (Session Present), reason code (3.1.1: return code), MQTT 5 properties.

import type { ConnackPacket, ProtocolVersion } from "./packet";
import { MqttArgumentError, malformed, protocolError } from "./errors";
import { checkReasonCode } from "./common";
import { propertiesLength, propertyBlockLength, writeProperties, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { isReasonCodeFor } from "./reason-codes";
import { checkRange } from "./writer";

const TYPE = 2;
const MASK = 1 << TYPE;

export function connackLength(p: ConnackPacket, v: ProtocolVersion): number {
  if (v !== 5) {
    checkRange(p.reasonCode, 0, 5, "reasonCode");
    return 2;
  }
  checkReasonCode(p.reasonCode, TYPE);
  if (p.sessionPresent && p.reasonCode !== 0) {
    throw new MqttArgumentError("sessionPresent", "must be false with a non-zero reason code");
  }
  return 2 + propertyBlockLength(propertiesLength(p.properties, MASK, "properties"));
}

export function writeConnack(p: ConnackPacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  out[pos++] = p.sessionPresent && v !== 3 ? 1 : 0;
  out[pos++] = p.reasonCode;
  if (v !== 5) return pos;
  return writeProperties(out, pos, p.properties, propertiesLength(p.properties, MASK, "properties"));
}

export function decodeConnack(r: Reader, v: ProtocolVersion, target: ConnackPacket, store: PropertyStore): void {
  const first = r.u8("CONNACK.flags");
  // MQTT 3.1 leaves this byte unused (there is no Session Present): it is ignored there.
  const flags = v === 3 ? 0 : first;
  if ((flags & 0xfe) !== 0) throw malformed("CONNACK.flags", "reserved bits are set");
  const code = r.u8("CONNACK.reasonCode");
  target.sessionPresent = flags === 1;
  target.reasonCode = code;
  if (v !== 5) {
    if (code > 5) throw malformed("CONNACK.reasonCode", `invalid return code ${code}`);
    target.properties = undefined;
  } else {
    if (!isReasonCodeFor(code, TYPE)) throw malformed("CONNACK.reasonCode", `invalid reason code 0x${code.toString(16)}`);
    if (flags === 1 && code !== 0) throw protocolError("CONNACK.flags", "session present with a failure reason code");
    target.properties = store.read(r, MASK, "CONNACK.properties");
  }
  r.done("CONNACK");
}
