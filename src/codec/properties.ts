// MQTT 5 properties as named fields. Absent fields are `undefined`.
//
// Byte-valued flags (payloadFormatIndicator, requestProblemInformation, requestResponseInformation,
// maximumQoS, retainAvailable, wildcard/subscription-identifier/shared-subscription availability) keep their
// wire values (0 or 1) rather than booleans, so a decoded packet says exactly what the peer sent.

/** MQTT 5 properties by name; absent ones are `undefined`. Byte flags keep their wire values (0 or 1). */
export interface Properties {
  /** 0x01 byte: 0 unspecified bytes, 1 UTF-8 text. PUBLISH, Will. */
  payloadFormatIndicator?: number;
  /** 0x02 four-byte integer, seconds. PUBLISH, Will. */
  messageExpiryInterval?: number;
  /** 0x03 UTF-8 string. PUBLISH, Will. */
  contentType?: string;
  /** 0x08 UTF-8 string (a topic name). PUBLISH, Will. */
  responseTopic?: string;
  /** 0x09 binary data. PUBLISH, Will. */
  correlationData?: Uint8Array;
  /** 0x0B variable byte integer, 1 to 268,435,455. PUBLISH (may repeat), SUBSCRIBE (at most one). */
  subscriptionIdentifiers?: number[];
  /** 0x11 four-byte integer, seconds. CONNECT, CONNACK, DISCONNECT. */
  sessionExpiryInterval?: number;
  /** 0x12 UTF-8 string. CONNACK. */
  assignedClientIdentifier?: string;
  /** 0x13 two-byte integer, seconds. CONNACK. */
  serverKeepAlive?: number;
  /** 0x15 UTF-8 string. CONNECT, CONNACK, AUTH. */
  authenticationMethod?: string;
  /** 0x16 binary data. CONNECT, CONNACK, AUTH. */
  authenticationData?: Uint8Array;
  /** 0x17 byte, 0 or 1. CONNECT. */
  requestProblemInformation?: number;
  /** 0x18 four-byte integer, seconds. Will. */
  willDelayInterval?: number;
  /** 0x19 byte, 0 or 1. CONNECT. */
  requestResponseInformation?: number;
  /** 0x1A UTF-8 string. CONNACK. */
  responseInformation?: string;
  /** 0x1C UTF-8 string. CONNACK, DISCONNECT. */
  serverReference?: string;
  /** 0x1F UTF-8 string. CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH. */
  reasonString?: string;
  /** 0x21 two-byte integer, 1 to 65535. CONNECT, CONNACK. */
  receiveMaximum?: number;
  /** 0x22 two-byte integer. CONNECT, CONNACK. */
  topicAliasMaximum?: number;
  /** 0x23 two-byte integer, 1 or more. PUBLISH. */
  topicAlias?: number;
  /** 0x24 byte, 0 or 1. CONNACK. */
  maximumQoS?: number;
  /** 0x25 byte, 0 or 1. CONNACK. */
  retainAvailable?: number;
  /** 0x26 UTF-8 string pair; may repeat, order and duplicates kept. Every packet that has properties. */
  userProperties?: [string, string][];
  /** 0x27 four-byte integer, 1 or more. CONNECT, CONNACK. */
  maximumPacketSize?: number;
  /** 0x28 byte, 0 or 1. CONNACK. */
  wildcardSubscriptionAvailable?: number;
  /** 0x29 byte, 0 or 1. CONNACK. */
  subscriptionIdentifierAvailable?: number;
  /** 0x2A byte, 0 or 1. CONNACK. */
  sharedSubscriptionAvailable?: number;
}
