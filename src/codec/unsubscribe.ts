// UNSUBSCRIBE (3.10): packet identifier, MQTT 5 properties, at least one topic filter.

import type { ProtocolVersion, UnsubscribePacket } from "./packet";
import { MqttArgumentError, malformed, protocolError } from "./errors";
import { checkPacketId, readPacketId } from "./common";
import { propertiesLength, propertyBlockLength, writeProperties, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { topicFilterProblem } from "./topic";
import { stringLength, writeString, writeU16 } from "./writer";

const MASK = 1 << 10;

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
  pos = writeU16(out, pos, p.packetId);
  if (v === 5) pos = writeProperties(out, pos, p.properties, propertiesLength(p.properties, MASK, "properties"));
  const filters = p.filters;
  for (let i = 0; i < filters.length; i++) pos = writeString(out, pos, filters[i]);
  return pos;
}

/** Server side. target.filters is reused (emptied first). */
export function decodeUnsubscribe(r: Reader, v: ProtocolVersion, target: UnsubscribePacket, store: PropertyStore): void {
  target.packetId = readPacketId(r, "UNSUBSCRIBE.packetId");
  target.properties = v === 5 ? store.read(r, MASK, "UNSUBSCRIBE.properties") : undefined;
  const filters = target.filters;
  filters.length = 0;
  if (r.remaining() === 0) throw protocolError("UNSUBSCRIBE", "has no topic filters");
  while (r.remaining() > 0) {
    const filter = r.utf8("UNSUBSCRIBE.filter");
    const problem = topicFilterProblem(filter);
    if (problem !== null) throw malformed("UNSUBSCRIBE.filter", problem);
    filters.push(filter);
  }
}
