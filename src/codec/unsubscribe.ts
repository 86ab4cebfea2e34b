// UNSUBSCRIBE (3.10): packet identifier, MQTT 5 properties, at least one topic filter.

import type { ProtocolVersion, UnsubscribePacket } from "./packet";
import { MqttArgumentError } from "./errors";
import { checkPacketId, readFilter, readIdAndProperties, writeIdAndProperties } from "./common";
import { propertiesLength, propertyBlockLength, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { topicFilterProblem } from "./topic";
import { stringLength, writeString } from "./writer";

const TYPE = 10;
const MASK = 1 << TYPE;

export function unsubscribeLength(p: UnsubscribePacket, v: ProtocolVersion): number {
  checkPacketId(p.packetId);
  const filters = p.filters;
  if (!Array.isArray(filters) || filters.length === 0) throw new MqttArgumentError("filters", "must not be empty");
  let n = 2;
  for (let i = 0; i < filters.length; i++) {
    n += stringLength(filters[i], "filters");
    const problem = topicFilterProblem(filters[i]);
    if (problem !== null) throw new MqttArgumentError("filters", problem);
  }
  if (v === 5) n += propertyBlockLength(propertiesLength(p.properties, MASK, "properties"));
  return n;
}

export function writeUnsubscribe(p: UnsubscribePacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  pos = writeIdAndProperties(out, pos, p, TYPE, v);
  const filters = p.filters;
  for (let i = 0; i < filters.length; i++) pos = writeString(out, pos, filters[i]);
  return pos;
}

/** Server side. target.filters is reused (emptied first). */
export function decodeUnsubscribe(r: Reader, v: ProtocolVersion, target: UnsubscribePacket, store: PropertyStore): void {
  const filters = target.filters;
  filters.length = 0;
  readIdAndProperties(r, v, target, store, TYPE, "UNSUBSCRIBE");
  while (r.remaining() > 0) filters.push(readFilter(r, "UNSUBSCRIBE.filter"));
}
