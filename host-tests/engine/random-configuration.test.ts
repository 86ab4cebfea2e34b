// Randomized configurations (issue 13): random client settings (protocol version, buffer and queue sizes,
// Receive Maximum, our topic aliases, Clean Start) against random CONNACKs (Topic Alias Maximum, Maximum
// Packet Size, Receive Maximum, Maximum QoS, Retain Available, Session Present) and random publishes (topic
// and payload sizes, QoS, retain, properties), some made before the CONNACK. A simulated server acknowledges
// everything and checks every PUBLISH it gets. The properties:
// - a CONNACK that contradicts the CONNECT (Session Present 1 after Clean Start 1) closes the connection with
//   0x82 (DISCONNECT in MQTT 5, a bare close before);
// - every publish either goes out within every limit the server set, in order, with aliases the server can
//   resolve and only when both sides allow them, or fails at the call with an MqttArgumentError exactly when
//   it fits in no form, taking nothing (no packet id, queue slot or token, no byte written);
// - no app object is written to (properties are frozen, and compared after).
// CI runs a short run; `make soak` a long one (CONFIG_LONG=1).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodedLength, MqttArgumentError } from "../../src/codec/index";
import { topicNameProblem } from "../../src/codec/topic";
import type { AckPacket, ProtocolVersion, PublishPacket, QoS } from "../../src/codec/packet";
import type { Properties } from "../../src/codec/properties";
import type { ConnectOptions, EngineConfig } from "../../src/engine/index";
import { decodeAll, EngineDriver, hex, payloadOf } from "../support/engine-harness";

const LONG = process.env.CONFIG_LONG === "1";
const RUNS = Number(process.env.CONFIG_RUNS ?? (LONG ? 30_000 : 300));
const SEED = process.env.CONFIG_SEED === undefined ? undefined : Number(process.env.CONFIG_SEED);
const TIMEOUT = LONG ? 24 * 3600_000 : 60_000;

interface Client {
  version: ProtocolVersion;
  engine: EngineConfig & { transmitBufferSize: number; maxInflight: number; outboundTopicAliases: number };
  cleanStart: boolean;
  receiveMaximum: number;
}

interface Connack {
  sessionPresent: boolean;
  properties: Properties | undefined;
}

interface Publish {
  topic: string;
  payloadLength: number;
  qos: QoS;
  retain: boolean;
  properties: Properties | undefined;
}

const clientArb: fc.Arbitrary<Client> = fc.record({
  version: fc.constantFrom<ProtocolVersion>(3, 4, 5),
  engine: fc.record({
    transmitBufferSize: fc.integer({ min: 48, max: 512 }),
    maxInflight: fc.integer({ min: 1, max: 6 }),
    queueLimit: fc.integer({ min: 1, max: 6 }),
    queueByteLimit: fc.integer({ min: 32, max: 1024 }),
    outboundTopicAliases: fc.integer({ min: 0, max: 3 }),
  }),
  cleanStart: fc.boolean(),
  receiveMaximum: fc.integer({ min: 1, max: 20 }),
});

const connackArb: fc.Arbitrary<Connack> = fc.record({
  sessionPresent: fc.boolean(),
  properties: fc.option(
    fc.record(
      {
        topicAliasMaximum: fc.integer({ min: 0, max: 4 }),
        maximumPacketSize: fc.integer({ min: 16, max: 400 }),
        receiveMaximum: fc.integer({ min: 1, max: 6 }),
        maximumQoS: fc.constantFrom(0, 1),
        retainAvailable: fc.constantFrom(0, 1),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
});

const TOPICS = ["a", "sensors/device-1/temperature", "b/c", "a/very/long/topic/name/for/the/alias/to/matter", "é/ü", "x/+/y"];

const propertiesArb: fc.Arbitrary<Properties | undefined> = fc.option(
  fc.record(
    {
      contentType: fc.string({ maxLength: 12 }),
      messageExpiryInterval: fc.integer({ min: 1, max: 3600 }),
      userProperties: fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const publishArb: fc.Arbitrary<Publish> = fc.record({
  topic: fc.constantFrom(...TOPICS),
  payloadLength: fc.oneof(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 420 })),
  qos: fc.constantFrom<QoS>(0, 1, 2),
  retain: fc.boolean(),
  properties: propertiesArb,
});

const scenarioArb = fc.record({
  client: clientArb,
  connack: connackArb,
  early: fc.array(publishArb, { maxLength: 3 }),
  publishes: fc.array(publishArb, { minLength: 1, maxLength: 14 }),
});

/** Frozen all the way down, so any write by the engine throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function payloadFor(index: number, length: number): Uint8Array {
  const payload = new Uint8Array(length);
  for (let i = 0; i < length; i++) payload[i] = (index * 31 + i) & 0xff;
  return payload;
}

/** What the server announced, with the specification's defaults for what it left out. */
interface Limits {
  version: ProtocolVersion;
  maximumPacketSize: number;
  receiveMaximum: number;
  maximumQoS: number;
  retainAvailable: boolean;
  aliases: number;
}

function limitsOf(client: Client, connack: Connack | undefined): Limits {
  const p = client.version === 5 ? connack?.properties : undefined;
  return {
    version: client.version,
    maximumPacketSize: p?.maximumPacketSize ?? 0,
    receiveMaximum: Math.min(p?.receiveMaximum ?? 65535, client.engine.maxInflight),
    maximumQoS: p?.maximumQoS ?? 2,
    retainAvailable: (p?.retainAvailable ?? 1) === 1,
    aliases: Math.min(p?.topicAliasMaximum ?? 0, client.engine.outboundTopicAliases),
  };
}

/** Whether the publish fits in no form under `limits`: the engine must refuse it at the call. */
function refusedAtCall(p: Publish, payload: Uint8Array, limits: Limits, txSize: number): boolean {
  if (topicNameProblem(p.topic) !== null) return true;
  if (limits.version === 5 && (p.qos > limits.maximumQoS || (p.retain && !limits.retainAvailable))) return true;
  const packet: PublishPacket = { type: 3, topic: p.topic, qos: p.qos, retain: p.retain, dup: false, packetId: p.qos > 0 ? 1 : 0, payload, properties: p.properties };
  const size = encodedLength(packet, limits.version);
  return (limits.maximumPacketSize > 0 && size > limits.maximumPacketSize) || size > txSize;
}

/** The server's side: checks every PUBLISH against what it announced, resolves aliases, acknowledges. */
class CheckingServer {
  readonly received: string[] = [];
  private readonly aliases = new Map<number, string>();
  private inflight = 0;

  constructor(private readonly d: EngineDriver, private readonly limits: Limits) {}

  /** Takes what the engine wrote until it writes nothing more, acknowledging every PUBLISH and PUBREL. */
  drain(): void {
    for (let round = 0; round < 200; round++) {
      const bytes = this.d.take();
      if (bytes.length === 0) return;
      const acks: AckPacket[] = [];
      for (const packet of decodeAll(bytes, this.limits.version)) {
        if (packet.type === 3) acks.push(...this.check(packet, bytes));
        else if (packet.type === 6) acks.push({ type: 7, packetId: packet.packetId, reasonCode: 0 });
        else throw new Error(`unexpected packet type ${packet.type}`);
      }
      for (const ack of acks) {
        if (ack.type !== 5) this.inflight--;
        this.d.server(ack);
      }
    }
    throw new Error("the engine kept writing");
  }

  private check(p: PublishPacket, bytes: Uint8Array): AckPacket[] {
    const limits = this.limits;
    const size = encodedLength(p, limits.version);
    if (limits.maximumPacketSize > 0) expect(size, "PUBLISH within the server's Maximum Packet Size").toBeLessThanOrEqual(limits.maximumPacketSize);
    if (limits.version === 5) expect(p.qos).toBeLessThanOrEqual(limits.maximumQoS);
    if (!limits.retainAvailable) expect(p.retain).toBe(false);
    expect(p.dup).toBe(false);
    const alias = p.properties?.topicAlias;
    let topic = p.topic;
    if (alias !== undefined) {
      expect(limits.aliases, `alias ${alias} with ${limits.aliases} allowed (${hex(bytes)})`).toBeGreaterThanOrEqual(alias);
      if (topic === "") {
        expect(this.aliases.has(alias), `alias ${alias} resolves`).toBe(true);
        topic = this.aliases.get(alias)!;
      } else this.aliases.set(alias, topic);
    } else expect(topic).not.toBe("");
    this.received.push(`${topic} ${hex(payloadOf(p))}`);
    if (p.qos === 0) return [];
    this.inflight++;
    expect(this.inflight, "unacknowledged QoS>0 within Receive Maximum").toBeLessThanOrEqual(limits.receiveMaximum);
    return [{ type: p.qos === 1 ? 4 : 5, packetId: p.packetId, reasonCode: 0 }];
  }
}

interface Accepted {
  token: number;
  line: string;
}

function run(client: Client, connack: Connack, early: Publish[], publishes: Publish[]): void {
  const d = new EngineDriver({ ...client.engine, receiveBufferSize: 256 });
  const options: ConnectOptions = { clientId: "c", keepAlive: 0, protocolVersion: client.version, cleanStart: client.cleanStart };
  if (client.version === 5) options.properties = { receiveMaximum: client.receiveMaximum, sessionExpiryInterval: client.cleanStart ? 0 : 60 };
  d.open(deepFreeze(options));
  d.take();
  const accepted: Accepted[] = [];
  let lastToken = 0;
  let index = 0;

  // One publish at the app's call: refused exactly when it fits in no form, and then nothing is taken.
  const publish = (p: Publish, limits: Limits): void => {
    const payload = payloadFor(index++, p.payloadLength);
    const properties = p.properties === undefined ? undefined : deepFreeze(structuredClone(p.properties));
    const snapshot = JSON.stringify(properties);
    const before = { inflight: d.engine.inflightCount, queued: d.engine.queuedMessages, pending: d.engine.pending() };
    const shouldRefuse = refusedAtCall(p, payload, limits, client.engine.transmitBufferSize);
    let result: number | undefined;
    let error: unknown;
    try {
      result = d.engine.publish(p.topic, payload, p.qos, p.retain, properties, d.now);
    } catch (e) {
      error = e;
    }
    expect(JSON.stringify(properties), "the app's properties are unchanged").toBe(snapshot);
    if (error !== undefined || result === -1) {
      if (error !== undefined) expect(error, String(error)).toBeInstanceOf(MqttArgumentError);
      expect(error !== undefined, `refused at the call (${String(error)})`).toBe(shouldRefuse);
      expect({ inflight: d.engine.inflightCount, queued: d.engine.queuedMessages, pending: d.engine.pending() }).toEqual(before);
      return;
    }
    expect(shouldRefuse, "accepted although it fits in no form").toBe(false);
    if (result! > 0) {
      expect(result, "tokens are taken one by one, and only by accepted publishes").toBe(lastToken + 1);
      lastToken = result!;
    }
    accepted.push({ token: result!, line: `${p.topic} ${hex(payload)}` });
  };

  const offline = limitsOf(client, undefined);
  for (const p of early) publish(p, offline);

  d.server({ type: 2, sessionPresent: connack.sessionPresent, reasonCode: 0, properties: client.version === 5 ? connack.properties : undefined });
  const contradicts = connack.sessionPresent && client.cleanStart && client.version !== 3;
  if (contradicts) {
    expect(d.takeHex()).toBe(client.version === 5 ? "e0 01 82" : "");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x82 }]);
    return;
  }
  const limits = limitsOf(client, connack);
  const server = new CheckingServer(d, limits);
  server.drain();
  for (const p of publishes) {
    publish(p, limits);
    server.drain();
  }
  server.drain();

  // Everything accepted went out in order, but for queued publishes the CONNACK's limits refused (they fail
  // back through publishDone with 0x95, 0x9B or 0x9A).
  const done = new Map<number, number>();
  for (const e of d.events()) if (e.event === "publishDone") done.set(e.token, e.reasonCode);
  const failed = new Set([...done].filter(([, code]) => code >= 0x80).map(([token]) => token));
  for (const code of new Set(done.values())) expect([0, 0x95, 0x9a, 0x9b]).toContain(code);
  expect(server.received).toEqual(accepted.filter((a) => !failed.has(a.token)).map((a) => a.line));
  for (const a of accepted) if (a.token > 0) expect(done.has(a.token), `publishDone for token ${a.token}`).toBe(true);
  expect(d.engine.inflightCount + d.engine.queuedMessages).toBe(0);
}

describe("randomized configurations (client settings x CONNACK x publishes)", () => {
  it(
    "sends every publish within the server's limits or refuses it at the call taking nothing, and closes on a contradicting CONNACK",
    () => {
      fc.assert(
        fc.property(scenarioArb, ({ client, connack, early, publishes }) => run(client, connack, early, publishes)),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});
