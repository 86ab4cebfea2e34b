// AUTH (3.15, MQTT 5 only): reason code and properties, both omitted for Success without properties.

import type { AuthPacket, ProtocolVersion } from "./packet";
import { MqttArgumentError, malformed } from "./errors";
import { readReasonTail, reasonTailLength, writeReasonTail } from "./common";
import type { PropertyStore } from "./property-codec";
import type { Reader } from "./reader";

const TYPE = 15;

export function authLength(p: AuthPacket, v: ProtocolVersion): number {
  if (v !== 5) throw new MqttArgumentError("type", "AUTH does not exist in MQTT 3.1.1");
  return reasonTailLength(p.reasonCode ?? 0, p.properties, TYPE, "properties", true);
}

export function writeAuth(p: AuthPacket, out: Uint8Array, pos: number, rl: number): number {
  return writeReasonTail(out, pos, p.reasonCode ?? 0, p.properties, TYPE, rl);
}

export function decodeAuth(r: Reader, v: ProtocolVersion, target: AuthPacket, store: PropertyStore): void {
  if (v !== 5) throw malformed("AUTH", "packet type 15 is reserved in MQTT 3.1.1");
  readReasonTail(r, store, TYPE, "AUTH", target);
}
