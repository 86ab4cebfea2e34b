// Small pieces shared by several packet modules: packet identifiers, QoS, and the "reason code +
// properties" tail of acknowledgements, DISCONNECT and AUTH with its shortest encodings.

import type { Properties } from "./properties";
import type { ProtocolVersion } from "./packet";
import { MqttArgumentError, malformed, protocolError } from "./errors";
import { propertiesLength, propertyBlockLength, writeProperties, type PropertyStore } from "./property-codec";
import { isReasonCodeFor } from "./reason-codes";
import type { Reader } from "./reader";
import { topicFilterProblem } from "./topic";
import { checkRange, writeU16 } from "./writer";

export function checkPacketId(id: number, argument = "packetId"): void {
  checkRange(id, 1, 0xffff, argument);
}

export function checkVersion(version: ProtocolVersion): void {
  if (version !== 5 && version !== 4 && version !== 3) throw new MqttArgumentError("version", "must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5");
}

/** Reads a packet identifier that must not be 0. */
export function readPacketId(r: Reader, field: string): number {
  const id = r.u16(field);
  if (id === 0) throw malformed(field, "packet identifier 0");
  return id;
}

export function checkReasonCode(code: number, packetType: number, argument = "reasonCode"): void {
  if (!isReasonCodeFor(code, packetType)) {
    throw new MqttArgumentError(argument, `0x${Number(code).toString(16)} is not a reason code of this packet`);
  }
}

/**
 * Remaining bytes of an MQTT 5 reason code + properties tail. Reason 0 with no properties is omitted
 * entirely; a non-zero reason without properties is a single byte unless `propertyLengthRequired` (AUTH).
 */
export function reasonTailLength(
  code: number,
  props: Properties | undefined,
  packetType: number,
  where: string,
  propertyLengthRequired: boolean,
): number {
  checkReasonCode(code, packetType);
  const n = propertiesLength(props, 1 << packetType, where);
  if (n === 0 && code === 0) return 0;
  if (n === 0 && !propertyLengthRequired) return 1;
  return 1 + propertyBlockLength(n);
}

/** Writes the tail measured by reasonTailLength (`tail` is that length). */
export function writeReasonTail(
  out: Uint8Array,
  pos: number,
  code: number,
  props: Properties | undefined,
  packetType: number,
  tail: number,
): number {
  if (tail === 0) return pos;
  out[pos++] = code;
  if (tail === 1) return pos;
  return writeProperties(out, pos, props, propertiesLength(props, 1 << packetType, "properties"));
}

/** The decoded reason code and properties of a tail; absent parts read as 0 / undefined. */
export interface ReasonTail {
  reasonCode: number;
  properties?: Properties;
}

/** Reads an MQTT 5 reason tail (everything after the packet id, if any) into `target`. */
export function readReasonTail(
  r: Reader,
  store: PropertyStore,
  packetType: number,
  field: string,
  target: ReasonTail,
): void {
  store.reset();
  target.reasonCode = 0;
  target.properties = undefined;
  if (r.remaining() === 0) return;
  const code = r.u8(field);
  if (!isReasonCodeFor(code, packetType)) throw malformed(field, `invalid reason code 0x${code.toString(16)}`);
  target.reasonCode = code;
  if (r.remaining() > 0) target.properties = store.read(r, 1 << packetType, field);
  r.done(field);
}

/** The head of SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK: packet identifier, then MQTT 5 properties. */
export interface IdAndProperties {
  packetId: number;
  properties?: Properties;
}

export function writeIdAndProperties(
  out: Uint8Array,
  pos: number,
  p: IdAndProperties,
  packetType: number,
  v: ProtocolVersion,
): number {
  pos = writeU16(out, pos, p.packetId);
  if (v !== 5) return pos;
  const mask = 1 << packetType;
  return writeProperties(out, pos, p.properties, propertiesLength(p.properties, mask, "properties"));
}

/** Reads the head into `target`; then checks that at least one list entry follows (a Protocol Error). */
export function readIdAndProperties(
  r: Reader,
  v: ProtocolVersion,
  target: IdAndProperties,
  store: PropertyStore,
  packetType: number,
  field: string,
): void {
  target.packetId = readPacketId(r, field);
  target.properties = v === 5 ? store.read(r, 1 << packetType, field) : undefined;
  if (r.remaining() === 0) throw protocolError(field, "has an empty list");
}

/** A topic filter (SUBSCRIBE, UNSUBSCRIBE), checked against the filter rules. */
export function readFilter(r: Reader, field: string): string {
  const filter = r.utf8(field);
  const problem = topicFilterProblem(filter);
  if (problem !== null) throw malformed(field, problem);
  return filter;
}
