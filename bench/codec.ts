// Codec benchmark: ours against mqtt-packet (the codec of MQTT.js) on a fixed mix of MQTT 5 packets, in
// the same process, after warm-up. Run with `npm run bench:codec`; method and caveats in bench/README.md.
//
// Paths measured:
// - ours, encode: encodePacket() into one preallocated Uint8Array.
// - ours, decode: PacketDecoder.feed() over the packet's bytes until the packet completes.
// - mqtt-packet, encode: generate(packet, { protocolVersion: 5 }), which returns a new Buffer.
// - mqtt-packet, decode: one long-lived Parser; parse(buffer) until its "packet" event fires.
// Both decoders get the whole packet in one call, the common case for a TCP read.

import * as mqttPacket from "mqtt-packet";
import { encodePacket, encodedLength, PacketDecoder } from "../src/codec/index";
import type { Packet } from "../src/codec/index";
import { toMqttPacket, type MqttPacketObject } from "../host-tests/support/mqtt-packet-adapter";

const VERSION = 5;

function bytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 37 + 11) & 0xff;
  return out;
}

const MIX: { name: string; packet: Packet }[] = [
  {
    name: "CONNECT with properties",
    packet: {
      type: 1,
      protocolVersion: 5,
      clientId: "sensor-0042",
      cleanStart: true,
      keepAlive: 60,
      username: "device",
      password: bytes(16),
      properties: {
        sessionExpiryInterval: 3600,
        receiveMaximum: 20,
        maximumPacketSize: 65536,
        topicAliasMaximum: 10,
        requestProblemInformation: 1,
        userProperties: [["board", "esp32"]],
      },
    },
  },
  {
    name: "PUBLISH QoS 0, 16 B",
    packet: { type: 3, topic: "t/1", qos: 0, retain: false, dup: false, packetId: 0, payload: bytes(16) },
  },
  {
    name: "PUBLISH QoS 1 + props, 256 B",
    packet: {
      type: 3,
      topic: "home/kitchen/temperature",
      qos: 1,
      retain: false,
      dup: false,
      packetId: 4242,
      payload: bytes(256),
      properties: {
        payloadFormatIndicator: 1,
        messageExpiryInterval: 300,
        contentType: "application/json",
        userProperties: [["unit", "celsius"]],
      },
    },
  },
  {
    name: "PUBLISH 4 KiB",
    packet: { type: 3, topic: "firmware/chunk", qos: 1, retain: false, dup: false, packetId: 7, payload: bytes(4096) },
  },
  {
    name: "SUBSCRIBE 3 filters",
    packet: {
      type: 8,
      packetId: 12,
      subscriptions: [
        { filter: "home/+/temperature", qos: 1 },
        { filter: "alerts/#", qos: 2, retainHandling: 1 },
        { filter: "$share/workers/jobs/+", qos: 0 },
      ],
    },
  },
  { name: "PUBACK", packet: { type: 4, packetId: 42, reasonCode: 0 } },
];

/** Keeps results observable so the JIT cannot drop the work. */
let sink = 0;

interface Codec {
  encode(): void;
  decode(): void;
}

function ours(packet: Packet): Codec {
  const length = encodedLength(packet, VERSION);
  const out = new Uint8Array(length);
  const wire = out.slice(0, encodePacket(packet, VERSION, out, 0));
  const decoder = new PacketDecoder({ buffer: new Uint8Array(length), version: VERSION });
  return {
    encode() {
      sink += encodePacket(packet, VERSION, out, 0);
    },
    decode() {
      let i = 0;
      while (i < wire.length) {
        i += decoder.feed(wire, i, wire.length);
        if (decoder.packet !== null) sink += decoder.packet.type;
      }
    },
  };
}

function theirs(packet: Packet): Codec {
  const object = toMqttPacket(packet, VERSION);
  const options = { protocolVersion: VERSION };
  const wire = mqttPacket.generate(object, options);
  const parser = mqttPacket.parser(options);
  // A CONNECT switches the parser to its level; the others are parsed at level 5 from the start.
  parser.on("packet", (p) => {
    sink += p.cmd.length;
  });
  parser.on("error", (e: Error) => {
    throw e;
  });
  return {
    encode() {
      sink += mqttPacket.generate(object, options).length;
    },
    decode() {
      parser.parse(wire);
    },
  };
}

/** Nanoseconds per call of `fn`, over `iterations` calls. */
function timeOnce(fn: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Iterations that take about `targetMs`, found by doubling. */
const WARM_UP_MS = Number(process.env.BENCH_WARMUP_MS ?? 200);

function calibrate(fn: () => void, targetMs: number): number {
  let n = 64;
  for (;;) {
    const ns = timeOnce(fn, n) * n;
    if (ns > targetMs * 1e6 || n > 1 << 24) return Math.max(64, Math.round((n * targetMs * 1e6) / ns));
    n *= 2;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median ns per call for two competitors, measured in alternating rounds so drift hits both alike. */
function compare(a: () => void, b: () => void, rounds: number, roundMs: number): [number, number] {
  for (const fn of [a, b]) timeOnce(fn, calibrate(fn, WARM_UP_MS)); // warm-up: let the JIT settle
  const na = calibrate(a, roundMs);
  const nb = calibrate(b, roundMs);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ta.push(timeOnce(a, na));
    tb.push(timeOnce(b, nb));
  }
  return [median(ta), median(tb)];
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

function main(): void {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const roundMs = Number(process.env.BENCH_ROUND_MS ?? 60);
  console.log(`codec benchmark: MQTT 5, node ${process.version}, ${rounds} rounds of ~${roundMs} ms, median ns per packet`);
  console.log(`${pad("packet", 30)}${pad("op", 8)}${pad("ours", 10, true)}${pad("mqtt-packet", 14, true)}${pad("ratio", 9, true)}`);
  const ratios: number[] = [];
  for (const { name, packet } of MIX) {
    const a = ours(packet);
    const b = theirs(packet);
    for (const op of ["encode", "decode"] as const) {
      const [nsOurs, nsTheirs] = compare(a[op], b[op], rounds, roundMs);
      const ratio = nsTheirs / nsOurs;
      ratios.push(ratio);
      console.log(
        `${pad(name, 30)}${pad(op, 8)}${pad(nsOurs.toFixed(0), 10, true)}${pad(nsTheirs.toFixed(0), 14, true)}${pad(ratio.toFixed(2) + "x", 9, true)}`,
      );
    }
  }
  const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  if (sink === 0.5) console.log("unreachable"); // reads the sink so its updates stay live
  console.log(`codec speedup vs mqtt-packet: ${geomean.toFixed(2)}x`);
}

main();
