// Every MQTT 5 property (section 2.2.2.2): identifier, wire type, the packets it may appear in, whether it
// may repeat, and the range of its value. The encoder and decoder are both driven by this one table.

import type { Properties } from "./properties";

export const WireType = {
  BYTE: 1,
  TWO_BYTE: 2,
  FOUR_BYTE: 3,
  VARINT: 4,
  UTF8: 5,
  BINARY: 6,
  UTF8_PAIR: 7,
} as const;
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
}

const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;
const VARINT = 268_435_455;

function p(
  id: number,
  key: keyof Properties,
  type: WireTypeNumber,
  packets: number,
  min = 0,
  max = type === WireType.BYTE ? U8 : type === WireType.TWO_BYTE ? U16 : type === WireType.FOUR_BYTE ? U32 : VARINT,
  repeatable = false,
): PropertyInfo {
  return { id, key, type, packets, repeatable, min, max };
}

const { BYTE, TWO_BYTE, FOUR_BYTE, UTF8, BINARY, UTF8_PAIR } = WireType;
const ALL_WITH_PROPERTIES = CONNECT | CONNACK | PUBLISH | ACKS | SUBSCRIBE | SUBACK | UNSUBSCRIBE | UNSUBACK |
  DISCONNECT | AUTH | WILL_MASK;

/** In identifier order. */
export const PROPERTIES: readonly PropertyInfo[] = [
  p(0x01, "payloadFormatIndicator", BYTE, PUBLISH | WILL_MASK, 0, 1),
  p(0x02, "messageExpiryInterval", FOUR_BYTE, PUBLISH | WILL_MASK),
  p(0x03, "contentType", UTF8, PUBLISH | WILL_MASK),
  p(0x08, "responseTopic", UTF8, PUBLISH | WILL_MASK),
  p(0x09, "correlationData", BINARY, PUBLISH | WILL_MASK),
  p(0x0b, "subscriptionIdentifiers", WireType.VARINT, PUBLISH | SUBSCRIBE, 1, VARINT, true),
  p(0x11, "sessionExpiryInterval", FOUR_BYTE, CONNECT | CONNACK | DISCONNECT),
  p(0x12, "assignedClientIdentifier", UTF8, CONNACK),
  p(0x13, "serverKeepAlive", TWO_BYTE, CONNACK),
  p(0x15, "authenticationMethod", UTF8, CONNECT | CONNACK | AUTH),
  p(0x16, "authenticationData", BINARY, CONNECT | CONNACK | AUTH),
  p(0x17, "requestProblemInformation", BYTE, CONNECT, 0, 1),
  p(0x18, "willDelayInterval", FOUR_BYTE, WILL_MASK),
  p(0x19, "requestResponseInformation", BYTE, CONNECT, 0, 1),
  p(0x1a, "responseInformation", UTF8, CONNACK),
  p(0x1c, "serverReference", UTF8, CONNACK | DISCONNECT),
  p(0x1f, "reasonString", UTF8, CONNACK | ACKS | SUBACK | UNSUBACK | DISCONNECT | AUTH),
  p(0x21, "receiveMaximum", TWO_BYTE, CONNECT | CONNACK, 1),
  p(0x22, "topicAliasMaximum", TWO_BYTE, CONNECT | CONNACK),
  p(0x23, "topicAlias", TWO_BYTE, PUBLISH, 1),
  p(0x24, "maximumQoS", BYTE, CONNACK, 0, 1),
  p(0x25, "retainAvailable", BYTE, CONNACK, 0, 1),
  p(0x26, "userProperties", UTF8_PAIR, ALL_WITH_PROPERTIES, 0, 0, true),
  p(0x27, "maximumPacketSize", FOUR_BYTE, CONNECT | CONNACK, 1),
  p(0x28, "wildcardSubscriptionAvailable", BYTE, CONNACK, 0, 1),
  p(0x29, "subscriptionIdentifierAvailable", BYTE, CONNACK, 0, 1),
  p(0x2a, "sharedSubscriptionAvailable", BYTE, CONNACK, 0, 1),
];

/** PROPERTIES indexed by identifier (holes for unassigned identifiers). */
export const PROPERTY_BY_ID: readonly (PropertyInfo | undefined)[] = (() => {
  const byId: (PropertyInfo | undefined)[] = [];
  for (let id = 0; id <= 0x2a; id++) byId.push(PROPERTIES.find((e) => e.id === id));
  return byId;
})();

/** Mask bit for a packet type. */
export function packetMask(type: number): number {
  return 1 << type;
}
