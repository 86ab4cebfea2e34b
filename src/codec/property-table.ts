// Every MQTT 5 property (section 2.2.2.2): identifier, wire type, the packets it may appear in, whether it
// may repeat, and the range of its value. The encoder and decoder are both driven by this one table.

import type { Properties } from "./properties";

/** How a property's value is encoded on the wire. */
export const WireType = Object.freeze({
  BYTE: 1,
  TWO_BYTE: 2,
  FOUR_BYTE: 3,
  VARINT: 4,
  UTF8: 5,
  BINARY: 6,
  UTF8_PAIR: 7,
} as const);
/** One of the numbers in {@link WireType}. */
export type WireTypeNumber = (typeof WireType)[keyof typeof WireType];

/** Bit for "Will properties" in a packet mask; the other bits are 1 << packet type (1 to 15). */
export const WILL_MASK = 1;
const CONNECT = 1 << 1;
const CONNACK = 1 << 2;
const PUBLISH = 1 << 3;
const ACKS = (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7);
const SUBSCRIBE = 1 << 8;
const SUBACK = 1 << 9;
const UNSUBSCRIBE = 1 << 10;
const UNSUBACK = 1 << 11;
const DISCONNECT = 1 << 14;
const AUTH = 1 << 15;

/** One row of {@link PROPERTIES}: what the codec knows about a property. */
export interface PropertyInfo {
  readonly id: number;
  readonly key: keyof Properties;
  readonly type: WireTypeNumber;
  /** Packets (and WILL_MASK) that may carry it. */
  readonly packets: number;
  /** User Property and Subscription Identifier only. */
  readonly repeatable: boolean;
  /** Inclusive value range for integer types. */
  readonly min: number;
  readonly max: number;
  /** Position in PROPERTIES (below 32, so a bit mask can say which properties a packet carried). */
  readonly index: number;
  // Named accessors: reading and writing `props[key]` with a different key each time is a slow,
  // megamorphic lookup in V8; one small function per property keeps every access monomorphic.
  /** Reads the property's value from a {@link Properties} object. */
  readonly get: (props: Properties) => unknown;
  /** Writes the property's value into a {@link Properties} object. */
  readonly set: (props: Properties, value: unknown) => void;
}

const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;
const VARINT = 268_435_455;

type Accessors = Pick<PropertyInfo, "get" | "set">;

function p(
  id: number,
  key: keyof Properties,
  type: WireTypeNumber,
  packets: number,
  access: Accessors,
  min = 0,
  max = type === WireType.BYTE ? U8 : type === WireType.TWO_BYTE ? U16 : type === WireType.FOUR_BYTE ? U32 : VARINT,
  repeatable = false,
): Omit<PropertyInfo, "index"> {
  return { id, key, type, packets, repeatable, min, max, get: access.get, set: access.set };
}

type P = Properties;
const { BYTE, TWO_BYTE, FOUR_BYTE, UTF8, BINARY, UTF8_PAIR } = WireType;
const ALL_WITH_PROPERTIES = CONNECT | CONNACK | PUBLISH | ACKS | SUBSCRIBE | SUBACK | UNSUBSCRIBE | UNSUBACK |
  DISCONNECT | AUTH | WILL_MASK;

/** In identifier order. */
export const PROPERTIES: readonly PropertyInfo[] = ([
  p(0x01, "payloadFormatIndicator", BYTE, PUBLISH | WILL_MASK, { get: (o: P) => o.payloadFormatIndicator, set: (o: P, v) => { o.payloadFormatIndicator = v as P["payloadFormatIndicator"]; } }, 0, 1),
  p(0x02, "messageExpiryInterval", FOUR_BYTE, PUBLISH | WILL_MASK, { get: (o: P) => o.messageExpiryInterval, set: (o: P, v) => { o.messageExpiryInterval = v as P["messageExpiryInterval"]; } }),
  p(0x03, "contentType", UTF8, PUBLISH | WILL_MASK, { get: (o: P) => o.contentType, set: (o: P, v) => { o.contentType = v as P["contentType"]; } }),
  p(0x08, "responseTopic", UTF8, PUBLISH | WILL_MASK, { get: (o: P) => o.responseTopic, set: (o: P, v) => { o.responseTopic = v as P["responseTopic"]; } }),
  p(0x09, "correlationData", BINARY, PUBLISH | WILL_MASK, { get: (o: P) => o.correlationData, set: (o: P, v) => { o.correlationData = v as P["correlationData"]; } }),
  p(0x0b, "subscriptionIdentifiers", WireType.VARINT, PUBLISH | SUBSCRIBE, { get: (o: P) => o.subscriptionIdentifiers, set: (o: P, v) => { o.subscriptionIdentifiers = v as P["subscriptionIdentifiers"]; } }, 1, VARINT, true),
  p(0x11, "sessionExpiryInterval", FOUR_BYTE, CONNECT | CONNACK | DISCONNECT, { get: (o: P) => o.sessionExpiryInterval, set: (o: P, v) => { o.sessionExpiryInterval = v as P["sessionExpiryInterval"]; } }),
  p(0x12, "assignedClientIdentifier", UTF8, CONNACK, { get: (o: P) => o.assignedClientIdentifier, set: (o: P, v) => { o.assignedClientIdentifier = v as P["assignedClientIdentifier"]; } }),
  p(0x13, "serverKeepAlive", TWO_BYTE, CONNACK, { get: (o: P) => o.serverKeepAlive, set: (o: P, v) => { o.serverKeepAlive = v as P["serverKeepAlive"]; } }),
  p(0x15, "authenticationMethod", UTF8, CONNECT | CONNACK | AUTH, { get: (o: P) => o.authenticationMethod, set: (o: P, v) => { o.authenticationMethod = v as P["authenticationMethod"]; } }),
  p(0x16, "authenticationData", BINARY, CONNECT | CONNACK | AUTH, { get: (o: P) => o.authenticationData, set: (o: P, v) => { o.authenticationData = v as P["authenticationData"]; } }),
  p(0x17, "requestProblemInformation", BYTE, CONNECT, { get: (o: P) => o.requestProblemInformation, set: (o: P, v) => { o.requestProblemInformation = v as P["requestProblemInformation"]; } }, 0, 1),
  p(0x18, "willDelayInterval", FOUR_BYTE, WILL_MASK, { get: (o: P) => o.willDelayInterval, set: (o: P, v) => { o.willDelayInterval = v as P["willDelayInterval"]; } }),
  p(0x19, "requestResponseInformation", BYTE, CONNECT, { get: (o: P) => o.requestResponseInformation, set: (o: P, v) => { o.requestResponseInformation = v as P["requestResponseInformation"]; } }, 0, 1),
  p(0x1a, "responseInformation", UTF8, CONNACK, { get: (o: P) => o.responseInformation, set: (o: P, v) => { o.responseInformation = v as P["responseInformation"]; } }),
  p(0x1c, "serverReference", UTF8, CONNACK | DISCONNECT, { get: (o: P) => o.serverReference, set: (o: P, v) => { o.serverReference = v as P["serverReference"]; } }),
  p(0x1f, "reasonString", UTF8, CONNACK | ACKS | SUBACK | UNSUBACK | DISCONNECT | AUTH, { get: (o: P) => o.reasonString, set: (o: P, v) => { o.reasonString = v as P["reasonString"]; } }),
  p(0x21, "receiveMaximum", TWO_BYTE, CONNECT | CONNACK, { get: (o: P) => o.receiveMaximum, set: (o: P, v) => { o.receiveMaximum = v as P["receiveMaximum"]; } }, 1),
  p(0x22, "topicAliasMaximum", TWO_BYTE, CONNECT | CONNACK, { get: (o: P) => o.topicAliasMaximum, set: (o: P, v) => { o.topicAliasMaximum = v as P["topicAliasMaximum"]; } }),
  p(0x23, "topicAlias", TWO_BYTE, PUBLISH, { get: (o: P) => o.topicAlias, set: (o: P, v) => { o.topicAlias = v as P["topicAlias"]; } }, 1),
  p(0x24, "maximumQoS", BYTE, CONNACK, { get: (o: P) => o.maximumQoS, set: (o: P, v) => { o.maximumQoS = v as P["maximumQoS"]; } }, 0, 1),
  p(0x25, "retainAvailable", BYTE, CONNACK, { get: (o: P) => o.retainAvailable, set: (o: P, v) => { o.retainAvailable = v as P["retainAvailable"]; } }, 0, 1),
  p(0x26, "userProperties", UTF8_PAIR, ALL_WITH_PROPERTIES, { get: (o: P) => o.userProperties, set: (o: P, v) => { o.userProperties = v as P["userProperties"]; } }, 0, 0, true),
  p(0x27, "maximumPacketSize", FOUR_BYTE, CONNECT | CONNACK, { get: (o: P) => o.maximumPacketSize, set: (o: P, v) => { o.maximumPacketSize = v as P["maximumPacketSize"]; } }, 1),
  p(0x28, "wildcardSubscriptionAvailable", BYTE, CONNACK, { get: (o: P) => o.wildcardSubscriptionAvailable, set: (o: P, v) => { o.wildcardSubscriptionAvailable = v as P["wildcardSubscriptionAvailable"]; } }, 0, 1),
  p(0x29, "subscriptionIdentifierAvailable", BYTE, CONNACK, { get: (o: P) => o.subscriptionIdentifierAvailable, set: (o: P, v) => { o.subscriptionIdentifierAvailable = v as P["subscriptionIdentifierAvailable"]; } }, 0, 1),
  p(0x2a, "sharedSubscriptionAvailable", BYTE, CONNACK, { get: (o: P) => o.sharedSubscriptionAvailable, set: (o: P, v) => { o.sharedSubscriptionAvailable = v as P["sharedSubscriptionAvailable"]; } }, 0, 1),
] as Omit<PropertyInfo, "index">[]).map((info, index) => Object.freeze({ ...info, index }));
// Frozen, as Moddable's preload would have them: xsl then stops warning that preloaded code reads unfrozen
// objects, and an accidental write throws on the host too instead of only on a device.
Object.freeze(PROPERTIES);

/** PROPERTIES indexed by identifier (holes for unassigned identifiers). */
export const PROPERTY_BY_ID: readonly (PropertyInfo | undefined)[] = (() => {
  const byId: (PropertyInfo | undefined)[] = [];
  for (let id = 0; id <= 0x2a; id++) byId.push(PROPERTIES.find((e) => e.id === id));
  return Object.freeze(byId);
})();

/** Mask bit for a packet type. */
export function packetMask(type: number): number {
  return 1 << type;
}

/**
 * Bit i set when PROPERTIES[i] is present in `p`. Named loads, one per property, in table order: the
 * fastest way on V8 (no megamorphic keyed loads or calls) and allocation-free on XS (no for-in iterator).
 * host-tests/codec/properties.test.ts checks that every bit matches the table.
 */
export function presentProperties(p: Properties): number {
  let bits = 0;
  if (p.payloadFormatIndicator !== undefined) bits |= 1 << 0;
  if (p.messageExpiryInterval !== undefined) bits |= 1 << 1;
  if (p.contentType !== undefined) bits |= 1 << 2;
  if (p.responseTopic !== undefined) bits |= 1 << 3;
  if (p.correlationData !== undefined) bits |= 1 << 4;
  if (p.subscriptionIdentifiers !== undefined) bits |= 1 << 5;
  if (p.sessionExpiryInterval !== undefined) bits |= 1 << 6;
  if (p.assignedClientIdentifier !== undefined) bits |= 1 << 7;
  if (p.serverKeepAlive !== undefined) bits |= 1 << 8;
  if (p.authenticationMethod !== undefined) bits |= 1 << 9;
  if (p.authenticationData !== undefined) bits |= 1 << 10;
  if (p.requestProblemInformation !== undefined) bits |= 1 << 11;
  if (p.willDelayInterval !== undefined) bits |= 1 << 12;
  if (p.requestResponseInformation !== undefined) bits |= 1 << 13;
  if (p.responseInformation !== undefined) bits |= 1 << 14;
  if (p.serverReference !== undefined) bits |= 1 << 15;
  if (p.reasonString !== undefined) bits |= 1 << 16;
  if (p.receiveMaximum !== undefined) bits |= 1 << 17;
  if (p.topicAliasMaximum !== undefined) bits |= 1 << 18;
  if (p.topicAlias !== undefined) bits |= 1 << 19;
  if (p.maximumQoS !== undefined) bits |= 1 << 20;
  if (p.retainAvailable !== undefined) bits |= 1 << 21;
  if (p.userProperties !== undefined) bits |= 1 << 22;
  if (p.maximumPacketSize !== undefined) bits |= 1 << 23;
  if (p.wildcardSubscriptionAvailable !== undefined) bits |= 1 << 24;
  if (p.subscriptionIdentifierAvailable !== undefined) bits |= 1 << 25;
  if (p.sharedSubscriptionAvailable !== undefined) bits |= 1 << 26;
  return bits;
}
