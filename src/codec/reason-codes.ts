// Reason codes (MQTT 5 section 2.4) with their names per packet type, and the MQTT 3.1.1 CONNACK return
// codes. The per-packet lists say which codes a packet may carry; the codec checks them both ways.

// Malformed Packet, Protocol Error and Packet too large live in errors.ts, next to the errors that use them.
export { MALFORMED_PACKET, PROTOCOL_ERROR, PACKET_TOO_LARGE } from "./errors";
import type { ProtocolVersion } from "./packet";

/** 0x00 Success (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH). */
export const SUCCESS = 0x00;
/** 0x00 Normal disconnection (DISCONNECT). */
export const NORMAL_DISCONNECTION = 0x00;
/** 0x00 Granted QoS 0 (SUBACK). */
export const GRANTED_QOS_0 = 0x00;
/** 0x01 Granted QoS 1 (SUBACK). */
export const GRANTED_QOS_1 = 0x01;
/** 0x02 Granted QoS 2 (SUBACK). */
export const GRANTED_QOS_2 = 0x02;
/** 0x04 Disconnect with Will Message (DISCONNECT). */
export const DISCONNECT_WITH_WILL_MESSAGE = 0x04;
/** 0x10 No matching subscribers (PUBACK, PUBREC). */
export const NO_MATCHING_SUBSCRIBERS = 0x10;
/** 0x11 No subscription existed (UNSUBACK). */
export const NO_SUBSCRIPTION_EXISTED = 0x11;
/** 0x18 Continue authentication (AUTH). */
export const CONTINUE_AUTHENTICATION = 0x18;
/** 0x19 Re-authenticate (AUTH). */
export const RE_AUTHENTICATE = 0x19;
/** 0x80 Unspecified error (CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT). */
export const UNSPECIFIED_ERROR = 0x80;
/** 0x83 Implementation specific error (CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT). */
export const IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
/** 0x84 Unsupported Protocol Version (CONNACK). */
export const UNSUPPORTED_PROTOCOL_VERSION = 0x84;
/** 0x85 Client Identifier not valid (CONNACK). */
export const CLIENT_IDENTIFIER_NOT_VALID = 0x85;
/** 0x86 Bad User Name or Password (CONNACK). */
export const BAD_USER_NAME_OR_PASSWORD = 0x86;
/** 0x87 Not authorized (CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT). */
export const NOT_AUTHORIZED = 0x87;
/** 0x88 Server unavailable (CONNACK). */
export const SERVER_UNAVAILABLE = 0x88;
/** 0x89 Server busy (CONNACK, DISCONNECT). */
export const SERVER_BUSY = 0x89;
/** 0x8A Banned (CONNACK). */
export const BANNED = 0x8a;
/** 0x8B Server shutting down (DISCONNECT). */
export const SERVER_SHUTTING_DOWN = 0x8b;
/** 0x8C Bad authentication method (CONNACK). */
export const BAD_AUTHENTICATION_METHOD = 0x8c;
/** 0x8D Keep Alive timeout (DISCONNECT). */
export const KEEP_ALIVE_TIMEOUT = 0x8d;
/** 0x8E Session taken over (DISCONNECT). */
export const SESSION_TAKEN_OVER = 0x8e;
/** 0x8F Topic Filter invalid (SUBACK, UNSUBACK, DISCONNECT). */
export const TOPIC_FILTER_INVALID = 0x8f;
/** 0x90 Topic Name invalid (CONNACK, PUBACK, PUBREC, DISCONNECT). */
export const TOPIC_NAME_INVALID = 0x90;
/** 0x91 Packet Identifier in use (PUBACK, PUBREC, SUBACK, UNSUBACK). */
export const PACKET_IDENTIFIER_IN_USE = 0x91;
/** 0x92 Packet Identifier not found (PUBREL, PUBCOMP). */
export const PACKET_IDENTIFIER_NOT_FOUND = 0x92;
/** 0x93 Receive Maximum exceeded (DISCONNECT). */
export const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
/** 0x94 Topic Alias invalid (DISCONNECT). */
export const TOPIC_ALIAS_INVALID = 0x94;
/** 0x96 Message rate too high (DISCONNECT). */
export const MESSAGE_RATE_TOO_HIGH = 0x96;
/** 0x97 Quota exceeded (CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT). */
export const QUOTA_EXCEEDED = 0x97;
/** 0x98 Administrative action (DISCONNECT). */
export const ADMINISTRATIVE_ACTION = 0x98;
/** 0x99 Payload format invalid (CONNACK, PUBACK, PUBREC, DISCONNECT). */
export const PAYLOAD_FORMAT_INVALID = 0x99;
/** 0x9A Retain not supported (CONNACK, DISCONNECT). */
export const RETAIN_NOT_SUPPORTED = 0x9a;
/** 0x9B QoS not supported (CONNACK, DISCONNECT). */
export const QOS_NOT_SUPPORTED = 0x9b;
/** 0x9C Use another server (CONNACK, DISCONNECT). */
export const USE_ANOTHER_SERVER = 0x9c;
/** 0x9D Server moved (CONNACK, DISCONNECT). */
export const SERVER_MOVED = 0x9d;
/** 0x9E Shared Subscriptions not supported (SUBACK, DISCONNECT). */
export const SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9e;
/** 0x9F Connection rate exceeded (CONNACK, DISCONNECT). */
export const CONNECTION_RATE_EXCEEDED = 0x9f;
/** 0xA0 Maximum connect time (DISCONNECT). */
export const MAXIMUM_CONNECT_TIME = 0xa0;
/** 0xA1 Subscription Identifiers not supported (SUBACK, DISCONNECT). */
export const SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xa1;
/** 0xA2 Wildcard Subscriptions not supported (SUBACK, DISCONNECT). */
export const WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xa2;

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3). */
export const ConnackReturnCode = Object.freeze({
  ACCEPTED: 0,
  UNACCEPTABLE_PROTOCOL_VERSION: 1,
  IDENTIFIER_REJECTED: 2,
  SERVER_UNAVAILABLE: 3,
  BAD_USER_NAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const);

const V4_CONNACK_NAMES: readonly string[] = Object.freeze([
  "Connection Accepted",
  "Connection Refused, unacceptable protocol version",
  "Connection Refused, identifier rejected",
  "Connection Refused, Server unavailable",
  "Connection Refused, bad user name or password",
  "Connection Refused, not authorized",
]);

// Names of the codes at or above 0x80 (and 0x04, 0x10, 0x11, 0x18, 0x19); 0x00-0x02 depend on the packet.
const NAMES: Readonly<Record<number, string>> = Object.freeze({
  0x04: "Disconnect with Will Message",
  0x10: "No matching subscribers",
  0x11: "No subscription existed",
  0x18: "Continue authentication",
  0x19: "Re-authenticate",
  0x80: "Unspecified error",
  0x81: "Malformed Packet",
  0x82: "Protocol Error",
  0x83: "Implementation specific error",
  0x84: "Unsupported Protocol Version",
  0x85: "Client Identifier not valid",
  0x86: "Bad User Name or Password",
  0x87: "Not authorized",
  0x88: "Server unavailable",
  0x89: "Server busy",
  0x8a: "Banned",
  0x8b: "Server shutting down",
  0x8c: "Bad authentication method",
  0x8d: "Keep Alive timeout",
  0x8e: "Session taken over",
  0x8f: "Topic Filter invalid",
  0x90: "Topic Name invalid",
  0x91: "Packet Identifier in use",
  0x92: "Packet Identifier not found",
  0x93: "Receive Maximum exceeded",
  0x94: "Topic Alias invalid",
  0x95: "Packet too large",
  0x96: "Message rate too high",
  0x97: "Quota exceeded",
  0x98: "Administrative action",
  0x99: "Payload format invalid",
  0x9a: "Retain not supported",
  0x9b: "QoS not supported",
  0x9c: "Use another server",
  0x9d: "Server moved",
  0x9e: "Shared Subscriptions not supported",
  0x9f: "Connection rate exceeded",
  0xa0: "Maximum connect time",
  0xa1: "Subscription Identifiers not supported",
  0xa2: "Wildcard Subscriptions not supported",
});

const PUBACK_CODES = Object.freeze([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]);
const PUBREL_CODES = Object.freeze([0x00, 0x92]);

/** The MQTT 5 reason codes each packet type may carry, indexed by packet type. */
export const REASON_CODES: readonly (readonly number[])[] = Object.freeze([
  Object.freeze([]), // 0 reserved
  Object.freeze([]), // CONNECT
  Object.freeze([0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99,
    0x9a, 0x9b, 0x9c, 0x9d, 0x9f]),
  Object.freeze([]), // PUBLISH
  PUBACK_CODES,
  PUBACK_CODES, // PUBREC has the same list
  PUBREL_CODES,
  PUBREL_CODES, // PUBCOMP has the same list
  Object.freeze([]), // SUBSCRIBE
  Object.freeze([0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2]),
  Object.freeze([]), // UNSUBSCRIBE
  Object.freeze([0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]),
  Object.freeze([]), // PINGREQ
  Object.freeze([]), // PINGRESP
  Object.freeze([0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96,
    0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2]),
  Object.freeze([0x00, 0x18, 0x19]),
]);

/** MQTT 3.1.1 SUBACK return codes. */
export const V4_SUBACK_CODES: readonly number[] = Object.freeze([0x00, 0x01, 0x02, 0x80]);

/** True when `code` is a reason code `packetType` may carry in MQTT 5. */
export function isReasonCodeFor(code: number, packetType: number): boolean {
  const list = REASON_CODES[packetType];
  return list !== undefined && list.indexOf(code) >= 0;
}

/**
 * The specification's name for `code` in a packet of `packetType` ("Success", "Granted QoS 1", "Normal
 * disconnection", ...). With version 4 or 3 and CONNACK it names the 3.1.1 / 3.1 return code (the same six).
 */
export function reasonName(code: number, packetType: number, version: ProtocolVersion = 5): string {
  if (version !== 5 && packetType === 2) return V4_CONNACK_NAMES[code] ?? unknown(code);
  if (code <= 0x02) return lowCodeName(code, packetType);
  return NAMES[code] ?? unknown(code);
}

/** "0x87 Not authorized": the code in hex and the specification's name for it, for messages. */
export function describeReason(code: number, packetType: number, version: ProtocolVersion = 5): string {
  return `0x${code.toString(16).padStart(2, "0")} ${reasonName(code, packetType, version)}`;
}

function lowCodeName(code: number, packetType: number): string {
  if (packetType === 9) return `Granted QoS ${code}`;
  if (code !== 0) return unknown(code);
  return packetType === 14 ? "Normal disconnection" : "Success";
}

function unknown(code: number): string {
  return `Unknown reason code 0x${code.toString(16).padStart(2, "0")}`;
}
