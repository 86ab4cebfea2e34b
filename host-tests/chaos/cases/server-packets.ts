// Server byte streams, shared by the engine-level and the client-over-TCP scenarios.
//
// Every stream is sent after a successful MQTT 5 CONNACK to a client that connected with the options in
// SCENARIO_CONNECT (Topic Alias Maximum 4, Receive Maximum 2). Cases with `subscribe` first make the client
// subscribe to "a" and "b", and the bytes get the SUBSCRIBE's packet id.
//
// Reason codes follow the MQTT 5.0 specification: section 2.2.2.2 (a property not valid for the packet,
// an unknown identifier or a bad value type is a Malformed Packet; a property given twice where the spec
// allows one is a Protocol Error), 1.5.5 (minimum-length variable byte integers), 1.5.4 (UTF-8 without
// U+0000 or surrogates), 2.1.3 (reserved flags), 3.3.2.3.4 (Topic Alias), 3.3.4 (Receive Maximum: 0x93),
// 4.13 (Malformed Packet / Protocol Error). Where the specification leaves the choice between codes open,
// `reasonCodes` lists each one it allows, the most specific first.

export const MALFORMED = 0x81;
export const PROTOCOL = 0x82;
export const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
export const TOPIC_ALIAS_INVALID = 0x94;
export const PACKET_TOO_LARGE = 0x95;
export const TOPIC_NAME_INVALID = 0x90;

export const SCENARIO_CONNECT = {
  clientId: "chaos",
  keepAlive: 60,
  properties: { topicAliasMaximum: 4, receiveMaximum: 2 },
} as const;

export interface CaseContext {
  /** The packet id of the client's SUBSCRIBE, for cases with `subscribe`. */
  packetId: number;
}

export interface MalformedCase {
  name: string;
  subscribe?: boolean;
  /** Unsubscribe from "a" and "b" first; the bytes get the UNSUBSCRIBE's packet id. */
  unsubscribe?: boolean;
  /** Hex of what the server sends. */
  bytes: (ctx: CaseContext) => string;
  /** DISCONNECT reason codes the specification allows here, the one it names first. */
  reasonCodes: readonly number[];
}

const id = (ctx: CaseContext): string => hex16(ctx.packetId);

export function hex16(n: number): string {
  return `${((n >> 8) & 0xff).toString(16).padStart(2, "0")} ${(n & 0xff).toString(16).padStart(2, "0")}`;
}

export const MALFORMED_CASES: readonly MalformedCase[] = [
  // Remaining length
  { name: "a PUBACK whose remaining length is too short for its packet id", bytes: () => "40 01 00", reasonCodes: [MALFORMED] },
  { name: "a PINGRESP with a non-zero remaining length", bytes: () => "d0 01 00", reasonCodes: [MALFORMED] },
  { name: "a PUBLISH whose topic length runs past the remaining length", bytes: () => "30 04 00 09 61 62", reasonCodes: [MALFORMED] },
  { name: "a PUBLISH whose property length runs past the remaining length", bytes: () => "30 05 00 01 61 09 01", reasonCodes: [MALFORMED] },
  // Variable byte integers
  { name: "a remaining length of five bytes", bytes: () => "30 ff ff ff ff 01", reasonCodes: [MALFORMED] },
  { name: "a property length of five bytes", bytes: () => "30 08 00 01 61 ff ff ff ff 01", reasonCodes: [MALFORMED] },
  { name: "a remaining length not in its shortest form", bytes: () => "d0 80 00", reasonCodes: [MALFORMED] },
  // Reserved flags
  { name: "a PUBACK with reserved flags set", bytes: () => "42 02 00 01", reasonCodes: [MALFORMED] },
  { name: "a PUBREL without its mandatory flags 0010", bytes: () => "60 02 00 01", reasonCodes: [MALFORMED] },
  { name: "a PUBLISH with QoS 3", bytes: () => "36 06 00 01 61 00 01 00", reasonCodes: [MALFORMED] },
  { name: "a PINGRESP with reserved flags set", bytes: () => "d1 00", reasonCodes: [MALFORMED] },
  // UTF-8
  { name: "a topic with an invalid UTF-8 byte", bytes: () => "30 04 00 01 ff 00", reasonCodes: [MALFORMED] },
  { name: "a topic containing U+0000", bytes: () => "30 04 00 01 00 00", reasonCodes: [MALFORMED] },
  { name: "a topic containing a UTF-16 surrogate", bytes: () => "30 06 00 03 ed a0 80 00", reasonCodes: [MALFORMED] },
  { name: "a topic with an overlong UTF-8 encoding", bytes: () => "30 05 00 02 c0 af 00", reasonCodes: [MALFORMED] },
  { name: "a Content Type with invalid UTF-8", bytes: () => "30 09 00 01 61 05 03 00 02 ff fe", reasonCodes: [MALFORMED] },
  // Properties
  { name: "a PUBLISH with the Payload Format Indicator twice", bytes: () => "30 08 00 01 61 04 01 00 01 00", reasonCodes: [PROTOCOL] },
  { name: "a PUBLISH with a Session Expiry Interval (a CONNECT property)", bytes: () => "30 09 00 01 61 05 11 00 00 00 0a", reasonCodes: [MALFORMED] },
  { name: "a PUBLISH with an unknown property identifier", bytes: () => "30 06 00 01 61 02 7f 00", reasonCodes: [MALFORMED] },
  { name: "a PUBLISH with a Subscription Identifier of 0", bytes: () => "30 06 00 01 61 02 0b 00", reasonCodes: [PROTOCOL, MALFORMED] },
  { name: "a PUBLISH with a Payload Format Indicator of 2", bytes: () => "30 06 00 01 61 02 01 02", reasonCodes: [PROTOCOL, MALFORMED] },
  // Topic names and aliases
  { name: "a Topic Alias of 0", bytes: () => "30 07 00 01 61 03 23 00 00", reasonCodes: [TOPIC_ALIAS_INVALID, PROTOCOL] },
  { name: "a Topic Alias above the Topic Alias Maximum we sent", bytes: () => "30 07 00 01 61 03 23 00 05", reasonCodes: [TOPIC_ALIAS_INVALID] },
  { name: "an empty topic with a Topic Alias never set", bytes: () => "30 06 00 00 03 23 00 01", reasonCodes: [PROTOCOL] },
  { name: "an empty topic without a Topic Alias", bytes: () => "30 03 00 00 00", reasonCodes: [PROTOCOL] },
  { name: "a wildcard in a PUBLISH topic", bytes: () => "30 04 00 01 23 00", reasonCodes: [PROTOCOL, MALFORMED, TOPIC_NAME_INVALID] },
  { name: "a QoS 1 PUBLISH with packet id 0", bytes: () => "32 06 00 01 61 00 00 00", reasonCodes: [MALFORMED, PROTOCOL] },
  // Packets in the wrong place
  { name: "a SUBSCRIBE sent by the server", bytes: () => "82 07 00 01 00 00 01 61 00", reasonCodes: [PROTOCOL] },
  { name: "a PINGREQ sent by the server", bytes: () => "c0 00", reasonCodes: [PROTOCOL] },
  { name: "a CONNECT sent by the server", bytes: () => "10 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63", reasonCodes: [PROTOCOL] },
  { name: "packet type 0 (reserved)", bytes: () => "00 00", reasonCodes: [MALFORMED] },
  { name: "a second CONNACK", bytes: () => "20 03 00 00 00", reasonCodes: [PROTOCOL] },
  { name: "an AUTH when no authentication method was used", bytes: () => "f0 02 18 00", reasonCodes: [PROTOCOL] },
  // Limits
  { name: "a packet larger than the Maximum Packet Size we announced", bytes: () => "30 88 27", reasonCodes: [PACKET_TOO_LARGE] },
  {
    // The third is dropped unacknowledged; DISCONNECT follows once the two accepted ones are released.
    name: "more unacknowledged QoS 2 PUBLISHes than our Receive Maximum",
    bytes: () => "34 06 00 01 61 00 01 00 34 06 00 01 61 00 02 00 34 06 00 01 61 00 03 00 62 02 00 01 62 02 00 02",
    reasonCodes: [RECEIVE_MAXIMUM_EXCEEDED],
  },
  // Acknowledgements that do not match the request
  { name: "a SUBACK with fewer reason codes than filters", subscribe: true, bytes: (c) => `90 04 ${id(c)} 00 01`, reasonCodes: [PROTOCOL, MALFORMED] },
  { name: "a SUBACK with more reason codes than filters", subscribe: true, bytes: (c) => `90 06 ${id(c)} 00 01 01 01`, reasonCodes: [PROTOCOL, MALFORMED] },
  { name: "an UNSUBACK with fewer reason codes than filters", unsubscribe: true, bytes: (c) => `b0 04 ${id(c)} 00 00`, reasonCodes: [PROTOCOL, MALFORMED] },
];

/** What a tolerated stream must produce: the messages the app sees and the packets the client answers. */
export interface ToleratedCase {
  name: string;
  bytes: () => string;
  /** Messages delivered to the app, in order: topic, payload (UTF-8), retain. */
  messages: readonly { topic: string; payload: string; retain?: boolean }[];
  /** Hex of what the client must write in answer (acks), in order; empty when nothing. */
  answer: string;
  /** Receive buffer the client needs for this case (default is the engine's). */
  receiveBufferSize?: number;
}

const LONG_TOPIC = "t".repeat(65535);

function longTopicPublish(): string {
  const topicHex = "74 ".repeat(65535);
  // Remaining length 2 + 65535 + 1 (properties) + 2 (payload "ok") = 65540 = 0x84 0x80 0x04.
  return `30 84 80 04 ff ff ${topicHex} 00 6f 6b`;
}

export const TOLERATED_CASES: readonly ToleratedCase[] = [
  { name: "a zero-length payload", bytes: () => "30 04 00 01 61 00", messages: [{ topic: "a", payload: "" }], answer: "" },
  { name: "an empty retained message (a retained-message deletion)", bytes: () => "31 04 00 01 61 00", messages: [{ topic: "a", payload: "", retain: true }], answer: "" },
  { name: "a topic of the maximum length (65,535 bytes)", bytes: longTopicPublish, messages: [{ topic: LONG_TOPIC, payload: "ok" }], answer: "", receiveBufferSize: 70_000 },
  {
    name: "a Topic Alias set, then used with an empty topic, then remapped",
    bytes: () => "30 08 00 01 61 03 23 00 01 31 30 07 00 00 03 23 00 01 32 30 08 00 01 62 03 23 00 01 33 30 07 00 00 03 23 00 01 34",
    messages: [{ topic: "a", payload: "1" }, { topic: "a", payload: "2" }, { topic: "b", payload: "3" }, { topic: "b", payload: "4" }],
    answer: "",
  },
  { name: "the highest Topic Alias we allow (4)", bytes: () => "30 08 00 01 61 03 23 00 04 78", messages: [{ topic: "a", payload: "x" }], answer: "" },
  { name: "a repeated user property name", bytes: () => "30 12 00 01 61 0e 26 00 01 6b 00 01 31 26 00 01 6b 00 01 32", messages: [{ topic: "a", payload: "" }], answer: "" },
  { name: "several Subscription Identifiers in one PUBLISH", bytes: () => "30 08 00 01 61 04 0b 01 0b 02", messages: [{ topic: "a", payload: "" }], answer: "" },
  { name: "a topic with multi-byte UTF-8 and U+FEFF kept as is", bytes: () => "30 0a 00 07 c3 a9 2f ef bb bf 7a 00", messages: [{ topic: "\u00e9/\ufeffz", payload: "" }], answer: "" },
  { name: "a QoS 1 PUBLISH with DUP set on its first delivery", bytes: () => "3a 07 00 01 61 00 07 00 78", messages: [{ topic: "a", payload: "x" }], answer: "40 02 00 07" },
  {
    name: "a QoS 2 PUBLISH resent with DUP before PUBREL is delivered once",
    bytes: () => "34 07 00 01 61 00 09 00 78 3c 07 00 01 61 00 09 00 78 62 02 00 09",
    messages: [{ topic: "a", payload: "x" }],
    answer: "50 02 00 09 50 02 00 09 70 02 00 09",
  },
  { name: "a PUBREL for an unknown packet id (answered with PUBCOMP)", bytes: () => "62 02 00 2a", messages: [], answer: "70 03 00 2a 92" },
  { name: "a PUBACK for an unknown packet id", bytes: () => "40 02 00 2b", messages: [], answer: "" },
  { name: "an unsolicited PINGRESP", bytes: () => "d0 00", messages: [], answer: "" },
  { name: "many packets in one chunk", bytes: () => "30 04 00 01 61 00 ".repeat(50), messages: Array.from({ length: 50 }, () => ({ topic: "a", payload: "" })), answer: "" },
];
