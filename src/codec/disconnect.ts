// DISCONNECT (3.14). MQTT 3.1.1: no body. MQTT 5: reason code and properties, both omitted for a normal
// disconnection without properties (remaining length 0), the property length omitted when there are none.

import type { DisconnectPacket, ProtocolVersion } from "./packet";
import { readReasonTail, reasonTailLength, writeReasonTail } from "./common";
import type { PropertyStore } from "./property-codec";
import type { Reader } from "./reader";

const TYPE = 14;

export function disconnectLength(p: DisconnectPacket, v: ProtocolVersion): number {
  if (v !== 5) return 0;
  return reasonTailLength(p.reasonCode ?? 0, p.properties, TYPE, "properties", false);
}

export function writeDisconnect(p: DisconnectPacket, v: ProtocolVersion, out: Uint8Array, pos: number, rl: number): number {
  if (v !== 5) return pos;
  return writeReasonTail(out, pos, p.reasonCode ?? 0, p.properties, TYPE, rl);
}

export function decodeDisconnect(r: Reader, v: ProtocolVersion, target: DisconnectPacket, store: PropertyStore): void {
  if (v !== 5) {
    target.reasonCode = 0;
    target.properties = undefined;
    r.done("DISCONNECT");
    return;
  }
  readReasonTail(r, store, TYPE, "DISCONNECT", target);
}
