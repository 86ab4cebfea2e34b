// Golden byte vectors for every MQTT 3.1.1 packet type, from the layouts in the MQTT 3.1.1 specification
// (section 3). No properties, no reason codes on acknowledgements, CONNACK return codes.
import { describe } from "vitest";
import { goldenTests, text, type GoldenCase } from "./golden-cases";

const CASES: GoldenCase[] = [
  {
    name: "a minimal CONNECT (clean session, keep alive 60, client id 'c')",
    packet: { type: 1, protocolVersion: 4, clientId: "c", cleanStart: true, keepAlive: 60 },
    bytes: "10 0d | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63",
  },
  {
    name: "a CONNECT with a QoS 1 will, user name and password",
    packet: {
      type: 1, protocolVersion: 4, clientId: "id", cleanStart: true, keepAlive: 10,
      will: { topic: "w", payload: text("x"), qos: 1, retain: false }, username: "u", password: text("p"),
    },
    // flags ce = user name 80 | password 40 | will QoS 1 (08) | will 04 | clean session 02
    bytes: "10 1a | 00 04 4d 51 54 54 | 04 | ce | 00 0a | 00 02 69 64 | 00 01 77 | 00 01 78 | 00 01 75 | 00 01 70",
  },
  { name: "a CONNACK accepting", packet: { type: 2, sessionPresent: false, reasonCode: 0 }, bytes: "20 02 | 00 | 00" },
  { name: "a CONNACK with session present", packet: { type: 2, sessionPresent: true, reasonCode: 0 }, bytes: "20 02 | 01 | 00" },
  {
    name: "a CONNACK refusing with return code 5 (not authorized)",
    packet: { type: 2, sessionPresent: false, reasonCode: 5 },
    bytes: "20 02 | 00 | 05",
  },
  {
    name: "a QoS 0 PUBLISH",
    packet: { type: 3, topic: "a/b", qos: 0, retain: false, dup: false, packetId: 0, payload: text("hi") },
    bytes: "30 07 | 00 03 61 2f 62 | 68 69",
  },
  {
    name: "a QoS 1 PUBLISH with DUP and RETAIN",
    packet: { type: 3, topic: "t", qos: 1, retain: true, dup: true, packetId: 10, payload: new Uint8Array([0xff]) },
    bytes: "3b 06 | 00 01 74 | 00 0a | ff",
  },
  {
    name: "a QoS 2 PUBLISH",
    packet: { type: 3, topic: "t", qos: 2, retain: false, dup: false, packetId: 65535, payload: new Uint8Array(0) },
    bytes: "34 05 | 00 01 74 | ff ff",
  },
  { name: "a PUBACK", packet: { type: 4, packetId: 1, reasonCode: 0 }, bytes: "40 02 | 00 01" },
  { name: "a PUBREC", packet: { type: 5, packetId: 2, reasonCode: 0 }, bytes: "50 02 | 00 02" },
  { name: "a PUBREL (flags 0010)", packet: { type: 6, packetId: 3, reasonCode: 0 }, bytes: "62 02 | 00 03" },
  { name: "a PUBCOMP", packet: { type: 7, packetId: 4, reasonCode: 0 }, bytes: "70 02 | 00 04" },
  {
    name: "a SUBSCRIBE with two filters",
    packet: { type: 8, packetId: 10, subscriptions: [{ filter: "a/+", qos: 1 }, { filter: "#", qos: 2 }] },
    bytes: "82 0c | 00 0a | 00 03 61 2f 2b 01 | 00 01 23 02",
  },
  {
    name: "a SUBACK with granted QoS and a failure (0x80)",
    packet: { type: 9, packetId: 10, reasonCodes: [1, 2, 0x80] },
    bytes: "90 05 | 00 0a | 01 02 80",
  },
  {
    name: "an UNSUBSCRIBE",
    packet: { type: 10, packetId: 11, filters: ["a/+"] },
    bytes: "a2 07 | 00 0b | 00 03 61 2f 2b",
  },
  { name: "an UNSUBACK (packet identifier only)", packet: { type: 11, packetId: 11, reasonCodes: [] }, bytes: "b0 02 | 00 0b" },
  { name: "a PINGREQ", packet: { type: 12 }, bytes: "c0 00" },
  { name: "a PINGRESP", packet: { type: 13 }, bytes: "d0 00" },
  { name: "a DISCONNECT", packet: { type: 14, reasonCode: 0 }, bytes: "e0 00" },
];

describe("MQTT 3.1.1 golden vectors", () => goldenTests(CASES, 4));
