// Golden byte vectors for every MQTT 5.0 packet type, from the layouts in the MQTT 5.0 specification
// (section 3). Each `|` separates fields.
import { describe } from "vitest";
import { goldenTests, text, type GoldenCase } from "./golden-cases";

const CASES: GoldenCase[] = [
  {
    name: "a minimal CONNECT (clean start, keep alive 60, client id 'c')",
    packet: { type: 1, protocolVersion: 5, clientId: "c", cleanStart: true, keepAlive: 60 },
    // 10 len | 00 04 "MQTT" | level 5 | flags: clean start | keep alive | property length 0 | client id
    bytes: "10 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63",
  },
  {
    name: "a CONNECT with properties, a will with properties, user name and password",
    packet: {
      type: 1, protocolVersion: 5, clientId: "id", cleanStart: false, keepAlive: 10,
      properties: { sessionExpiryInterval: 120, receiveMaximum: 5 },
      will: { topic: "w", payload: new Uint8Array([1, 2]), qos: 2, retain: true, properties: { willDelayInterval: 30 } },
      username: "u", password: new Uint8Array([0x70]),
    },
    // flags f4 = user name 80 | password 40 | will retain 20 | will QoS 2 (10) | will 04
    bytes: "10 2a | 00 04 4d 51 54 54 | 05 | f4 | 00 0a | 08 11 00 00 00 78 21 00 05 | 00 02 69 64" +
      " | 05 18 00 00 00 1e | 00 01 77 | 00 02 01 02 | 00 01 75 | 00 01 70",
  },
  {
    name: "a CONNACK accepting without properties",
    packet: { type: 2, sessionPresent: false, reasonCode: 0 },
    bytes: "20 03 | 00 | 00 | 00",
  },
  {
    name: "a CONNACK with session present and properties",
    packet: {
      type: 2, sessionPresent: true, reasonCode: 0,
      properties: { assignedClientIdentifier: "a", topicAliasMaximum: 10, maximumQoS: 1 },
    },
    bytes: "20 0c | 01 | 00 | 09 12 00 01 61 22 00 0a 24 01",
  },
  {
    name: "a CONNACK refusing with Not authorized (0x87)",
    packet: { type: 2, sessionPresent: false, reasonCode: 0x87 },
    bytes: "20 03 | 00 | 87 | 00",
  },
  {
    name: "a QoS 0 PUBLISH",
    packet: { type: 3, topic: "a/b", qos: 0, retain: false, dup: false, packetId: 0, payload: text("hi") },
    bytes: "30 08 | 00 03 61 2f 62 | 00 | 68 69",
  },
  {
    name: "a QoS 1 PUBLISH with DUP, RETAIN and properties",
    packet: {
      type: 3, topic: "t", qos: 1, retain: true, dup: true, packetId: 10, payload: new Uint8Array([0xff]),
      properties: { payloadFormatIndicator: 1, messageExpiryInterval: 60, topicAlias: 2 },
    },
    bytes: "3b 11 | 00 01 74 | 00 0a | 0a 01 01 02 00 00 00 3c 23 00 02 | ff",
  },
  {
    name: "a QoS 2 PUBLISH with an empty topic and a topic alias",
    packet: {
      type: 3, topic: "", qos: 2, retain: false, dup: false, packetId: 1, payload: new Uint8Array(0),
      properties: { topicAlias: 5 },
    },
    bytes: "34 08 | 00 00 | 00 01 | 03 23 00 05",
  },
  {
    name: "a PUBLISH with two subscription identifiers (1 and 200)",
    packet: {
      type: 3, topic: "x", qos: 0, retain: false, dup: false, packetId: 0, payload: new Uint8Array(0),
      properties: { subscriptionIdentifiers: [1, 200] },
    },
    bytes: "30 09 | 00 01 78 | 05 0b 01 0b c8 01",
  },
  { name: "a PUBACK with reason 0 and no properties (short form)", packet: { type: 4, packetId: 1, reasonCode: 0 }, bytes: "40 02 | 00 01" },
  { name: "a PUBACK with No matching subscribers (0x10)", packet: { type: 4, packetId: 1, reasonCode: 0x10 }, bytes: "40 03 | 00 01 | 10" },
  {
    name: "a PUBACK with reason 0 and a user property",
    packet: { type: 4, packetId: 5, reasonCode: 0, properties: { userProperties: [["k", "v"]] } },
    bytes: "40 0b | 00 05 | 00 | 07 26 00 01 6b 00 01 76",
  },
  {
    name: "a PUBREC with Unspecified error and a reason string",
    packet: { type: 5, packetId: 2, reasonCode: 0x80, properties: { reasonString: "no" } },
    bytes: "50 09 | 00 02 | 80 | 05 1f 00 02 6e 6f",
  },
  { name: "a PUBREL (flags 0010)", packet: { type: 6, packetId: 3, reasonCode: 0 }, bytes: "62 02 | 00 03" },
  {
    name: "a PUBREL with Packet Identifier not found (0x92)",
    packet: { type: 6, packetId: 3, reasonCode: 0x92 },
    bytes: "62 03 | 00 03 | 92",
  },
  { name: "a PUBCOMP", packet: { type: 7, packetId: 4, reasonCode: 0 }, bytes: "70 02 | 00 04" },
  {
    name: "a SUBSCRIBE with subscription options and the largest subscription identifier",
    packet: {
      type: 8, packetId: 10,
      subscriptions: [
        { filter: "a/+", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
        { filter: "#", qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 },
      ],
      properties: { subscriptionIdentifiers: [268_435_455] },
    },
    // options 2d = QoS 1 | No Local 04 | Retain As Published 08 | Retain Handling 2 (20)
    bytes: "82 12 | 00 0a | 05 0b ff ff ff 7f | 00 03 61 2f 2b 2d | 00 01 23 00",
  },
  {
    name: "a SUBACK granting QoS 1 and refusing with Wildcard Subscriptions not supported",
    packet: { type: 9, packetId: 10, reasonCodes: [1, 0xa2] },
    bytes: "90 05 | 00 0a | 00 | 01 a2",
  },
  {
    name: "an UNSUBSCRIBE of a filter and a shared subscription",
    packet: { type: 10, packetId: 11, filters: ["a/+", "$share/g/x"] },
    bytes: "a2 14 | 00 0b | 00 | 00 03 61 2f 2b | 00 0a 24 73 68 61 72 65 2f 67 2f 78",
  },
  {
    name: "an UNSUBACK with Success and No subscription existed",
    packet: { type: 11, packetId: 11, reasonCodes: [0, 0x11] },
    bytes: "b0 05 | 00 0b | 00 | 00 11",
  },
  { name: "a PINGREQ", packet: { type: 12 }, bytes: "c0 00" },
  { name: "a PINGRESP", packet: { type: 13 }, bytes: "d0 00" },
  { name: "a normal DISCONNECT (remaining length 0)", packet: { type: 14, reasonCode: 0 }, bytes: "e0 00" },
  { name: "a DISCONNECT with Will Message (0x04), reason only", packet: { type: 14, reasonCode: 4 }, bytes: "e0 01 | 04" },
  {
    name: "a DISCONNECT Use another server (0x9c) with a server reference",
    packet: { type: 14, reasonCode: 0x9c, properties: { serverReference: "s" } },
    bytes: "e0 06 | 9c | 04 1c 00 01 73",
  },
  { name: "an AUTH Success without properties (remaining length 0)", packet: { type: 15, reasonCode: 0 }, bytes: "f0 00" },
  {
    name: "an AUTH Continue authentication with method and data",
    packet: { type: 15, reasonCode: 0x18, properties: { authenticationMethod: "m", authenticationData: new Uint8Array([1]) } },
    bytes: "f0 0a | 18 | 08 15 00 01 6d 16 00 01 01",
  },
  { name: "an AUTH Re-authenticate without properties", packet: { type: 15, reasonCode: 0x19 }, bytes: "f0 02 | 19 | 00" },
];

describe("MQTT 5.0 golden vectors", () => goldenTests(CASES, 5));
