// End-to-end publish throughput against mosquitto on loopback: our client, MQTT.js, and a raw socket writer
// that sends pre-encoded PUBLISH bytes (the practical limit of the broker and the loopback path).
//
// Messages count when a subscriber receives them, not when a publisher writes them. The subscriber is a
// small raw-socket counter in a worker thread, the same for every publisher, so it costs each side alike.
// Each case runs `ROUNDS` times, interleaved with the others, and its best round counts (other processes
// share the machine).
//
//   npm run bench:e2e            N=50000 per round; E2E_N, E2E_ROUNDS override; E2E_ONLY_OURS=1 to profile ours
import { Worker } from "node:worker_threads";
import { connect as netConnect, type Socket } from "node:net";
import mqtt from "mqtt";
import { startMosquitto, type Mosquitto } from "../tools/broker/mosquitto";
import { MqttClient, type PublishOptions } from "../src/client/index";
import { NodePlatform } from "../src/platform/host/index";

const N = Number(process.env.E2E_N ?? 50_000);
const ROUNDS = Number(process.env.E2E_ROUNDS ?? 5);
const TOPIC = "bench/e2e";
const PAYLOAD = new Uint8Array(64).fill(0x61);
const ROUND_TIMEOUT_MS = 60_000;
const ONLY_OURS = process.env.E2E_ONLY_OURS === "1";
/** Our in-flight QoS 1 window (the broker announces 65535). */
const INFLIGHT = Number(process.env.E2E_INFLIGHT ?? 1024);

type QoS = 0 | 1;
/** Starts publishing `n` messages; resolves when the publisher has handed them all over (not when received). */
type Publisher = { name: string; run(n: number, qos: QoS): Promise<void>; close(): Promise<void> };

// ---- the subscriber: plain JavaScript so the worker needs no TypeScript loader ---------------------------
const SUBSCRIBER = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const topic = Buffer.from(workerData.topic);
const id = Buffer.from("bench-e2e-sub");
const connect = Buffer.concat([Buffer.from([0x10, 12 + id.length, 0, 4]), Buffer.from("MQTT"),
  Buffer.from([4, 2, 0, 60, 0, id.length]), id]);
const subscribe = Buffer.concat([Buffer.from([0x82, 5 + topic.length, 0, 1, 0, topic.length]), topic, Buffer.from([0])]);
let count = 0, target = Infinity, carry = null, subscribed = false;
const socket = net.connect(workerData.port, "127.0.0.1", () => socket.write(Buffer.concat([connect, subscribe])));
socket.setNoDelay(true);
socket.on("data", (chunk) => {
  let b = carry ? Buffer.concat([carry, chunk]) : chunk;
  carry = null;
  let i = 0;
  while (i < b.length) {
    // fixed header: type, then the remaining length as a variable byte integer
    let len = 0, mul = 1, j = i + 1, complete = false;
    while (j < b.length) { const d = b[j++]; len += (d & 127) * mul; mul *= 128; if (d < 128) { complete = true; break; } }
    if (!complete || j + len > b.length) break;
    const type = b[i] >> 4;
    if (type === 3) count++;
    else if (type === 9 && !subscribed) { subscribed = true; parentPort.postMessage({ ready: true }); }
    i = j + len;
  }
  if (i < b.length) carry = b.subarray(i);
  if (count >= target) { target = Infinity; parentPort.postMessage({ done: count }); }
});
socket.on("error", (e) => parentPort.postMessage({ error: String(e) }));
parentPort.on("message", (m) => {
  if (m.expect !== undefined) { count = 0; target = m.expect; parentPort.postMessage({ armed: true }); }
  if (m.count) parentPort.postMessage({ count });
});
`;

class Subscriber {
  private readonly worker: Worker;
  private waiting: ((m: Record<string, unknown>) => void)[] = [];

  constructor(port: number) {
    this.worker = new Worker(SUBSCRIBER, { eval: true, workerData: { port, topic: TOPIC } });
    this.worker.on("message", (m: Record<string, unknown>) => {
      if (m.error) throw new Error(`subscriber: ${m.error}`);
      this.waiting.shift()?.(m);
    });
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  ready(): Promise<unknown> {
    return this.next();
  }

  /** Arms the counter for `n` messages; `arrived` resolves when they have all come in. */
  async expect(n: number): Promise<{ arrived: Promise<unknown> }> {
    const armed = this.next();
    this.worker.postMessage({ expect: n });
    await armed;
    return { arrived: this.next() }; // wrapped: an async function would otherwise wait for it
  }

  async count(): Promise<number> {
    const reply = this.next();
    this.worker.postMessage({ count: true });
    return (await reply).count as number;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---- MQTT PUBLISH bytes, for the raw writer -------------------------------------------------------------
function publishPacket(packetId: number, qos: QoS): Uint8Array {
  const topic = new TextEncoder().encode(TOPIC);
  const remaining = 2 + topic.length + (qos ? 2 : 0) + 1 + PAYLOAD.length; // + property length 0 (MQTT 5)
  const out = new Uint8Array(2 + remaining);
  let i = 0;
  out[i++] = 0x30 | (qos << 1);
  out[i++] = remaining; // < 128 for this topic and payload
  out[i++] = 0;
  out[i++] = topic.length;
  out.set(topic, i);
  i += topic.length;
  if (qos) {
    out[i++] = packetId >> 8;
    out[i++] = packetId & 0xff;
  }
  out[i++] = 0;
  out.set(PAYLOAD, i);
  return out;
}

function rawConnect(port: number): Promise<Socket> {
  const id = new TextEncoder().encode("bench-e2e-raw");
  const connect = Uint8Array.of(0x10, 13 + id.length, 0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 2, 0, 60, 0, 0, id.length, ...id);
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, "127.0.0.1", () => socket.write(connect));
    socket.setNoDelay(true);
    socket.once("data", (d) => (d[0] === 0x20 ? resolve(socket) : reject(new Error("raw: no CONNACK"))));
    socket.once("error", reject);
  });
}

async function rawPublisher(port: number): Promise<Publisher> {
  const socket = await rawConnect(port);
  const one = publishPacket(0, 0);
  return {
    name: "raw tcp",
    async run(n) {
      // Every PUBLISH encoded before the clock starts: what is timed is the socket and the broker.
      const all = Buffer.allocUnsafe(one.length * n);
      for (let k = 0; k < n; k++) all.set(one, k * one.length);
      socket.write(all);
    },
    close: async () => void socket.destroy(),
  };
}

async function mqttJsPublisher(port: number): Promise<Publisher> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 5, clientId: "bench-e2e-mqttjs", reconnectPeriod: 0,
  });
  const payload = Buffer.from(PAYLOAD);
  return {
    name: "mqtt.js",
    async run(n, qos) {
      for (let k = 0; k < n; k++) client.publish(TOPIC, payload, { qos });
    },
    close: () => client.endAsync(),
  };
}

// Ours: the public MqttClient over our Node platform, publishing a window of one reused payload with one
// reused options object. publishWindow() returns -1 when the queue is full: wait for `writable` (the socket
// drained) or `publishDone` (a PUBACK made room in the QoS 1 window).
function oursPublisher(port: number): Promise<Publisher> {
  const client = new MqttClient({
    platform: new NodePlatform(),
    host: "127.0.0.1",
    port,
    clientId: "bench-e2e-ours",
    keepalive: 60,
    reconnectPeriod: 0,
    engine: { transmitBufferSize: 64 * 1024, maxInflight: INFLIGHT, queueLimit: 1024, queueByteLimit: 256 * 1024 },
  });
  let target = 0;
  let sent = 0;
  const options: PublishOptions = { qos: 0, retain: false };
  const pump = (): void => {
    while (sent < target && client.publishWindow(TOPIC, PAYLOAD, 0, PAYLOAD.length, options) >= 0) sent++;
  };
  client.on("writable", pump);
  client.on("publishDone", pump);
  const open = new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  client.connect();
  return open.then(() => ({
    name: "ours",
    async run(n, q) {
      target += n;
      options.qos = q;
      pump();
    },
    close: async () => void client.end(),
  }));
}

// ---- the measurement ----------------------------------------------------------------------------------
interface Result {
  rate: number;
  received: number;
  ms: number;
  /** Main-thread busy time per message: the publisher's own cost (the subscriber runs in a worker). */
  busyUs: number;
}

async function round(subscriber: Subscriber, publisher: Publisher, qos: QoS): Promise<Result> {
  const { arrived } = await subscriber.expect(N);
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await publisher.run(N, qos);
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ROUND_TIMEOUT_MS).unref());
  const outcome = await Promise.race([arrived, timeout]);
  const ms = performance.now() - t0;
  const busyMs = performance.eventLoopUtilization(elu0).active;
  const received = outcome === "timeout" ? await subscriber.count() : N;
  return { rate: (received / ms) * 1000, received, ms, busyUs: (busyMs * 1000) / N };
}

interface Case {
  publisher: Publisher;
  qos: QoS;
  top?: Result;
}

function report(c: Case): number {
  const top = c.top!;
  const lost = top.received < N ? ` (only ${top.received}/${N} arrived)` : "";
  const rate = Math.round(top.rate).toString().padStart(8);
  const busy = top.busyUs.toFixed(2).padStart(6);
  console.log(`${c.publisher.name.padEnd(8)} qos${c.qos}: ${rate} msgs/s   publisher busy ${busy} us/msg${lost}`);
  return top.rate;
}

// Rounds interleave the cases (one of each, then again) so that load from other processes falls on every
// case alike; each case keeps its best round.
async function measure(subscriber: Subscriber, cases: Case[]): Promise<number[]> {
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const result = await round(subscriber, c.publisher, c.qos);
      if (!c.top || result.rate > c.top.rate) c.top = result;
    }
  }
  return cases.map(report);
}

async function main(): Promise<void> {
  // No limits between publisher and subscriber: the broker queues what the subscriber has not read yet.
  const broker: Mosquitto = await startMosquitto({
    settings: { max_queued_messages: 0, max_inflight_messages: 0, max_queued_bytes: 0 },
  });
  const subscriber = new Subscriber(broker.port);
  const publishers: Publisher[] = [];
  try {
    await subscriber.ready();
    console.log(`e2e: ${N} PUBLISH of ${PAYLOAD.length} B per round, best of ${ROUNDS}, mosquitto on 127.0.0.1:${broker.port}`);
    const ours = await oursPublisher(broker.port);
    publishers.push(ours);
    if (ONLY_OURS) {
      // E2E_ONLY_OURS=1 (for profiling our side): no reference sides, no ratios.
      await measure(subscriber, [{ publisher: ours, qos: 0 }, { publisher: ours, qos: 1 }]);
      return;
    }
    const raw = await rawPublisher(broker.port);
    const js = await mqttJsPublisher(broker.port);
    publishers.push(raw, js);
    const [rawQos0, jsQos0, oursQos0, jsQos1, oursQos1] = await measure(subscriber, [
      { publisher: raw, qos: 0 },
      { publisher: js, qos: 0 },
      { publisher: ours, qos: 0 },
      { publisher: js, qos: 1 },
      { publisher: ours, qos: 1 },
    ]) as [number, number, number, number, number];
    console.log(`e2e qos0 vs mqtt.js: ${(oursQos0 / jsQos0).toFixed(2)}x`);
    console.log(`e2e qos1 vs mqtt.js: ${(oursQos1 / jsQos1).toFixed(2)}x`);
    console.log(`e2e qos0 vs raw tcp: ${(oursQos0 / rawQos0).toFixed(2)}`);
  } catch (error) {
    console.error(broker.log);
    throw error;
  } finally {
    for (const p of publishers) await p.close();
    await subscriber.close();
    await broker.close();
  }
}

await main();
