// `mqtt5-xs bench`: N publishing clients at a total rate and M subscribers against a broker, like
// emqtt-bench: a progress line every second (msgs/s, latency percentiles, errors) and a summary at the end.
// Each payload carries its send time (float64 ms, this process's monotonic clock) in its first 8 bytes, so a
// subscriber in the same process measures the end-to-end latency through the broker.
import { randomBytes } from "node:crypto";
import { type Command, InvalidArgumentError } from "commander";
import type { AsyncMqttClient } from "../../../client/async-client";
import type { PublishOptions } from "../../../client/mqtt-client";
import type { QoS } from "../../../codec/packet";
import { type CliIo } from "./cli-io";
import { BenchStats, type LatencySummary } from "./bench-stats";
import { addConnectionFlags, integer, qos, toClientOptions, type ClientSetup, type ConnectionFlags } from "./connection-flags";
import { openSession } from "./session";

export interface BenchFlags extends ConnectionFlags {
  clients: number;
  subscribers: number;
  rate: number;
  size: number;
  qos: QoS;
  topic: string;
  duration: number;
  json?: boolean;
}

const TIMESTAMP_BYTES = 8;
/** How often the scheduler publishes what has become due. */
const TICK_MS = 10;
/** After the last publish, how long the subscribers get to receive what is still on its way. */
const DRAIN_MS = 2000;
/** Messages a publisher may hold back while its broker lags (in flight is the broker's Receive Maximum). */
const QUEUED = 1024;

export function addBenchCommand(program: Command, run: (flags: BenchFlags) => Promise<void>): void {
  const command = program.command("bench").description("publish and subscribe at a rate with many clients; print msgs/s and latency (like emqtt-bench)");
  addConnectionFlags(command)
    .option("-n, --clients <n>", "publishing clients", integer(1, 10_000), 10)
    .option("--subscribers <n>", "subscribing clients (each receives every message)", integer(0, 1000), 1)
    .option("-R, --rate <msgs/s>", "messages per second, all publishers together", integer(1, 10_000_000), 1000)
    .option("-s, --size <bytes>", `payload size (at least ${TIMESTAMP_BYTES}: the send time)`, integer(TIMESTAMP_BYTES, 268_435_455), 64)
    .option("-q, --qos <qos>", "QoS 0, 1 or 2", qos, 0)
    .option("-t, --topic <template>", "topic; %i is the client number, %r this run's id", "mqtt5-xs/bench/%r/%i")
    .option("-d, --duration <seconds>", "how long to publish (0: until Ctrl-C)", integer(0, 1e7), 10)
    .option("-j, --json", "progress and summary as JSON lines")
    .action((flags: BenchFlags) => run(flags));
}

export async function runBench(flags: BenchFlags, io: CliIo): Promise<void> {
  const base = await toClientOptions(flags, "");
  const runId = randomBytes(3).toString("hex");
  const topicOf = (i: number | "+") => flags.topic.replaceAll("%r", runId).replaceAll("%i", String(i));
  if (flags.subscribers > 0 && !flags.topic.includes("%i") && flags.clients > 1) {
    io.stderr.write("mqtt5-xs bench: every publisher uses the same topic (no %i in -t)\n");
  }
  // Room for bursts (the engine's defaults are a device's: 1 KB buffers, 32 queued messages): a publisher
  // whose broker lags queues up to QUEUED messages before publish() reports the queue full.
  const packet = flags.size + 3 * flags.topic.length + 64;
  base.options.engine = {
    transmitBufferSize: Math.max(16_384, 8 * packet),
    receiveBufferSize: Math.max(1024, packet),
    queueLimit: QUEUED,
    queueByteLimit: QUEUED * packet,
  };
  const stats = new BenchStats();
  const sessions: AsyncMqttClient[] = [];
  const prefix = flags.id ?? `mqtt5-xs-bench-${runId}`;
  try {
    for (let i = 0; i < flags.subscribers; i++) {
      const session = await openSession(asSubscriber(withClientId(base, `${prefix}-sub-${i}`)));
      sessions.push(session);
      watchErrors(session, stats);
      session.client.on("message", (_topic, payload) => {
        stats.received++;
        if (payload.length >= TIMESTAMP_BYTES) {
          const sentAt = new DataView(payload.buffer, payload.byteOffset, TIMESTAMP_BYTES).getFloat64(0);
          stats.recordLatency(performance.now() - sentAt);
        }
      });
      const { reasonCodes } = await session.subscribeAsync(topicOf("+"), { qos: flags.qos });
      if (reasonCodes[0]! >= 0x80) throw new InvalidArgumentError(`the broker refused the subscription to ${topicOf("+")} (0x${reasonCodes[0]!.toString(16)})`);
    }
    const publishers: AsyncMqttClient[] = [];
    for (let i = 0; i < flags.clients; i++) {
      const session = await openSession(withClientId(base, `${prefix}-pub-${i}`));
      sessions.push(session);
      publishers.push(session);
      watchErrors(session, stats);
      session.client.on("publishDone", (_token, code) => (code < 0x80 ? stats.acknowledged++ : stats.refused++));
    }
    io.stdout.write(flags.json
      ? JSON.stringify({ type: "start", run: runId, publishers: flags.clients, subscribers: flags.subscribers, rate: flags.rate, qos: flags.qos, size: flags.size, topic: topicOf(0) }) + "\n"
      : `bench ${runId}: ${count(flags.clients, "publisher")}, ${count(flags.subscribers, "subscriber")}, ${flags.rate} msgs/s, QoS ${flags.qos}, ${flags.size}-byte payloads to ${base.where}\n`);
    const elapsed = await publishAtRate(publishers, topicOf, flags, stats, io);
    await drain(stats, flags, io);
    printSummary(stats, flags, elapsed, io);
  } finally {
    await Promise.all(sessions.map((s) => s.endAsync()));
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A subscriber lets the broker have many messages in flight to it (Receive Maximum), so it keeps up with
 * the publishers together instead of leaving mosquitto to queue and, past its queue limit, drop. */
function asSubscriber(setup: ClientSetup): ClientSetup {
  const properties = { ...setup.options.properties, receiveMaximum: setup.options.properties?.receiveMaximum ?? 65_535 };
  return { ...setup, options: { ...setup.options, properties } };
}

function withClientId(setup: ClientSetup, clientId: string): ClientSetup {
  return { ...setup, options: { ...setup.options, clientId } };
}

function watchErrors(session: AsyncMqttClient, stats: BenchStats): void {
  session.client.on("error", () => stats.connectionErrors++);
}

/** Publishes round-robin what is due at `rate` every TICK_MS, prints progress every second; returns seconds spent. */
function publishAtRate(publishers: AsyncMqttClient[], topicOf: (i: number) => string, flags: BenchFlags, stats: BenchStats, io: CliIo): Promise<number> {
  const payloads = publishers.map(() => new Uint8Array(flags.size));
  const views = payloads.map((p) => new DataView(p.buffer));
  const topics = publishers.map((_, i) => topicOf(i));
  const options: PublishOptions = { qos: flags.qos };
  const start = performance.now();
  let attempted = 0;
  let next = 0;
  let second = 0;
  return new Promise((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const due = Math.floor(((now - start) / 1000) * flags.rate);
      while (attempted < due) {
        const i = next;
        next = (next + 1) % publishers.length;
        attempted++;
        views[i]!.setFloat64(0, performance.now());
        const result = publishers[i]!.client.publish(topics[i]!, payloads[i]!, options);
        if (result < 0) stats.queueFull++;
        else stats.sent++;
      }
      if (now - start >= (second + 1) * 1000) printProgress(++second, stats, flags, io);
      if (flags.duration > 0 && now - start >= flags.duration * 1000) finish();
    }, TICK_MS);
    const finish = () => {
      clearInterval(tick);
      io.stop.removeEventListener("abort", finish);
      resolve((performance.now() - start) / 1000);
    };
    io.stop.addEventListener("abort", finish);
  });
}

/** Waits until every subscriber has what was sent (QoS 0 may lose some: then until DRAIN_MS). */
async function drain(stats: BenchStats, flags: BenchFlags, io: CliIo): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  const complete = () => stats.received >= stats.sent * flags.subscribers && (flags.qos === 0 || stats.acknowledged + stats.refused >= stats.sent);
  while (!complete() && performance.now() < deadline && !io.stop.aborted) await new Promise((r) => setTimeout(r, 20));
}

function printProgress(second: number, stats: BenchStats, flags: BenchFlags, io: CliIo): void {
  const { sent, received, latency } = stats.takeInterval();
  if (flags.json) {
    io.stdout.write(JSON.stringify({ type: "progress", second, sentPerSecond: sent, receivedPerSecond: received, latencyMs: latency ?? null, errors: stats.errors }) + "\n");
    return;
  }
  const lat = latency ? `latency p50 ${latency.p50} p99 ${latency.p99} max ${latency.max} ms` : "latency -";
  io.stdout.write(`${String(second).padStart(5)}s  sent ${sent}/s  received ${received}/s  ${lat}  errors ${stats.errors}\n`);
}

function printSummary(stats: BenchStats, flags: BenchFlags, seconds: number, io: CliIo): void {
  const expected = stats.sent * flags.subscribers;
  const latency: LatencySummary | undefined = stats.latency();
  const summary = {
    type: "summary",
    seconds: Math.round(seconds * 10) / 10,
    sent: stats.sent,
    acknowledged: flags.qos === 0 ? null : stats.acknowledged,
    received: stats.received,
    expected,
    sentPerSecond: Math.round(stats.sent / seconds),
    receivedPerSecond: Math.round(stats.received / seconds),
    latencyMs: latency ?? null,
    errors: { refused: stats.refused, queueFull: stats.queueFull, connection: stats.connectionErrors },
  };
  if (flags.json) {
    io.stdout.write(JSON.stringify(summary) + "\n");
    return;
  }
  const lines = [
    `summary: ${summary.seconds} s`,
    `  sent      ${stats.sent} (${summary.sentPerSecond}/s)${flags.qos === 0 ? "" : `, acknowledged ${stats.acknowledged}`}`,
    `  received  ${stats.received} of ${expected} expected (${summary.receivedPerSecond}/s)`,
    `  latency   ${latency ? `p50 ${latency.p50}, p90 ${latency.p90}, p99 ${latency.p99}, p99.9 ${latency.p999}, max ${latency.max} ms` : "-"}`,
    `  errors    ${stats.errors} (refused ${stats.refused}, queue full ${stats.queueFull}, connection ${stats.connectionErrors})`,
  ];
  io.stdout.write(lines.join("\n") + "\n");
}
