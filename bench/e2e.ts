// End-to-end publish throughput against mosquitto on loopback: our client, MQTT.js, and a raw socket writer
// that sends pre-encoded PUBLISH bytes (the practical limit of the broker and the loopback path); then, on a
// broker of their own, our client and MQTT.js over WebSocket (mosquitto's `protocol websockets`) at QoS 1.
//
// Messages count when a subscriber receives them, not when a publisher writes them. The subscriber is a
// small raw-socket counter in a child process, the same for every publisher, so it costs each side alike and
// this process's CPU time is the publisher's own. Each case runs `ROUNDS` times, interleaved with the others,
// and its best round counts (other processes share the machine). Next to the rate, each case prints the
// publisher's CPU time per message and the broker's share of one core during the round: a broker near 100 %
// is the ceiling, whatever the publisher.
//
//   npm run bench:e2e            N=50000 per round; E2E_N, E2E_ROUNDS override; E2E_ONLY_OURS=1 to profile ours
//                              (E2E_QOS=0 or 1 with it: that QoS only); E2E_TRACE=1 times each round
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
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
/** E2E_TRACE=1: each round's wall time as it ends (to find a round that waits out its timeout). */
const TRACE = process.env.E2E_TRACE === "1";
/** Our in-flight QoS 1 window (the broker announces 65535). */
const INFLIGHT = Number(process.env.E2E_INFLIGHT ?? 1024);

type QoS = 0 | 1;
/** Starts publishing `n` messages; resolves when the publisher has handed them all over (not when received). */
type Publisher = {
  name: string;
  /** Work done before the clock starts (the raw writer encodes everything here). */
  prepare?(n: number, qos: QoS): void;
  run(n: number, qos: QoS): Promise<void>;
  close(): Promise<void>;
};

// ---- the subscriber: plain JavaScript run by `node -e`, talking to us over the IPC channel -------------
const SUBSCRIBER = `
const net = require("node:net");
const [port, topicText] = process.argv.slice(1);
const topic = Buffer.from(topicText);
const id = Buffer.from("bench-e2e-sub");
const connect = Buffer.concat([Buffer.from([0x10, 12 + id.length, 0, 4]), Buffer.from("MQTT"),
  Buffer.from([4, 2, 0, 60, 0, id.length]), id]);
const subscribe = Buffer.concat([Buffer.from([0x82, 5 + topic.length, 0, 1, 0, topic.length]), topic, Buffer.from([0])]);
let count = 0, target = Infinity, carry = null, subscribed = false;
const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(Buffer.concat([connect, subscribe])));
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
    else if (type === 9 && !subscribed) { subscribed = true; process.send({ ready: true }); }
    i = j + len;
  }
  if (i < b.length) carry = b.subarray(i);
  if (count >= target) { target = Infinity; process.send({ done: count }); }
});
socket.on("error", (e) => process.send({ error: String(e) }));
process.on("message", (m) => {
  if (m.expect !== undefined) { count = 0; target = m.expect; process.send({ armed: true }); }
  if (m.count) process.send({ count });
  if (m.exit) process.exit(0);
});
`;

class Subscriber {
  private readonly child: ChildProcess;
  /** One waiter per kind of reply (ready, armed, done, count): a round that timed out leaves its "done"
   * waiter behind, and a count() reply must not be taken for it. */
  private readonly waiting = new Map<string, (m: Record<string, unknown>) => void>();

  constructor(port: number) {
    this.child = spawn(process.execPath, ["-e", SUBSCRIBER, String(port), TOPIC], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child.on("message", (m: Record<string, unknown>) => {
      if (m.error) throw new Error(`subscriber: ${m.error}`);
      for (const kind of Object.keys(m)) {
        const waiter = this.waiting.get(kind);
        this.waiting.delete(kind);
        waiter?.(m);
      }
    });
  }

  private next(kind: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.set(kind, resolve));
  }

  ready(): Promise<unknown> {
    return this.next("ready");
  }

  /** Arms the counter for `n` messages; `arrived` resolves when they have all come in. */
  async expect(n: number): Promise<{ arrived: Promise<unknown> }> {
    const armed = this.next("armed");
    this.child.send({ expect: n });
    await armed;
    return { arrived: this.next("done") }; // wrapped: an async function would otherwise wait for it
  }

  async count(): Promise<number> {
    const reply = this.next("count");
    this.child.send({ count: true });
    return (await reply).count as number;
  }

  close(): void {
    if (this.child.connected) this.child.send({ exit: true });
  }
}

/** CPU seconds a process has used (user + system), from /proc; undefined where there is no /proc. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
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

// QoS 1 from the raw writer ignores the PUBACKs (read and dropped): the QoS 1 ceiling of broker and loopback.
async function rawPublisher(port: number): Promise<Publisher> {
  const socket = await rawConnect(port);
  socket.on("data", () => {});
  let prepared: Buffer | undefined;
  return {
    name: "raw tcp",
    prepare(n, qos) {
      // Every PUBLISH encoded before the clock starts: what is timed is the socket and the broker.
      const one = publishPacket(0, qos);
      const idAt = one.length - PAYLOAD.length - 3; // the packet id, before the property length 0
      prepared = Buffer.allocUnsafe(one.length * n);
      for (let k = 0; k < n; k++) {
        prepared.set(one, k * one.length);
        if (qos === 0) continue;
        const id = (k % 65535) + 1;
        prepared[k * one.length + idAt] = id >> 8;
        prepared[k * one.length + idAt + 1] = id & 0xff;
      }
    },
    async run() {
      socket.write(prepared!);
    },
    close: async () => void socket.destroy(),
  };
}

async function mqttJsPublisher(port: number, websocket = false): Promise<Publisher> {
  const url = websocket ? `ws://127.0.0.1:${port}/mqtt` : `mqtt://127.0.0.1:${port}`;
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5, clientId: `bench-e2e-mqttjs${websocket ? "-ws" : ""}`, reconnectPeriod: 0,
  });
  const payload = Buffer.from(PAYLOAD);
  return {
    name: websocket ? "mqtt.js ws" : "mqtt.js",
    async run(n, qos) {
      for (let k = 0; k < n; k++) client.publish(TOPIC, payload, { qos });
    },
    close: () => client.endAsync(),
  };
}

// Ours: the public MqttClient over our Node platform, publishing a window of one reused payload with one
// reused options object. publishWindow() returns -1 when the queue is full: wait for `writable` (the socket
// drained) or `publishDone` (a PUBACK made room in the QoS 1 window).
function oursPublisher(port: number, websocket = false): Promise<Publisher> {
  const client = new MqttClient({
    platform: new NodePlatform(),
    host: "127.0.0.1",
    port,
    websocket,
    clientId: `bench-e2e-ours${websocket ? "-ws" : ""}`,
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
    name: websocket ? "ours ws" : "ours",
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
  /** This process's CPU time (user + system, every thread) per message: the publisher's own cost. */
  cpuUs: number;
  /** The broker's CPU time over the round's wall time, in % of one core (NaN without /proc). */
  brokerPct: number;
}

async function round(subscriber: Subscriber, publisher: Publisher, qos: QoS, brokerPid: number | undefined): Promise<Result> {
  publisher.prepare?.(N, qos);
  const { arrived } = await subscriber.expect(N);
  const broker0 = processCpuSeconds(brokerPid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await publisher.run(N, qos);
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ROUND_TIMEOUT_MS).unref());
  const outcome = await Promise.race([arrived, timeout]);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const broker1 = processCpuSeconds(brokerPid);
  const received = outcome === "timeout" ? await subscriber.count() : N;
  const brokerPct = broker0 === undefined || broker1 === undefined ? NaN : ((broker1 - broker0) * 1e5) / ms;
  return { rate: (received / ms) * 1000, received, cpuUs: (cpu.user + cpu.system) / N, brokerPct };
}

interface Case {
  publisher: Publisher;
  qos: QoS;
  results: Result[];
}

interface Summary {
  /** msgs/s of the best round (other processes only ever slow a round down). */
  rate: number;
  /** Median over the rounds. */
  cpuUs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(c: Case): Summary {
  const top = c.results.reduce((a, b) => (b.rate > a.rate ? b : a));
  const cpuUs = median(c.results.map((r) => r.cpuUs));
  const lost = top.received < N ? ` (only ${top.received}/${N} arrived)` : "";
  const rate = Math.round(top.rate).toString().padStart(8);
  const cpu = cpuUs.toFixed(2).padStart(6);
  const broker = Number.isNaN(top.brokerPct) ? "" : `   broker ${Math.round(top.brokerPct).toString().padStart(3)} % of a core`;
  console.log(`${c.publisher.name.padEnd(10)} qos${c.qos}: ${rate} msgs/s   publisher cpu ${cpu} us/msg${broker}${lost}`);
  return { rate: top.rate, cpuUs };
}

// Rounds interleave the cases (one of each, then again) so that load from other processes falls on every
// case alike.
async function measure(subscriber: Subscriber, cases: Case[], brokerPid: number | undefined): Promise<Summary[]> {
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const started = performance.now();
      c.results.push(await round(subscriber, c.publisher, c.qos, brokerPid));
      if (TRACE) console.log(`round ${r} ${c.publisher.name} qos${c.qos}: ${(performance.now() - started).toFixed(0)} ms`);
    }
  }
  return cases.map(report);
}

function cases(list: [Publisher, QoS][]): Case[] {
  return list.map(([publisher, qos]) => ({ publisher, qos, results: [] }));
}

/** Runs `body` with a broker that has no limits between publisher and subscriber (it queues what the
 * subscriber has not read yet) and the counting subscriber on its MQTT listener; closes the publishers
 * `body` put in the list, the subscriber and the broker afterwards, and prints the broker's log on failure. */
async function withBroker<T>(websockets: boolean, body: (broker: Mosquitto, subscriber: Subscriber, publishers: Publisher[]) => Promise<T>): Promise<T> {
  const broker = await startMosquitto({
    settings: { max_queued_messages: 0, max_inflight_messages: 0, max_queued_bytes: 0 },
    websockets,
  });
  const subscriber = new Subscriber(broker.port);
  const publishers: Publisher[] = [];
  try {
    await subscriber.ready();
    return await body(broker, subscriber, publishers);
  } catch (error) {
    console.error(broker.log);
    throw error;
  } finally {
    for (const p of publishers) await p.close();
    subscriber.close();
    await broker.close();
  }
}

const main = () => withBroker(false, async (broker, subscriber, publishers) => {
  console.log(`e2e: ${N} PUBLISH of ${PAYLOAD.length} B per round, best of ${ROUNDS}, mosquitto on 127.0.0.1:${broker.port}`);
  const ours = await oursPublisher(broker.port);
  publishers.push(ours);
  if (ONLY_OURS) {
    // E2E_ONLY_OURS=1 (for profiling our side): no reference sides, no ratios.
    const only = process.env.E2E_QOS;
    const qosList: QoS[] = only === "0" ? [0] : only === "1" ? [1] : [0, 1];
    await measure(subscriber, cases(qosList.map((qos) => [ours, qos])), broker.pid);
    return;
  }
  const raw = await rawPublisher(broker.port);
  const js = await mqttJsPublisher(broker.port);
  publishers.push(raw, js);
  const [rawQos0, jsQos0, oursQos0, rawQos1, jsQos1, oursQos1] = await measure(subscriber, cases([
    [raw, 0], [js, 0], [ours, 0], [raw, 1], [js, 1], [ours, 1],
  ]), broker.pid) as [Summary, Summary, Summary, Summary, Summary, Summary];
  const ws = await webSocketCases();
  // What the publisher itself costs, which the broker ceiling does not hide, then the required ratios.
  console.log(`publisher cpu per message, mqtt.js over ours: qos0 ${(jsQos0.cpuUs / oursQos0.cpuUs).toFixed(2)}x, qos1 ${(jsQos1.cpuUs / oursQos1.cpuUs).toFixed(2)}x`);
  console.log(`publisher cpu per message over WebSocket, mqtt.js over ours: qos1 ${(ws.js.cpuUs / ws.ours.cpuUs).toFixed(2)}x`);
  console.log(`ceiling (raw tcp) reached: mqtt.js qos0 ${(jsQos0.rate / rawQos0.rate).toFixed(2)}, qos1 ${(jsQos1.rate / rawQos1.rate).toFixed(2)}; ours qos0 ${(oursQos0.rate / rawQos0.rate).toFixed(2)}, qos1 ${(oursQos1.rate / rawQos1.rate).toFixed(2)}`);
  console.log(`e2e qos0 vs mqtt.js: ${(oursQos0.rate / jsQos0.rate).toFixed(2)}x`);
  console.log(`e2e qos1 vs mqtt.js: ${(oursQos1.rate / jsQos1.rate).toFixed(2)}x`);
  console.log(`e2e qos0 vs raw tcp: ${(oursQos0.rate / rawQos0.rate).toFixed(2)}`);
  console.log(`e2e ws qos1 vs mqtt.js: ${(ws.ours.rate / ws.js.rate).toFixed(2)}x`);
});

// MQTT.js and ours publishing over WebSocket to a broker of their own (same subscriber setup). mosquitto
// 2.0.11 drains what it owes a WebSocket client slowly (README, "MQTT over WebSocket"), and MQTT.js has no
// in-flight window (50,000 QoS 1 at once): with all cases on one broker, the TCP cases' later rounds timed
// out behind that backlog, which must not be charged to them.
const webSocketCases = () => withBroker(true, async (broker, subscriber, publishers) => {
  console.log(`e2e over WebSocket: mosquitto on 127.0.0.1:${broker.wsPort} (protocol websockets)`);
  const js = await mqttJsPublisher(broker.wsPort, true);
  const ours = await oursPublisher(broker.wsPort, true);
  publishers.push(js, ours);
  const [jsSummary, oursSummary] = await measure(subscriber, cases([[js, 1], [ours, 1]]), broker.pid) as [Summary, Summary];
  return { js: jsSummary, ours: oursSummary };
});

await main();
