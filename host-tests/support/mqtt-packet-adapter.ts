// Maps our packet shapes (src/codec/packet.ts) to and from those of the npm package mqtt-packet, which the
// differential test and the benchmark use as a reference implementation.
//
// Differences the mapping bridges:
// - mqtt-packet names the type `cmd` ("connect", ...), the packet identifier `messageId`, CONNECT's Clean
//   Start `clean`, SUBACK/UNSUBACK codes `granted`, the 3.1.1 CONNACK code `returnCode`.
// - Byte-valued MQTT 5 flags are booleans there (payloadFormatIndicator, request*Information,
//   retainAvailable, *Available); Maximum QoS stays a number.
// - `subscriptionIdentifier` (singular) is a number, or an array when repeated;
//   `subscriptionIdentifiersAvailable` is our `subscriptionIdentifierAvailable`.
// - User Properties are an object keyed by name (an array value when a name repeats), so the order of
//   pairs with different names is lost: compare with `groupUserProperties`.
// - Binary fields and payloads are Buffers.

import { Buffer } from "node:buffer";
import type * as mp from "mqtt-packet";
import type { Bytes, Packet, ProtocolVersion, QoS } from "../../src/codec/index";
import type { Properties } from "../../src/codec/properties";

export type MqttPacketObject = Record<string, unknown> & { cmd: string };

const COMMANDS = [
  "", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp", "subscribe", "suback",
  "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect", "auth",
] as const;

/** Properties whose wire value is a byte that mqtt-packet represents as a boolean. */
const BOOLEAN_PROPERTIES = new Set([
  "payloadFormatIndicator",
  "requestProblemInformation",
  "requestResponseInformation",
  "retainAvailable",
  "wildcardSubscriptionAvailable",
  "subscriptionIdentifierAvailable",
  "sharedSubscriptionAvailable",
]);

const RENAMED_TO_THEIRS: Record<string, string> = {
  subscriptionIdentifierAvailable: "subscriptionIdentifiersAvailable",
  subscriptionIdentifiers: "subscriptionIdentifier",
};
const RENAMED_TO_OURS: Record<string, string> = {
  subscriptionIdentifiersAvailable: "subscriptionIdentifierAvailable",
  subscriptionIdentifier: "subscriptionIdentifiers",
};

function toBuffer(value: Bytes, offset?: number, length?: number): Buffer {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  const start = offset ?? 0;
  const end = length === undefined ? value.length : start + length;
  return Buffer.from(value.subarray(start, end));
}

function propertiesToTheirs(p: Properties | undefined): Record<string, unknown> | undefined {
  if (p === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    const name = RENAMED_TO_THEIRS[key] ?? key;
    if (BOOLEAN_PROPERTIES.has(key)) out[name] = value === 1;
    else if (value instanceof Uint8Array) out[name] = Buffer.from(value);
    else if (key === "userProperties") out[name] = userPropertiesToTheirs(value as [string, string][]);
    else if (key === "subscriptionIdentifiers") {
      const ids = value as number[];
      out[name] = ids.length === 1 ? ids[0] : [...ids];
    } else out[name] = value;
  }
  return out;
}

function userPropertiesToTheirs(pairs: [string, string][]): Record<string, string | string[]> {
  // A prototype-less object, so a name such as "__proto__" or "constructor" is an ordinary key.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of pairs) {
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out;
}

function propertiesToOurs(p: unknown): Properties | undefined {
  if (p === undefined || p === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p as Record<string, unknown>)) {
    const name = RENAMED_TO_OURS[key] ?? key;
    if (BOOLEAN_PROPERTIES.has(name)) out[name] = value ? 1 : 0;
    else if (Buffer.isBuffer(value)) out[name] = new Uint8Array(value);
    else if (name === "userProperties") out[name] = userPropertiesToOurs(value as Record<string, string | string[]>);
    else if (name === "subscriptionIdentifiers") out[name] = Array.isArray(value) ? [...value] : [value];
    else out[name] = value;
  }
  return out as Properties;
}

function userPropertiesToOurs(map: Record<string, string | string[]>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name of Object.keys(map)) {
    const value = map[name]!;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  return pairs;
}

function withProperties(target: MqttPacketObject, p: Properties | undefined, version: ProtocolVersion): MqttPacketObject {
  const theirs = version === 5 ? propertiesToTheirs(p) : undefined;
  if (theirs !== undefined) target.properties = theirs;
  return target;
}

/** Our packet as an object mqtt-packet's generate() takes. */
export function toMqttPacket(p: Packet, version: ProtocolVersion): mp.Packet {
  const cmd = COMMANDS[p.type];
  const out: MqttPacketObject = { cmd };
  switch (p.type) {
    case 1: {
      Object.assign(out, { protocolId: "MQTT", protocolVersion: p.protocolVersion, clientId: p.clientId, clean: p.cleanStart, keepalive: p.keepAlive });
      if (p.username !== undefined) out.username = p.username;
      if (p.password !== undefined) out.password = toBuffer(p.password);
      if (p.will !== undefined) {
        const will: MqttPacketObject = { cmd: "", topic: p.will.topic, payload: toBuffer(p.will.payload), qos: p.will.qos, retain: p.will.retain };
        withProperties(will, p.will.properties, version);
        delete (will as Record<string, unknown>).cmd;
        out.will = will;
      }
      return withProperties(out, p.properties, version) as mp.Packet;
    }
    case 2:
      out.sessionPresent = p.sessionPresent;
      if (version === 5) out.reasonCode = p.reasonCode;
      else out.returnCode = p.reasonCode;
      return withProperties(out, p.properties, version) as mp.Packet;
    case 3:
      Object.assign(out, { topic: p.topic, qos: p.qos, retain: p.retain, dup: p.dup, payload: toBuffer(p.payload, p.payloadOffset, p.payloadLength) });
      if (p.qos > 0) out.messageId = p.packetId;
      return withProperties(out, p.properties, version) as mp.Packet;
    case 4:
    case 5:
    case 6:
    case 7:
      Object.assign(out, { messageId: p.packetId, reasonCode: p.reasonCode ?? 0 });
      return withProperties(out, p.properties, version) as mp.Packet;
    case 8:
      out.messageId = p.packetId;
      out.subscriptions = p.subscriptions.map((s) => ({ topic: s.filter, qos: s.qos, nl: s.noLocal === true, rap: s.retainAsPublished === true, rh: s.retainHandling ?? 0 }));
      return withProperties(out, p.properties, version) as mp.Packet;
    case 9:
      Object.assign(out, { messageId: p.packetId, granted: [...p.reasonCodes] });
      return withProperties(out, p.properties, version) as mp.Packet;
    case 10:
      Object.assign(out, { messageId: p.packetId, unsubscriptions: [...p.filters] });
      return withProperties(out, p.properties, version) as mp.Packet;
    case 11:
      Object.assign(out, { messageId: p.packetId, granted: [...p.reasonCodes] });
      return withProperties(out, p.properties, version) as mp.Packet;
    case 12:
    case 13:
      return out as mp.Packet;
    case 14:
    case 15:
      out.reasonCode = p.reasonCode ?? 0;
      return withProperties(out, p.properties, version) as mp.Packet;
  }
}

function num(v: unknown, fallback = 0): number {
  return typeof v === "number" ? v : fallback;
}

function bytes(v: unknown): Uint8Array {
  if (typeof v === "string") return new TextEncoder().encode(v);
  return new Uint8Array(v as Buffer);
}

function optionalProperties<T extends object>(target: T, theirs: unknown): T {
  const p = propertiesToOurs(theirs);
  if (p !== undefined) (target as { properties?: Properties }).properties = p;
  return target;
}

/** A packet mqtt-packet's parser produced, in our shape. */
export function fromMqttPacket(o: MqttPacketObject, version: ProtocolVersion): Packet {
  const type = COMMANDS.indexOf(o.cmd as (typeof COMMANDS)[number]);
  switch (type) {
    case 1: {
      const p: Packet = {
        type: 1,
        protocolVersion: num(o.protocolVersion) as ProtocolVersion,
        clientId: String(o.clientId),
        cleanStart: o.clean === true,
        keepAlive: num(o.keepalive),
      };
      if (o.username !== undefined) p.username = String(o.username);
      if (o.password !== undefined) p.password = bytes(o.password);
      const will = o.will as Record<string, unknown> | undefined;
      if (will !== undefined) {
        p.will = optionalProperties(
          { topic: String(will.topic), payload: bytes(will.payload), qos: num(will.qos) as QoS, retain: will.retain === true },
          will.properties,
        );
      }
      return optionalProperties(p, o.properties);
    }
    case 2:
      return optionalProperties(
        { type: 2, sessionPresent: o.sessionPresent === true, reasonCode: num(version === 5 ? o.reasonCode : o.returnCode) },
        o.properties,
      );
    case 3:
      return optionalProperties(
        {
          type: 3,
          topic: String(o.topic),
          qos: num(o.qos) as QoS,
          retain: o.retain === true,
          dup: o.dup === true,
          packetId: num(o.messageId),
          payload: bytes(o.payload),
        },
        o.properties,
      );
    case 4:
    case 5:
    case 6:
    case 7:
      return optionalProperties({ type, packetId: num(o.messageId), reasonCode: num(o.reasonCode) }, o.properties);
    case 8: {
      const subs = o.subscriptions as { topic: string; qos: QoS; nl?: boolean; rap?: boolean; rh?: 0 | 1 | 2 }[];
      return optionalProperties(
        {
          type: 8,
          packetId: num(o.messageId),
          subscriptions: subs.map((s) => ({ filter: s.topic, qos: s.qos, noLocal: s.nl === true, retainAsPublished: s.rap === true, retainHandling: s.rh ?? 0 })),
        },
        o.properties,
      );
    }
    case 9:
      return optionalProperties({ type: 9, packetId: num(o.messageId), reasonCodes: [...(o.granted as number[])] }, o.properties);
    case 10:
      return optionalProperties({ type: 10, packetId: num(o.messageId), filters: [...(o.unsubscriptions as string[])] }, o.properties);
    case 11:
      return optionalProperties(
        { type: 11, packetId: num(o.messageId), reasonCodes: [...((o.granted as number[] | undefined) ?? [])] },
        o.properties,
      );
    case 12:
    case 13:
      return { type };
    case 14:
    case 15:
      return optionalProperties({ type, reasonCode: num(o.reasonCode) }, o.properties);
    default:
      throw new Error(`mqtt-packet produced an unknown command ${o.cmd}`);
  }
}

/**
 * Why mqtt-packet cannot represent `p` at `version` (so the differential test must skip it), or null.
 * `direction` is "generate" when mqtt-packet writes the packet, "parse" when it reads ours.
 */
export function notRepresentable(p: Packet, version: ProtocolVersion, direction: "generate" | "parse"): string | null {
  if (direction === "generate" && p.type === 1) {
    // generate() refuses a password without a user name, which MQTT 5 allows (3.1.2.9).
    if (p.password !== undefined && p.username === undefined) return "password without user name";
    // generate() refuses an empty client identifier without Clean Start, which MQTT 5 allows (3.1.3.1).
    if (p.clientId === "" && !p.cleanStart) return "empty client id without clean start";
  }
  // The parser reads an AUTH's reason code unconditionally, so it refuses the shortest AUTH (remaining
  // length 0: Success, no properties; 3.15.2.1), which our encoder writes.
  if (direction === "parse" && p.type === 15 && p.reasonCode === 0 && !hasProperties(p.properties)) {
    return "AUTH with remaining length 0";
  }
  // The parser merges a repeated User Property name into an array only when the first value is
  // non-empty (it tests truthiness), so an empty value followed by the same name loses pairs.
  if (hasEmptyRepeatedUserProperty(p)) return "repeated user property name after an empty value";
  return null;
}

function hasProperties(p: Properties | undefined): boolean {
  return p !== undefined && Object.values(p).some((v) => v !== undefined);
}

function hasEmptyRepeatedUserProperty(p: Packet): boolean {
  const lists: ([string, string][] | undefined)[] = [];
  if ("properties" in p) lists.push(p.properties?.userProperties);
  if (p.type === 1) lists.push(p.will?.properties?.userProperties);
  return lists.some((pairs) => {
    if (pairs === undefined) return false;
    const seenEmpty = new Set<string>();
    for (const [name, value] of pairs) {
      if (seenEmpty.has(name)) return true;
      if (value === "") seenEmpty.add(name);
    }
    return false;
  });
}
