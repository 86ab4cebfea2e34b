// The shapes of MQTT control packets, as the encoder takes them and the decoder returns them.
//
// One interface per packet type, discriminated by `type`. The same shapes serve MQTT 5.0 (protocol
// level 5), MQTT 3.1.1 (level 4) and MQTT 3.1 (level 3, protocol name "MQIsdp"; only its CONNECT and CONNACK
// differ from 3.1.1): fields that 3.1.1 and 3.1 have no place for (properties, most reason codes) are
// ignored when encoding for levels 3 and 4 and left at their defaults when decoding them.
//
// Lifetime of decoded packets: a PacketDecoder reuses one object per packet type, and payloads and binary
// properties point into its receive buffer. A decoded packet is valid until the next call to the decoder;
// copy what you keep.

import type { Properties } from "./properties";

/** MQTT protocol level: 5 for MQTT 5.0, 4 for MQTT 3.1.1, 3 for MQTT 3.1. */
export type ProtocolVersion = 3 | 4 | 5;
/** Quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type QoS = 0 | 1 | 2;

/** Control packet type numbers (the high nibble of the first byte). */
export const PacketType = Object.freeze({
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PUBREC: 5,
  PUBREL: 6,
  PUBCOMP: 7,
  SUBSCRIBE: 8,
  SUBACK: 9,
  UNSUBSCRIBE: 10,
  UNSUBACK: 11,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
  AUTH: 15,
} as const);
/** One of the numbers in {@link PacketType}. */
export type PacketTypeNumber = (typeof PacketType)[keyof typeof PacketType];

/** Bytes given by the app: a Uint8Array, or a string that is sent as UTF-8. */
export type Bytes = Uint8Array | string;

/** The Will Message the server publishes when the connection ends without a normal DISCONNECT. */
export interface Will {
  topic: string;
  payload: Bytes;
  qos: QoS;
  retain: boolean;
  /** Will properties (MQTT 5): willDelayInterval, payloadFormatIndicator, messageExpiryInterval,
   * contentType, responseTopic, correlationData, userProperties. */
  properties?: Properties;
}

/** CONNECT: the first packet a client sends. */
export interface ConnectPacket {
  type: 1;
  protocolVersion: ProtocolVersion;
  clientId: string;
  /** Clean Start (MQTT 5) / Clean Session (3.1.1). */
  cleanStart: boolean;
  /** Seconds, 0 to 65535; 0 turns keepalive off. */
  keepAlive: number;
  username?: string;
  password?: Bytes;
  will?: Will;
  properties?: Properties;
}

/** CONNACK: the server's answer to CONNECT. */
export interface ConnackPacket {
  type: 2;
  sessionPresent: boolean;
  /** MQTT 5 reason code, or the 3.1.1 / 3.1 return code (0 to 5) when decoded at level 4 or 3. Level 3 has no
   * Session Present: it decodes as false. */
  reasonCode: number;
  properties?: Properties;
}

/**
 * The payload is the window [payloadOffset, payloadOffset + payloadLength) of `payload`.
 * Encoding: the offset defaults to 0 and the length to the rest of `payload` (for a string, its UTF-8
 * length); giving a window lets an app send part of a buffer it reuses, without a subarray.
 * Decoding: `payload` is the decoder's receive buffer and the window is set, so receiving allocates
 * nothing; `payloadView(p)` makes a Uint8Array view when one is wanted.
 */
export interface PublishPacket {
  type: 3;
  topic: string;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** 1 to 65535 for QoS 1 and 2; 0 (absent) for QoS 0. */
  packetId: number;
  payload: Bytes;
  payloadOffset?: number;
  payloadLength?: number;
  properties?: Properties;
  /** Encoding only (MQTT 5): a Topic Alias written ahead of `properties`; 0 or absent: none. It lets a sender
   * add an alias without writing into a properties object it does not own (the engine's automatic aliases).
   * Decoding reports a received alias in `properties.topicAlias`. */
  topicAlias?: number;
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one layout. */
export interface AckPacket {
  type: 4 | 5 | 6 | 7;
  packetId: number;
  /** 0 (Success) when absent on the wire. Always 0 at level 4. */
  reasonCode: number;
  properties?: Properties;
}
/** PUBACK: acknowledges a QoS 1 PUBLISH. */
export type PubackPacket = AckPacket & { type: 4 };
/** PUBREC: first acknowledgement of a QoS 2 PUBLISH. */
export type PubrecPacket = AckPacket & { type: 5 };
/** PUBREL: releases a QoS 2 message after PUBREC. */
export type PubrelPacket = AckPacket & { type: 6 };
/** PUBCOMP: completes a QoS 2 exchange. */
export type PubcompPacket = AckPacket & { type: 7 };

/** One topic filter of a SUBSCRIBE with its options. */
export interface Subscription {
  /** Topic filter; `$share/{name}/{filter}` for a shared subscription. */
  filter: string;
  qos: QoS;
  /** MQTT 5 subscription options; ignored at level 4. */
  noLocal?: boolean;
  retainAsPublished?: boolean;
  /** 0 send retained on subscribe, 1 only if the subscription is new, 2 never. */
  retainHandling?: 0 | 1 | 2;
}

/** SUBSCRIBE: topic filters to subscribe to. */
export interface SubscribePacket {
  type: 8;
  packetId: number;
  subscriptions: Subscription[];
  /** MQTT 5: subscriptionIdentifiers (at most one, 1 to 268,435,455) and userProperties. */
  properties?: Properties;
}

/** SUBACK: the server's answer to SUBSCRIBE, one reason code per filter. */
export interface SubackPacket {
  type: 9;
  packetId: number;
  /** One per requested filter: granted QoS (0 to 2) or a failure code (>= 0x80; 3.1.1: 0x80). */
  reasonCodes: number[];
  properties?: Properties;
}

/** UNSUBSCRIBE: topic filters to unsubscribe from. */
export interface UnsubscribePacket {
  type: 10;
  packetId: number;
  filters: string[];
  properties?: Properties;
}

/** UNSUBACK: the server's answer to UNSUBSCRIBE. */
export interface UnsubackPacket {
  type: 11;
  packetId: number;
  /** One per filter (MQTT 5); empty at level 4, whose UNSUBACK carries none. */
  reasonCodes: number[];
  properties?: Properties;
}

/** PINGREQ: the client's keepalive probe. */
export interface PingreqPacket {
  type: 12;
}

/** PINGRESP: the server's answer to PINGREQ. */
export interface PingrespPacket {
  type: 13;
}

/** DISCONNECT: the end of a connection, from either side (MQTT 5 carries a reason code). */
export interface DisconnectPacket {
  type: 14;
  /** 0 (Normal disconnection) when absent on the wire. Always 0 at level 4. */
  reasonCode: number;
  properties?: Properties;
}

/** AUTH (MQTT 5 only): a step of enhanced authentication. */
export interface AuthPacket {
  type: 15;
  /** 0x00 Success, 0x18 Continue authentication, 0x19 Re-authenticate. */
  reasonCode: number;
  properties?: Properties;
}

/** Any control packet, discriminated by `type`. */
export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | AckPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;
