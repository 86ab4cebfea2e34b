// The client's footprint on XS (issue 17), measured through the public MqttClient API with an in-XS fake
// platform (fake-platform.ts): no bridge, no Node, nothing else running. The workload is the one Moddable's
// clients were measured with: connect, subscribe to one filter, QoS 0 and QoS 1 publishes (each QoS 1 with
// its PUBACK) and received QoS 0 messages delivered to a `message` listener; keepalive 60 s, topic
// `devices/sensor-1/sensors/temperature` (36 bytes), Uint8Array payloads of 16, 64 and 256 bytes; MQTT 3.1.1
// and 5; ESP8266 sizes and the engine's defaults.
//
// Measured per configuration:
// - `client.v<4|5>.<sizes>.p<payload>.<operation>`: computrons per operation after warm-up (tools/xs/measure.ts),
//   with exactly 0 slots and 0 chunk bytes allocated by the measured operations.
// - `client.v<4|5>.<sizes>.kept.{slots,chunk-bytes,device-bytes}`: what the client keeps: live after a
//   collection while connected (after the workload), minus the same once it is closed and dropped. The
//   platform is the app's and stays; the transport the client opened is the client's and goes.
import { encodePacket } from "../../src/codec/index";
import { MqttClient, type PublishOptions } from "../../src/client/index";
import type { EngineConfig } from "../../src/engine/index";
import { measure, type Cost } from "../../tools/xs/measure";
import { xsHost } from "../../tools/xs/xs-globals";
import { ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { FakePlatform } from "./fake-platform";
import { check, checkEqual, recordAllocationFree, type CaseContext, type XsCase } from "./support/xs-case";

export const FOOTPRINT_TOPIC = "devices/sensor-1/sensors/temperature";
export const FOOTPRINT_FILTER = "devices/+/sensors/temperature";
export const FOOTPRINT_PAYLOADS = [16, 64, 256] as const;
export const FOOTPRINT_OPERATIONS = ["qos0-publish", "qos1-publish-puback", "qos0-receive"] as const;
/** Measured operations per figure, after measure()'s warm-up: the workload's 20 of each. */
const OPERATIONS = 20;
const QOS0: PublishOptions = { qos: 0 };
const QOS1: PublishOptions = { qos: 1 };

export interface FootprintConfig {
  version: 4 | 5;
  sizes: "esp8266" | "default";
}

export const FOOTPRINT_CONFIGS: readonly FootprintConfig[] = [
  { version: 4, sizes: "esp8266" }, { version: 5, sizes: "esp8266" },
  { version: 4, sizes: "default" }, { version: 5, sizes: "default" },
];

export function footprintPrefix(c: FootprintConfig): string {
  return `client.v${c.version}.${c.sizes}`;
}

// The app's listeners and what they count: module-level, so that what the client keeps does not include a
// closure the test made (a closure holds its whole scope).
const heard = { connects: 0, messages: 0, bytes: 0 };
function onConnect(): void { heard.connects++; }
function onMessage(topic: string, payload: Uint8Array): void {
  heard.messages++;
  heard.bytes += payload.length;
  void topic;
}

/** The client under test with its platform and the server's side of the script. */
interface Session {
  platform: FakePlatform;
  client: MqttClient | undefined;
  version: 4 | 5;
  /** The last packet identifier the client allocated: it hands them out in turn (packet-ids.ts). */
  lastId: number;
}

function payloadOf(size: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = 0x30 + (i % 10);
  return payload;
}

function encoded(session: Session, packet: Parameters<typeof encodePacket>[0]): Uint8Array {
  const out = new Uint8Array(600);
  const n = encodePacket(packet, session.version, out, 0);
  check(n > 0, "server packet encoded");
  return out.slice(0, n);
}

/** Creates the client, connects it (CONNACK) and subscribes to one filter (SUBACK). */
function start(session: Session, sizes: EngineConfig | undefined): void {
  const platform = session.platform;
  const client = new MqttClient({
    platform, host: "127.0.0.1", clientId: "sensor-1", keepalive: 60, protocolVersion: session.version, engine: sizes,
  });
  session.client = client;
  client.on("connect", onConnect);
  client.on("message", onMessage);
  const connects = heard.connects;
  client.connect();
  platform.opened();
  platform.feed(encoded(session, { type: 2, sessionPresent: false, reasonCode: 0 }));
  checkEqual(heard.connects, connects + 1, "connect events");
  const token = client.subscribe(FOOTPRINT_FILTER, { qos: 0 });
  check(token > 0, "subscribe token");
  session.lastId = 1;
  platform.feed(encoded(session, { type: 9, packetId: 1, reasonCodes: [0] }));
}

/** The three steady-state operations with a `size`-byte payload, each measured allocation-free. */
function workload(context: CaseContext, session: Session, prefix: string, size: number): void {
  const client = session.client!;
  const platform = session.platform;
  const payload = payloadOf(size);
  const puback = new Uint8Array([0x40, 2, 0, 0]);
  const inbound = encoded(session, { type: 3, topic: FOOTPRINT_TOPIC, qos: 0, retain: false, dup: false, packetId: 0, payload: payloadOf(size) });
  const inboundLength = inbound.length;
  const key = `${prefix}.p${size}`;

  recordAllocationFree(context, `${key}.qos0-publish`, measure(() => {
    client.publish(FOOTPRINT_TOPIC, payload, QOS0);
  }, OPERATIONS));

  recordAllocationFree(context, `${key}.qos1-publish-puback`, measure(() => {
    client.publish(FOOTPRINT_TOPIC, payload, QOS1);
    const id = session.lastId = session.lastId === 65535 ? 1 : session.lastId + 1;
    puback[2] = id >> 8;
    puback[3] = id & 0xff;
    platform.feed(puback, 4);
  }, OPERATIONS));
  checkEqual(client.engine.inflightCount, 0, "QoS 1 publishes in flight after their PUBACKs");

  const messages = heard.messages;
  const receive = measure(() => {
    platform.feed(inbound, inboundLength);
  }, OPERATIONS);
  if (size <= COPY_LOOP_LIMIT) recordAllocationFree(context, `${key}.qos0-receive`, receive);
  else recordCopyViews(context, `${key}.qos0-receive`, receive);
  checkEqual(heard.messages - messages, 50 + OPERATIONS, "messages delivered to the listener");
}

/** Bytes up to which the codec's copyBytes copies with a JavaScript loop (src/codec/writer.ts). */
const COPY_LOOP_LIMIT = 128;
/** Slots of the one subarray view that copyBytes makes above COPY_LOOP_LIMIT (a Uint8Array view: 4 slots). */
const COPY_VIEW_SLOTS = 4;

/**
 * A received PUBLISH whose body is longer than COPY_LOOP_LIMIT is copied into the receive buffer through a
 * temporary subarray view: one view per message, the only allocation on the receive path (issue 17 asks
 * for none). Held to exactly that, so the figure shows when it changes either way.
 */
function recordCopyViews(context: CaseContext, key: string, cost: Cost): void {
  context.record(key, cost);
  checkEqual(cost.slots, COPY_VIEW_SLOTS * cost.operations, `${key}: slots allocated over ${cost.operations} operations (one copy view each)`);
  checkEqual(cost.chunkBytes, 0, `${key}: chunk bytes allocated over ${cost.operations} operations`);
}

/** end(), the transport's close, and the client is dropped. */
function stop(session: Session): void {
  const client = session.client!;
  client.end();
  session.platform.settle();
  check(session.platform.transport === undefined, "transport closed");
  check(!session.platform.timerArmed, "no timer armed once ended");
  session.client = undefined;
}

function footprintCase(config: FootprintConfig): XsCase {
  const prefix = footprintPrefix(config);
  return {
    name: `MQTT ${config.version === 4 ? "3.1.1" : "5"} client with ${config.sizes} sizes publishes QoS 0 and QoS 1 and receives QoS 0 allocation-free, and keeps what it keeps while connected`,
    run(context) {
      const session: Session = { platform: new FakePlatform(), client: undefined, version: config.version, lastId: 0 };
      start(session, config.sizes === "esp8266" ? ESP8266_ENGINE_CONFIG : undefined);
      // 64 bytes last: the client holds the last payload it published until the next one (the reused
      // PublishPacket), so what it keeps is measured with the workload's own 64-byte payload.
      for (const size of [16, 256, 64]) workload(context, session, prefix, size);
      // Counts are read into plain numbers (no object) before anything is noted: printing allocates.
      const xs = xsHost();
      xs.gc();
      const connectedSlots = xs.slotsInUse();
      const connectedChunks = xs.chunkBytes();
      stop(session);
      xs.gc();
      const slots = connectedSlots - xs.slotsInUse();
      const chunks = connectedChunks - xs.chunkBytes();
      context.note(`${prefix}.kept.slots`, slots);
      context.note(`${prefix}.kept.chunk-bytes`, chunks);
      context.note(`${prefix}.kept.device-bytes`, 16 * slots + chunks);
    },
  };
}

export const clientFootprintCases: XsCase[] = FOOTPRINT_CONFIGS.map(footprintCase);
