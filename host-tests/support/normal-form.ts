// The canonical form in which tests compare packets.
//
// A packet as an app writes it and the same packet as the decoder returns it differ in ways the wire
// cannot see: a string payload versus its UTF-8 bytes, a payload window versus a whole array, an absent
// reason code versus 0, `undefined` fields versus absent ones, MQTT 5-only fields at level 4. The normal
// form removes exactly those differences, so everything that remains must match field by field.

import type { Bytes, Packet, ProtocolVersion } from "../../src/codec/index";
import type { Properties } from "../../src/codec/properties";

export interface NormalFormOptions {
  /** Sort User Properties by name (stable), for peers that keep them in an object keyed by name. */
  groupUserProperties?: boolean;
}

type Plain = Record<string, unknown>;

const utf8 = new TextEncoder();

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, "0");
  return s;
}

/** The bytes a Bytes value (with an optional window) stands for, as hex. */
export function bytesHex(value: Bytes, offset?: number, length?: number): string {
  const bytes = typeof value === "string" ? utf8.encode(value) : value;
  const start = offset ?? 0;
  const end = length === undefined ? bytes.length : start + length;
  return hex(bytes.subarray(start, end));
}

function normalProperties(p: Properties | undefined, version: ProtocolVersion, options: NormalFormOptions): Plain | undefined {
  if (version !== 5 || p === undefined || p === null) return undefined;
  const out: Plain = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    if (value instanceof Uint8Array) out[key] = hex(value);
    else if (key === "userProperties") {
      const pairs = (value as [string, string][]).map(([k, v]) => [k, v]);
      if (pairs.length === 0) continue;
      out[key] = options.groupUserProperties ? groupByName(pairs) : pairs;
    } else if (key === "subscriptionIdentifiers") {
      if ((value as number[]).length === 0) continue;
      out[key] = [...(value as number[])];
    } else out[key] = value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Pairs ordered by name, keeping the order of values within a name (Array.prototype.sort is stable). */
function groupByName(pairs: string[][]): string[][] {
  return [...pairs].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** Drops keys whose value is undefined. */
function compact(o: Plain): Plain {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
}

/** The normal form of `p` as it travels at `version`. Never shares objects with `p`. */
export function normalForm(p: Packet, version: ProtocolVersion, options: NormalFormOptions = {}): Plain {
  const props = (q: Properties | undefined) => normalProperties(q, version, options);
  switch (p.type) {
    case 1:
      return compact({
        type: 1,
        protocolVersion: p.protocolVersion,
        clientId: p.clientId,
        cleanStart: p.cleanStart,
        keepAlive: p.keepAlive,
        username: p.username,
        password: p.password === undefined ? undefined : bytesHex(p.password),
        will:
          p.will === undefined
            ? undefined
            : compact({
                topic: p.will.topic,
                payload: bytesHex(p.will.payload),
                qos: p.will.qos,
                retain: p.will.retain,
                properties: props(p.will.properties),
              }),
        properties: props(p.properties),
      });
    case 2:
      return compact({ type: 2, sessionPresent: p.sessionPresent, reasonCode: p.reasonCode, properties: props(p.properties) });
    case 3:
      return compact({
        type: 3,
        topic: p.topic,
        qos: p.qos,
        retain: p.retain,
        dup: p.dup,
        packetId: p.qos === 0 ? 0 : p.packetId,
        payload: bytesHex(p.payload, p.payloadOffset, p.payloadLength),
        properties: props(p.properties),
      });
    case 4:
    case 5:
    case 6:
    case 7:
      return compact({
        type: p.type,
        packetId: p.packetId,
        reasonCode: version !== 5 ? 0 : (p.reasonCode ?? 0),
        properties: props(p.properties),
      });
    case 8:
      return compact({
        type: 8,
        packetId: p.packetId,
        subscriptions: p.subscriptions.map((s) => ({
          filter: s.filter,
          qos: s.qos,
          noLocal: version === 5 && s.noLocal === true,
          retainAsPublished: version === 5 && s.retainAsPublished === true,
          retainHandling: version === 5 ? (s.retainHandling ?? 0) : 0,
        })),
        properties: props(p.properties),
      });
    case 9:
      return compact({ type: 9, packetId: p.packetId, reasonCodes: [...p.reasonCodes], properties: props(p.properties) });
    case 10:
      return compact({ type: 10, packetId: p.packetId, filters: [...p.filters], properties: props(p.properties) });
    case 11:
      return compact({
        type: 11,
        packetId: p.packetId,
        reasonCodes: version !== 5 ? [] : [...p.reasonCodes],
        properties: props(p.properties),
      });
    case 12:
    case 13:
      return { type: p.type };
    case 14:
    case 15:
      return compact({ type: p.type, reasonCode: version !== 5 ? 0 : (p.reasonCode ?? 0), properties: props(p.properties) });
  }
}
