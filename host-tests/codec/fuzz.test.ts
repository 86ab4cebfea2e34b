// Fuzzing the decoder with random bytes and with valid packets damaged in the ways networks and buggy
// peers damage them (bit flips, truncation, edited remaining lengths, splices). Whatever the input:
// - feed() either decodes or throws MqttError carrying a reason code >= 0x80, never another exception;
// - every feed() call consumes at least one byte and no more than it was given (no hang, no overrun);
// - nothing outside the input is read: the outcome is the same whatever bytes surround the input and
//   whatever stale bytes the receive buffer holds;
// - the outcome does not depend on fragmentation;
// - whatever it decodes, our encoder accepts and writes back to the same fields.
//
// CI runs a bounded count. `npm run fuzz:codec` runs the long mode (FUZZ_RUNS per property, default 10^6);
// FUZZ_SEED replays a run. Every failure found becomes a vector in REGRESSIONS below.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MqttError } from "../../src/codec/index";
import type { ProtocolVersion } from "../../src/codec/index";
import { packetArb } from "../support/arbitraries";
import { concat, decodeStream, encodeToBytes, type DecodeOptions, type DecodeOutcome } from "../support/codec-harness";
import { normalForm } from "../support/normal-form";

const LONG = process.env.FUZZ_LONG === "1";
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 1_000_000 : 700));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const TIMEOUT = LONG ? 24 * 3600_000 : 30_000;
const settings = { numRuns: RUNS, seed: SEED };

const version: fc.Arbitrary<ProtocolVersion> = fc.constantFrom(4, 5);

/** Random bytes, and random bytes behind a plausible fixed header so the body parsers get exercised. */
const randomInput = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .tuple(fc.integer({ min: 0x10, max: 0xff }), fc.uint8Array({ maxLength: 80 }))
    .map(([first, body]) => concat([Uint8Array.of(first), varInt(body.length), body])),
);

/** One way to damage a packet; positions are taken modulo the current length. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("length" as const), field: fc.uint8Array({ minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 6 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : ("at" in m ? m.at % n : 0);
  switch (m.kind) {
    case "flip": {
      const out = bytes.slice();
      if (n > 0) out[at] = out[at]! ^ (1 << m.bit);
      return out;
    }
    case "truncate":
      return bytes.slice(0, at);
    case "set": {
      const out = bytes.slice();
      if (n > 0) out[at] = m.value;
      return out;
    }
    case "length":
      // Replaces the remaining-length field with arbitrary bytes: other values, non-minimal, overlong.
      return n < 2 ? bytes : concat([bytes.subarray(0, 1), m.field, bytes.subarray(1 + varIntSize(bytes, 1))]);
    case "insert":
      return concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case "delete":
      return concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
  }
}

/** Valid packets, possibly several spliced together, then damaged. */
const mutatedInput = fc
  .tuple(version, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .chain(([v, cuts, mutations]) =>
    fc.array(packetArb(v), { minLength: cuts.length, maxLength: cuts.length }).map((packets) => {
      // Splice: each packet after the first is cut in two and only its tail kept, or kept whole.
      const parts = packets.map((p, i) => {
        const b = encodeToBytes(p, v);
        return i === 0 || cuts[i]! % 2 === 0 ? b : b.subarray(cuts[i]! % b.length);
      });
      return { version: v, bytes: mutations.reduce(mutate, concat(parts)) };
    }),
  );

const fuzzInput = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(version, randomInput).map(([v, bytes]) => ({ version: v, bytes })) },
  { weight: 3, arbitrary: mutatedInput },
);

const decodeSetup = fc.record({
  fragments: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 30 }),
  // Sometimes a receive buffer or a maximum packet size smaller than the packets.
  bufferSize: fc.option(fc.integer({ min: 2, max: 48 }), { nil: undefined }),
  maximumPacketSize: fc.option(fc.integer({ min: 2, max: 64 }), { nil: undefined }),
});

/** What must not depend on fragmentation or on bytes outside the input. */
function essence(o: DecodeOutcome): unknown {
  return { packets: o.packets, error: o.error && { reasonCode: o.error.reasonCode, field: o.error.field } };
}

/** Places `bytes` in the middle of a larger array filled with `fill`; returns the array and the window. */
function padded(bytes: Uint8Array, fill: number): [Uint8Array, number, number] {
  const out = new Uint8Array(bytes.length + 32).fill(fill);
  out.set(bytes, 16);
  return [out, 16, 16 + bytes.length];
}

/** Checks a decoded packet survives re-encoding: our encoder accepts it and it decodes to the same fields. */
function reencodes(options: DecodeOptions): DecodeOptions {
  return {
    ...options,
    onPacket: (p, v) => {
      const expected = normalForm(p, v);
      const bytes = encodeToBytes(p, v);
      expect(decodeStream(bytes, v).packets).toEqual([expected]);
    },
  };
}

function checkDecoder(input: { version: ProtocolVersion; bytes: Uint8Array }, setup: DecodeOptions): void {
  const { version: v, bytes } = input;
  const base = { bufferSize: setup.bufferSize, maximumPacketSize: setup.maximumPacketSize };
  const whole = decodePadded(bytes, 0x00, v, reencodes({ ...base, bufferFill: 0x00 }));
  const wholeOther = decodePadded(bytes, 0xff, v, { ...base, bufferFill: 0xff });
  const pieces = decodePadded(bytes, 0x5a, v, { ...base, fragments: setup.fragments, bufferFill: 0x81 });
  if (whole.error) expect(whole.error.reasonCode).toBeGreaterThanOrEqual(0x80);
  expect(essence(wholeOther)).toEqual(essence(whole));
  expect(wholeOther.consumed).toBe(whole.consumed);
  expect(essence(pieces)).toEqual(essence(whole));
}

/** Decodes `bytes` as a window of a larger array whose other bytes are `fill`. */
function decodePadded(bytes: Uint8Array, fill: number, v: ProtocolVersion, options: DecodeOptions): DecodeOutcome {
  const [src, start, end] = padded(bytes, fill);
  return decodeStream(src, v, options, start, end);
}

/** Inputs found by fuzzing (or picked by hand) and the outcome each must have: decoded types or an error code. */
const REGRESSIONS: { name: string; version: ProtocolVersion; hex: string; expect: number[] | { reasonCode: number } }[] = [
  { name: "a five-byte remaining length", version: 5, hex: "30ffffffff7f", expect: { reasonCode: 0x81 } },
  { name: "a remaining length in non-minimal form", version: 5, hex: "c08000", expect: { reasonCode: 0x81 } },
  { name: "PUBLISH with QoS 3", version: 5, hex: "3606000161000100", expect: { reasonCode: 0x81 } },
  { name: "a topic holding a UTF-16 surrogate", version: 4, hex: "30050003eda080", expect: { reasonCode: 0x81 } },
  { name: "a property length running past the packet", version: 5, hex: "4004000100" + "05", expect: { reasonCode: 0x81 } },
  // Found by fuzzing: the decoder took a QoS 0 PUBLISH with DUP set, which the encoder (rightly) refuses.
  { name: "PUBLISH QoS 0 with DUP set", version: 4, hex: "3808000420202f200000", expect: { reasonCode: 0x81 } },
  { name: "PINGREQ then PINGRESP back to back", version: 4, hex: "c000d000", expect: [12, 13] },
];

describe("decoder fuzzing", () => {
  it(
    "decodes or throws MqttError on random and damaged input, reading nothing outside it, in any fragmentation",
    () => {
      fc.assert(fc.property(fuzzInput, decodeSetup, checkDecoder), settings);
    },
    TIMEOUT,
  );

  it(
    "throws only MqttError, with a reason code of 0x80 or more, when bytes arrive one at a time",
    () => {
      fc.assert(
        fc.property(fuzzInput, (input) => {
          const outcome = decodeStream(input.bytes, input.version, { fragments: new Array<number>(input.bytes.length).fill(1) });
          if (outcome.error) {
            expect(outcome.error).toBeInstanceOf(MqttError);
            expect(outcome.error.reasonCode).toBeGreaterThanOrEqual(0x80);
            expect(outcome.error.field.length).toBeGreaterThan(0);
          }
        }),
        { ...settings, numRuns: Math.ceil(RUNS / 2) },
      );
    },
    TIMEOUT,
  );

  it.each(REGRESSIONS)("decodes the regression vector '$name' as expected", ({ version: v, hex, expect: expected }) => {
    const bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    checkDecoder({ version: v, bytes }, { fragments: [1, 1, 2, 3] });
    const outcome = decodeStream(bytes, v);
    if (Array.isArray(expected)) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.packets.map((p) => p.type)).toEqual(expected);
    } else {
      expect(outcome.error?.reasonCode).toBe(expected.reasonCode);
    }
  });
});

function varInt(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Uint8Array.from(out);
}

/** Bytes taken by the variable byte integer at `at` (up to 4; stops at the end of the array). */
function varIntSize(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && i - at < 4 && (bytes[i]! & 0x80) !== 0) i++;
  return Math.min(i - at + 1, bytes.length - at);
}
