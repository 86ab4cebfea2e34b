// CONNECT (3.1): protocol name "MQTT", protocol level, connect flags, keep alive, MQTT 5 properties; then
// the payload: client identifier, will (MQTT 5 will properties, topic, payload), user name, password.
// MQTT 3.1 (level 3) names the protocol "MQIsdp" and needs a client identifier of 1 to 23 bytes.

import type { ConnectPacket, ProtocolVersion, Will } from "./packet";
import { MqttArgumentError, MqttError, malformed } from "./errors";
import { WILL_MASK } from "./property-table";
import { propertiesLength, propertyBlockLength, writeProperties, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { UNSUPPORTED_PROTOCOL_VERSION } from "./reason-codes";
import { topicNameProblem } from "./topic";
import { binaryLength, checkRange, stringLength, writeBinary, writeString, writeU16 } from "./writer";

const MASK = 1 << 1;
const USERNAME = 0x80;
const PASSWORD = 0x40;
const WILL_RETAIN = 0x20;
const WILL_FLAG = 0x04;
const CLEAN_START = 0x02;
const RESERVED = 0x01;
// 00 04 'M' 'Q' 'T' 'T'
const PROTOCOL_NAME = Object.freeze([0, 4, 0x4d, 0x51, 0x54, 0x54]);
// 00 06 'M' 'Q' 'I' 's' 'd' 'p' (MQTT 3.1)
const PROTOCOL_NAME_V31 = Object.freeze([0, 6, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70]);
/** MQTT 3.1's longest client identifier (bytes; the specification says characters, brokers count bytes). */
const V31_CLIENT_ID_MAX = 23;

function protocolName(v: ProtocolVersion): readonly number[] {
  return v === 3 ? PROTOCOL_NAME_V31 : PROTOCOL_NAME;
}

export function connectLength(p: ConnectPacket, v: ProtocolVersion): number {
  checkRange(p.keepAlive, 0, 0xffff, "keepAlive");
  const id = stringLength(p.clientId, "clientId");
  if (v === 3 && (id === 2 || id > 2 + V31_CLIENT_ID_MAX)) {
    throw new MqttArgumentError("clientId", `MQTT 3.1 needs 1 to ${V31_CLIENT_ID_MAX} bytes`);
  }
  let n = protocolName(v).length + 4 + id;
  if (v === 5) n += propertyBlockLength(propertiesLength(p.properties, MASK, "properties"));
  if (p.will !== undefined) n += willLength(p.will, v);
  if (p.username !== undefined) n += stringLength(p.username, "username");
  if (p.password !== undefined) {
    if (v !== 5 && p.username === undefined) {
      throw new MqttArgumentError("password", "MQTT 3.1.1 and 3.1 allow a password only with a username");
    }
    n += binaryLength(p.password, "password");
  }
  return n;
}

function willLength(will: Will, v: ProtocolVersion): number {
  checkRange(will.qos, 0, 2, "will.qos");
  if (typeof will.topic !== "string" || will.topic.length === 0) throw new MqttArgumentError("will.topic", "must not be empty");
  const problem = topicNameProblem(will.topic);
  if (problem !== null) throw new MqttArgumentError("will.topic", problem);
  let n = stringLength(will.topic, "will.topic") + binaryLength(will.payload, "will.payload");
  if (v === 5) n += propertyBlockLength(propertiesLength(will.properties, WILL_MASK, "will.properties"));
  return n;
}

function connectFlags(p: ConnectPacket): number {
  let flags = p.cleanStart ? CLEAN_START : 0;
  const will = p.will;
  if (will !== undefined) flags |= WILL_FLAG | (will.qos << 3) | (will.retain ? WILL_RETAIN : 0);
  if (p.username !== undefined) flags |= USERNAME;
  if (p.password !== undefined) flags |= PASSWORD;
  return flags;
}

export function writeConnect(p: ConnectPacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  const name = protocolName(v);
  for (let i = 0; i < name.length; i++) out[pos++] = name[i];
  out[pos++] = v;
  out[pos++] = connectFlags(p);
  pos = writeU16(out, pos, p.keepAlive);
  if (v === 5) pos = writeProperties(out, pos, p.properties, propertiesLength(p.properties, MASK, "properties"));
  pos = writeString(out, pos, p.clientId);
  const will = p.will;
  if (will !== undefined) {
    if (v === 5) {
      pos = writeProperties(out, pos, will.properties, propertiesLength(will.properties, WILL_MASK, "will.properties"));
    }
    pos = writeBinary(out, writeString(out, pos, will.topic), will.payload);
  }
  if (p.username !== undefined) pos = writeString(out, pos, p.username);
  if (p.password !== undefined) pos = writeBinary(out, pos, p.password);
  return pos;
}

/** Reads the protocol name and level; returns the level: 4 or 5 after "MQTT", 3 after "MQIsdp". */
function readProtocol(r: Reader): ProtocolVersion {
  const v31 = r.buf[r.pos + 1] === PROTOCOL_NAME_V31[1];
  const name = v31 ? PROTOCOL_NAME_V31 : PROTOCOL_NAME;
  for (let i = 0; i < name.length; i++) {
    if (r.u8("CONNECT.protocolName") !== name[i]) throw malformed("CONNECT.protocolName", "is not MQTT");
  }
  const level = r.u8("CONNECT.protocolVersion");
  if (v31 ? level !== 3 : level !== 4 && level !== 5) {
    throw new MqttError(UNSUPPORTED_PROTOCOL_VERSION, "CONNECT.protocolVersion", `unsupported level ${level}`);
  }
  return level as ProtocolVersion;
}

function checkFlags(flags: number, v: ProtocolVersion): void {
  const field = "CONNECT.flags";
  if ((flags & RESERVED) !== 0) throw malformed(field, "reserved bit is set");
  const willQos = (flags >> 3) & 3;
  if (willQos === 3) throw malformed(field, "will QoS 3");
  if ((flags & WILL_FLAG) === 0 && (willQos !== 0 || (flags & WILL_RETAIN) !== 0)) {
    throw malformed(field, "will QoS or retain set without a will");
  }
  if (v !== 5 && (flags & PASSWORD) !== 0 && (flags & USERNAME) === 0) {
    throw malformed(field, "password without user name");
  }
}

/** Decodes CONNECT into `target`; the will goes into `will` (with `willStore` for its properties). */
export function decodeConnect(
  r: Reader,
  target: ConnectPacket,
  will: Will,
  store: PropertyStore,
  willStore: PropertyStore,
): ProtocolVersion {
  const v = readProtocol(r);
  const flags = r.u8("CONNECT.flags");
  checkFlags(flags, v);
  target.protocolVersion = v;
  target.cleanStart = (flags & CLEAN_START) !== 0;
  target.keepAlive = r.u16("CONNECT.keepAlive");
  target.properties = v === 5 ? store.read(r, MASK, "CONNECT.properties") : undefined;
  target.clientId = r.utf8("CONNECT.clientId");
  target.will = (flags & WILL_FLAG) !== 0 ? readWill(r, flags, v, will, willStore) : undefined;
  target.username = (flags & USERNAME) !== 0 ? r.utf8("CONNECT.username") : undefined;
  target.password = (flags & PASSWORD) !== 0 ? r.binary("CONNECT.password") : undefined;
  r.done("CONNECT");
  return v;
}

function readWill(r: Reader, flags: number, v: ProtocolVersion, will: Will, willStore: PropertyStore): Will {
  will.properties = v === 5 ? willStore.read(r, WILL_MASK, "CONNECT.will.properties") : undefined;
  will.topic = r.utf8("CONNECT.will.topic");
  const problem = will.topic.length === 0 ? "empty topic name" : topicNameProblem(will.topic);
  if (problem !== null) throw malformed("CONNECT.will.topic", problem);
  will.payload = r.binary("CONNECT.will.payload");
  will.qos = ((flags >> 3) & 3) as Will["qos"];
  will.retain = (flags & WILL_RETAIN) !== 0;
  return will;
}
