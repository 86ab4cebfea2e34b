// fast-check arbitraries for every MQTT control packet, in the shapes of src/codec/packet.ts.
//
// Each arbitrary yields only packets the specification allows for the given protocol level: valid UTF-8
// strings (no U+0000, no surrogates), topic names without wildcards, topic filters that follow the
// wildcard rules, packet identifiers 1..65535 where one is needed, reason codes from the table of the
// packet type, and MQTT 5 properties only in the packets that may carry them (each at most once, except
// User Property and Subscription Identifier). The reason-code and property tables are written out here
// from the specification rather than imported from the codec, so the tests check the codec against an
// independent reading.

import fc from "fast-check";
import type {
  AckPacket,
  AuthPacket,
  Bytes,
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  PingreqPacket,
  PingrespPacket,
  ProtocolVersion,
  PublishPacket,
  QoS,
  SubackPacket,
  SubscribePacket,
  Subscription,
  UnsubackPacket,
  UnsubscribePacket,
  Will,
} from "../../src/codec/index";
import type { Properties } from "../../src/codec/properties";

// Reason codes per packet type (MQTT 5.0, section 2.4 and each packet's variable header).
export const CONNACK_REASON_CODES = [
  0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99,
  0x9a, 0x9b, 0x9c, 0x9d, 0x9f,
];
export const CONNACK_RETURN_CODES_311 = [0, 1, 2, 3, 4, 5];
export const PUBACK_REASON_CODES = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
export const PUBREL_REASON_CODES = [0x00, 0x92];
export const SUBACK_REASON_CODES = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2];
export const SUBACK_RETURN_CODES_311 = [0x00, 0x01, 0x02, 0x80];
export const UNSUBACK_REASON_CODES = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91];
export const DISCONNECT_REASON_CODES = [
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96,
  0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
];
export const AUTH_REASON_CODES = [0x00, 0x18, 0x19];

/** Code points a well-behaved sender uses: no U+0000, no surrogates, no C0/C1 controls, no noncharacters. */
const codePoint: fc.Arbitrary<number> = fc
  .oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0x7ff }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x800, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x10000, max: 0x10fffd }) },
  )
  .filter((c) => !(c >= 0xfdd0 && c <= 0xfdef) && (c & 0xfffe) !== 0xfffe);

/** A UTF-8 string of up to `maxLength` code points drawn from `chars`. */
function text(maxLength: number, minLength = 0, chars = codePoint): fc.Arbitrary<string> {
  return fc.array(chars, { minLength, maxLength }).map((cps) => String.fromCodePoint(...cps));
}

export const utf8String: fc.Arbitrary<string> = text(12);

/** A topic level: any characters but the separator and the wildcards. */
const levelChar = codePoint.filter((c) => c !== 0x2f && c !== 0x2b && c !== 0x23);
const topicLevel = text(6, 0, levelChar);

/** Topic name: levels joined by "/", possibly empty levels, never empty as a whole, no wildcards. */
export const topicName: fc.Arbitrary<string> = fc
  .array(topicLevel, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join("/"))
  .filter((t) => t.length > 0);

/** Topic filter: "+" alone in a level, "#" alone in the last level; optionally `$share/{name}/{filter}`. */
export const topicFilter: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: topicLevel }, { weight: 1, arbitrary: fc.constant("+") }), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.boolean(),
  )
  .map(([levels, multi]) => (multi ? [...levels, "#"] : levels).join("/"))
  .filter((f) => f.length > 0);

const shareName = text(6, 1, levelChar);

/** A filter and whether it is a shared subscription (No Local is a protocol error on those). */
const subscriptionFilter: fc.Arbitrary<{ filter: string; shared: boolean }> = fc.oneof(
  { weight: 5, arbitrary: topicFilter.map((filter) => ({ filter, shared: false })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(shareName, topicFilter)
      .map(([name, filter]) => ({ filter: `$share/${name}/${filter}`, shared: true })),
  },
);

const qos: fc.Arbitrary<QoS> = fc.constantFrom(0, 1, 2);
export const packetId: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 65535 }),
  fc.constantFrom(1, 127, 128, 255, 256, 65535),
);
const u16 = fc.integer({ min: 0, max: 65535 });
const u32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xffffffff));
const flag = fc.constantFrom(0, 1);
const varInt = fc.oneof(
  fc.integer({ min: 1, max: 268_435_455 }),
  fc.constantFrom(1, 127, 128, 16383, 16384, 2_097_151, 2_097_152, 268_435_455),
);
const binary = fc.uint8Array({ maxLength: 16 });

/** Payload sizes chosen to cross the 1-, 2- and 3-byte remaining-length boundaries now and then. */
export const payloadBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 10, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 16_300, max: 16_500 }).map((n) => patterned(n)) },
);

/** A cheap deterministic large payload (fast-check would spend long building it byte by byte). */
function patterned(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

/** App-side Bytes: raw bytes, a string sent as UTF-8, or a window into a larger array. */
const appBytes: fc.Arbitrary<{ payload: Bytes; payloadOffset?: number; payloadLength?: number }> = fc.oneof(
  { weight: 4, arbitrary: payloadBytes.map((payload) => ({ payload })) },
  { weight: 1, arbitrary: text(20).map((payload) => ({ payload })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.uint8Array({ maxLength: 8 }), payloadBytes, fc.uint8Array({ maxLength: 8 }))
      .map(([before, body, after]) => {
        const all = new Uint8Array(before.length + body.length + after.length);
        all.set(before, 0);
        all.set(body, before.length);
        all.set(after, before.length + body.length);
        return { payload: all, payloadOffset: before.length, payloadLength: body.length };
      }),
  },
);

const userProperties = fc.array(fc.tuple(utf8String, utf8String), { minLength: 1, maxLength: 3 });

/** Every MQTT 5 property with its value domain. */
const propertyValues = {
  payloadFormatIndicator: flag,
  messageExpiryInterval: u32,
  contentType: utf8String,
  responseTopic: topicName,
  correlationData: binary,
  sessionExpiryInterval: u32,
  assignedClientIdentifier: utf8String,
  serverKeepAlive: u16,
  authenticationMethod: utf8String,
  authenticationData: binary,
  requestProblemInformation: flag,
  willDelayInterval: u32,
  requestResponseInformation: flag,
  responseInformation: utf8String,
  serverReference: utf8String,
  reasonString: utf8String,
  receiveMaximum: fc.integer({ min: 1, max: 65535 }),
  topicAliasMaximum: u16,
  topicAlias: fc.integer({ min: 1, max: 65535 }),
  maximumQoS: flag,
  retainAvailable: flag,
  userProperties,
  maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
  wildcardSubscriptionAvailable: flag,
  subscriptionIdentifierAvailable: flag,
  sharedSubscriptionAvailable: flag,
  subscriptionIdentifiers: fc.array(varInt, { minLength: 1, maxLength: 3 }),
} satisfies { [K in keyof Required<Properties>]: fc.Arbitrary<Properties[K]> };

type PropertyName = keyof typeof propertyValues;

/** Which properties each packet may carry (MQTT 5.0, table 2-4). */
export const PROPERTIES_ALLOWED = {
  CONNECT: [
    "sessionExpiryInterval", "receiveMaximum", "maximumPacketSize", "topicAliasMaximum",
    "requestResponseInformation", "requestProblemInformation", "userProperties", "authenticationMethod",
    "authenticationData",
  ],
  WILL: [
    "willDelayInterval", "payloadFormatIndicator", "messageExpiryInterval", "contentType", "responseTopic",
    "correlationData", "userProperties",
  ],
  CONNACK: [
    "sessionExpiryInterval", "receiveMaximum", "maximumQoS", "retainAvailable", "maximumPacketSize",
    "assignedClientIdentifier", "topicAliasMaximum", "reasonString", "userProperties",
    "wildcardSubscriptionAvailable", "subscriptionIdentifierAvailable", "sharedSubscriptionAvailable",
    "serverKeepAlive", "responseInformation", "serverReference", "authenticationMethod", "authenticationData",
  ],
  PUBLISH: [
    "payloadFormatIndicator", "messageExpiryInterval", "topicAlias", "responseTopic", "correlationData",
    "userProperties", "subscriptionIdentifiers", "contentType",
  ],
  ACK: ["reasonString", "userProperties"],
  SUBSCRIBE: ["subscriptionIdentifiers", "userProperties"],
  SUBACK: ["reasonString", "userProperties"],
  UNSUBSCRIBE: ["userProperties"],
  UNSUBACK: ["reasonString", "userProperties"],
  DISCONNECT: ["sessionExpiryInterval", "reasonString", "serverReference", "userProperties"],
  AUTH: ["authenticationMethod", "authenticationData", "reasonString", "userProperties"],
} as const satisfies Record<string, readonly PropertyName[]>;

/** A set of properties drawn from `names`, each present or not; undefined when none is chosen. */
function properties(names: readonly PropertyName[]): fc.Arbitrary<Properties | undefined> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) model[name] = propertyValues[name];
  return fc
    .record(model, { requiredKeys: [] })
    .map((p) => fixPropertyDependencies(p as Properties))
    .map((p) => (Object.keys(p).length === 0 ? undefined : p));
}

/** Authentication Data without an Authentication Method is a protocol error; drop it. */
function fixPropertyDependencies(p: Properties): Properties {
  if (p.authenticationData !== undefined && p.authenticationMethod === undefined) {
    const { authenticationData: _dropped, ...rest } = p;
    return rest;
  }
  return p;
}

/** A SUBSCRIBE carries at most one Subscription Identifier. */
function oneSubscriptionIdentifier(p: Properties | undefined): Properties | undefined {
  if (p?.subscriptionIdentifiers && p.subscriptionIdentifiers.length > 1) {
    return { ...p, subscriptionIdentifiers: p.subscriptionIdentifiers.slice(0, 1) };
  }
  return p;
}

function v5<T>(version: ProtocolVersion, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return version === 5 ? arb : fc.constant(undefined);
}

/** Sets `key` only when `value` is defined, so absent fields stay absent (not `undefined`). */
function withOptional<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

function willArb(version: ProtocolVersion): fc.Arbitrary<Will> {
  return fc
    .record({
      topic: topicName,
      payload: fc.oneof(fc.uint8Array({ maxLength: 20 }), text(10)),
      qos,
      retain: fc.boolean(),
      properties: v5(version, properties(PROPERTIES_ALLOWED.WILL)),
    })
    .map(({ properties: props, ...will }) => withOptional(will, { properties: props }));
}

export function connectArb(version: ProtocolVersion): fc.Arbitrary<ConnectPacket> {
  return fc
    .record({
      clientId: fc.oneof(utf8String, fc.constant("")),
      cleanStart: fc.boolean(),
      keepAlive: fc.oneof(u16, fc.constantFrom(0, 60, 65535)),
      username: fc.option(utf8String, { nil: undefined }),
      password: fc.option(fc.oneof(binary, text(8)), { nil: undefined }),
      will: fc.option(willArb(version), { nil: undefined }),
      properties: v5(version, properties(PROPERTIES_ALLOWED.CONNECT)),
    })
    .map((r) => {
      const packet: ConnectPacket = {
        type: 1,
        protocolVersion: version,
        clientId: r.clientId,
        // 3.1.1 requires Clean Session with an empty client identifier [MQTT-3.1.3-7].
        cleanStart: version === 4 && r.clientId === "" ? true : r.cleanStart,
        keepAlive: r.keepAlive,
      };
      // 3.1.1 allows a password only with a user name [MQTT-3.1.2-22]; MQTT 5 allows it alone.
      const password = version === 4 && r.username === undefined ? undefined : r.password;
      return withOptional(packet, {
        username: r.username,
        password,
        will: r.will,
        properties: r.properties,
      });
    });
}

export function connackArb(version: ProtocolVersion): fc.Arbitrary<ConnackPacket> {
  const codes = version === 5 ? CONNACK_REASON_CODES : CONNACK_RETURN_CODES_311;
  return fc
    .record({
      sessionPresent: fc.boolean(),
      reasonCode: fc.constantFrom(...codes),
      properties: v5(version, properties(PROPERTIES_ALLOWED.CONNACK)),
    })
    .map((r) => {
      // Session Present must be 0 when the connection is refused [MQTT-3.2.2-6].
      const packet: ConnackPacket = {
        type: 2,
        sessionPresent: r.reasonCode === 0 ? r.sessionPresent : false,
        reasonCode: r.reasonCode,
      };
      return withOptional(packet, { properties: r.properties });
    });
}

export function publishArb(version: ProtocolVersion): fc.Arbitrary<PublishPacket> {
  return fc
    .record({
      topic: topicName,
      qos,
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId,
      bytes: appBytes,
      properties: v5(version, properties(PROPERTIES_ALLOWED.PUBLISH)),
      aliasOnly: fc.boolean(),
    })
    .map((r) => {
      // MQTT 5 lets a Topic Alias stand in for the topic: the topic name is then empty.
      const topic = r.aliasOnly && r.properties?.topicAlias !== undefined ? "" : r.topic;
      const packet: PublishPacket = {
        type: 3,
        topic,
        qos: r.qos,
        retain: r.retain,
        // DUP must be 0 for QoS 0 [MQTT-3.3.1-2]; the packet identifier is absent (0) for QoS 0.
        dup: r.qos === 0 ? false : r.dup,
        packetId: r.qos === 0 ? 0 : r.packetId,
        payload: r.bytes.payload,
      };
      return withOptional(packet, {
        payloadOffset: r.bytes.payloadOffset,
        payloadLength: r.bytes.payloadLength,
        properties: r.properties,
      });
    });
}

export function ackArb(version: ProtocolVersion, type?: 4 | 5 | 6 | 7): fc.Arbitrary<AckPacket> {
  const types = type === undefined ? ([4, 5, 6, 7] as const) : [type];
  return fc.constantFrom(...types).chain((t) =>
    fc
      .record({
        packetId,
        reasonCode: fc.constantFrom(...(t === 6 || t === 7 ? PUBREL_REASON_CODES : PUBACK_REASON_CODES)),
        properties: v5(version, properties(PROPERTIES_ALLOWED.ACK)),
      })
      .map((r) => {
        const packet: AckPacket = { type: t, packetId: r.packetId, reasonCode: version === 5 ? r.reasonCode : 0 };
        return withOptional(packet, { properties: r.properties });
      }),
  );
}

function subscriptionArb(version: ProtocolVersion): fc.Arbitrary<Subscription> {
  return fc
    .record({
      target: subscriptionFilter,
      qos,
      noLocal: fc.boolean(),
      retainAsPublished: fc.boolean(),
      retainHandling: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
    })
    .map((r) => {
      const sub: Subscription = { filter: r.target.filter, qos: r.qos };
      if (version === 4) return sub;
      // No Local on a shared subscription is a protocol error [MQTT-3.8.3-4].
      return { ...sub, noLocal: r.target.shared ? false : r.noLocal, retainAsPublished: r.retainAsPublished, retainHandling: r.retainHandling };
    });
}

export function subscribeArb(version: ProtocolVersion): fc.Arbitrary<SubscribePacket> {
  return fc
    .record({
      packetId,
      subscriptions: fc.array(subscriptionArb(version), { minLength: 1, maxLength: 4 }),
      properties: v5(version, properties(PROPERTIES_ALLOWED.SUBSCRIBE).map(oneSubscriptionIdentifier)),
    })
    .map((r) => {
      const packet: SubscribePacket = { type: 8, packetId: r.packetId, subscriptions: r.subscriptions };
      return withOptional(packet, { properties: r.properties });
    });
}

export function subackArb(version: ProtocolVersion): fc.Arbitrary<SubackPacket> {
  const codes = version === 5 ? SUBACK_REASON_CODES : SUBACK_RETURN_CODES_311;
  return fc
    .record({
      packetId,
      reasonCodes: fc.array(fc.constantFrom(...codes), { minLength: 1, maxLength: 5 }),
      properties: v5(version, properties(PROPERTIES_ALLOWED.SUBACK)),
    })
    .map((r) => {
      const packet: SubackPacket = { type: 9, packetId: r.packetId, reasonCodes: r.reasonCodes };
      return withOptional(packet, { properties: r.properties });
    });
}

export function unsubscribeArb(version: ProtocolVersion): fc.Arbitrary<UnsubscribePacket> {
  return fc
    .record({
      packetId,
      filters: fc.array(subscriptionFilter.map((s) => s.filter), { minLength: 1, maxLength: 4 }),
      properties: v5(version, properties(PROPERTIES_ALLOWED.UNSUBSCRIBE)),
    })
    .map((r) => {
      const packet: UnsubscribePacket = { type: 10, packetId: r.packetId, filters: r.filters };
      return withOptional(packet, { properties: r.properties });
    });
}

export function unsubackArb(version: ProtocolVersion): fc.Arbitrary<UnsubackPacket> {
  return fc
    .record({
      packetId,
      reasonCodes: fc.array(fc.constantFrom(...UNSUBACK_REASON_CODES), { minLength: 1, maxLength: 5 }),
      properties: v5(version, properties(PROPERTIES_ALLOWED.UNSUBACK)),
    })
    .map((r) => {
      // A 3.1.1 UNSUBACK carries no return codes.
      const packet: UnsubackPacket = {
        type: 11,
        packetId: r.packetId,
        reasonCodes: version === 5 ? r.reasonCodes : [],
      };
      return withOptional(packet, { properties: r.properties });
    });
}

export const pingreqArb: fc.Arbitrary<PingreqPacket> = fc.constant({ type: 12 });
export const pingrespArb: fc.Arbitrary<PingrespPacket> = fc.constant({ type: 13 });

export function disconnectArb(version: ProtocolVersion): fc.Arbitrary<DisconnectPacket> {
  if (version === 4) return fc.constant({ type: 14, reasonCode: 0 });
  return fc
    .record({
      reasonCode: fc.oneof(fc.constant(0), fc.constantFrom(...DISCONNECT_REASON_CODES)),
      properties: properties(PROPERTIES_ALLOWED.DISCONNECT),
    })
    .map((r) => {
      const packet: DisconnectPacket = { type: 14, reasonCode: r.reasonCode };
      return withOptional(packet, { properties: r.properties });
    });
}

/** AUTH exists only in MQTT 5. */
export const authArb: fc.Arbitrary<AuthPacket> = fc
  .record({
    reasonCode: fc.constantFrom(...AUTH_REASON_CODES),
    properties: properties(PROPERTIES_ALLOWED.AUTH),
  })
  .map((r) => {
    const packet: AuthPacket = { type: 15, reasonCode: r.reasonCode };
    return withOptional(packet, { properties: r.properties });
  });

/** One arbitrary per packet type valid at `version`, keyed by type name. */
export function arbitrariesByType(version: ProtocolVersion): Record<string, fc.Arbitrary<Packet>> {
  const byType: Record<string, fc.Arbitrary<Packet>> = {
    CONNECT: connectArb(version),
    CONNACK: connackArb(version),
    PUBLISH: publishArb(version),
    PUBACK: ackArb(version, 4),
    PUBREC: ackArb(version, 5),
    PUBREL: ackArb(version, 6),
    PUBCOMP: ackArb(version, 7),
    SUBSCRIBE: subscribeArb(version),
    SUBACK: subackArb(version),
    UNSUBSCRIBE: unsubscribeArb(version),
    UNSUBACK: unsubackArb(version),
    PINGREQ: pingreqArb,
    PINGRESP: pingrespArb,
    DISCONNECT: disconnectArb(version),
  };
  if (version === 5) byType.AUTH = authArb;
  return byType;
}

/** Any packet valid at `version`. */
export function packetArb(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc.oneof(...Object.values(arbitrariesByType(version)));
}
