// Fuzz of the client's receive path: a connected engine is fed valid server streams mutated at random
// (bit flips, inserted, deleted and duplicated bytes, truncation) in random chunk sizes. Whatever comes in,
// the engine must not throw, must leave only well-formed packets in its transmit buffer, and after a fatal
// error must have written DISCONNECT and be able to open a new connection.
//
// CI runs a bounded sample; CHAOS_LONG=1 (make soak) runs 100,000 streams. A failure prints the seed and the
// stream: put it in cases/fuzz-regressions.ts.
import { describe, expect, it } from "vitest";
import type { Packet } from "../../src/codec/packet";
import { EngineState } from "../../src/engine/index";
import { concat, encode, EngineDriver, fromHex, hex } from "../support/engine-harness";
import { randomInt, seededRandom, type Random } from "../../tools/chaos/random";
import { FUZZ_REGRESSIONS } from "./cases/fuzz-regressions";
import { SCENARIO_CONNECT, TOLERATED_CASES } from "./cases/server-packets";

const LONG = process.env.CHAOS_LONG === "1";
const STREAMS = Number(process.env.CHAOS_FUZZ_STREAMS ?? (LONG ? 100_000 : 3_000));
const BASE_SEED = Number(process.env.CHAOS_SEED ?? 0x5eed);

/** Valid server packets to start from; the tolerated cases are all valid streams too. */
const SEEDS: Uint8Array[] = [
  ...TOLERATED_CASES.filter((c) => !c.receiveBufferSize).map((c) => fromHex(c.bytes())),
  ...([
    { type: 3, topic: "s/1", qos: 1, retain: false, dup: false, packetId: 3, payload: "hello", properties: { userProperties: [["k", "v"]], contentType: "t" } },
    { type: 3, topic: "s/2", qos: 2, retain: true, dup: false, packetId: 4, payload: "x", properties: { topicAlias: 2, messageExpiryInterval: 9 } },
    { type: 6, packetId: 4, reasonCode: 0 },
    { type: 4, packetId: 1, reasonCode: 0x10, properties: { reasonString: "no subscribers" } },
    { type: 9, packetId: 1, reasonCodes: [0, 0x80] },
    { type: 11, packetId: 2, reasonCodes: [0x11] },
    { type: 13 },
    { type: 14, reasonCode: 0x8b, properties: { reasonString: "bye", serverReference: "other" } },
    { type: 15, reasonCode: 0x18, properties: { authenticationMethod: "m" } },
  ] as Packet[]).map((p) => encode(p)),
];

function mutate(random: Random, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const edits = randomInt(random, 1, 4);
  for (let e = 0; e < edits; e++) {
    const at = randomInt(random, 0, Math.max(0, bytes.length - 1));
    switch (randomInt(random, 0, 5)) {
      case 0: bytes[at] ^= 1 << randomInt(random, 0, 7); break;
      case 1: bytes[at] = randomInt(random, 0, 255); break;
      case 2: bytes.splice(at, 0, randomInt(random, 0, 255)); break;
      case 3: bytes.splice(at, randomInt(random, 1, 3)); break;
      case 4: bytes.splice(at, 0, ...bytes.slice(at, at + randomInt(random, 1, 8))); break;
      default: bytes.length = at; break;
    }
  }
  return Uint8Array.from(bytes);
}

/** A few valid packets joined, one of them mutated (sometimes none: the control group). */
function stream(random: Random): Uint8Array {
  const parts: Uint8Array[] = [];
  const count = randomInt(random, 1, 4);
  const broken = randomInt(random, 0, count);
  for (let i = 0; i < count; i++) {
    const seed = SEEDS[randomInt(random, 0, SEEDS.length - 1)];
    parts.push(i === broken ? mutate(random, seed) : seed);
  }
  return concat(parts);
}

const outcome = { closed: 0, kept: 0 };

/** Feeds one stream in random chunks and checks the invariants; returns a description of a violation. */
function runOne(random: Random, bytes: Uint8Array): string | undefined {
  const d = new EngineDriver();
  d.connected({ ...SCENARIO_CONNECT, properties: { ...SCENARIO_CONNECT.properties } });
  let written: Packet[];
  try {
    for (let i = 0; i < bytes.length; ) {
      const end = Math.min(bytes.length, i + randomInt(random, 1, 64));
      d.engine.receive(bytes, i, end, d.now);
      i = end;
    }
    d.advance(randomInt(random, 0, 120_000));
    written = d.takePackets();
  } catch (error) {
    return `threw ${(error as Error).stack}`;
  }
  return checkAfter(d, written);
}

function checkAfter(d: EngineDriver, written: Packet[]): string | undefined {
  const events = d.events();
  const close = events.find((e) => e.event === "close");
  // A server DISCONNECT ends the connection without one from us.
  const serverEnded = events.some((e) => e.event === "disconnect");
  if (close && d.engine.state !== EngineState.CLOSING && d.engine.state !== EngineState.DISCONNECTED) return `closed but state ${d.engine.state}`;
  if (!close && d.engine.state !== EngineState.CONNECTED) return `state ${d.engine.state} without onClose`;
  if (close && !serverEnded && close.reasonCode >= 0x80 && close.reasonCode < 0x100 && written[written.length - 1]?.type !== 14) return "fatal error without DISCONNECT";
  if (close) outcome.closed++;
  else outcome.kept++;
  if (close) {
    // The engine must be reusable for the next connection.
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    if (d.takePackets()[0]?.type !== 1) return "no CONNECT on the next connection";
  }
  return undefined;
}

describe("receive-path fuzz", () => {
  it("replays every stored regression stream without a crash", () => {
    for (const r of FUZZ_REGRESSIONS) expect(runOne(seededRandom(1), fromHex(r.hex)), r.found).toBeUndefined();
  });

  it(`survives ${STREAMS} mutated server streams in random chunks: no throw, DISCONNECT on every fatal error, reusable after`, () => {
    const random = seededRandom(BASE_SEED);
    for (let n = 0; n < STREAMS; n++) {
      const bytes = stream(random);
      const problem = runOne(random, bytes);
      if (problem) throw new Error(`stream ${n} (CHAOS_SEED=${BASE_SEED}): ${problem}\nhex: ${hex(bytes)}`);
    }
    // The sample must exercise both paths, or the mutations are too weak (or too strong) to mean anything.
    expect(outcome.closed).toBeGreaterThan(STREAMS / 10);
    expect(outcome.kept).toBeGreaterThan(STREAMS / 10);
  }, LONG ? 1_800_000 : 60_000);
});
