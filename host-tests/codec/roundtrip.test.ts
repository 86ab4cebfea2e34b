// Property tests over random packets of every type, at both protocol levels: what we encode we decode back
// to the same fields, in any fragmentation; encodedLength is exact; a buffer too small is left untouched.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodedLength, encodePacket } from "../../src/codec/index";
import type { Packet, ProtocolVersion } from "../../src/codec/index";
import { arbitrariesByType } from "../support/arbitraries";
import { concat, decodeStream, encodeToBytes } from "../support/codec-harness";
import { normalForm } from "../support/normal-form";

const RUNS = 150;
const VERSIONS: ProtocolVersion[] = [5, 4];

/** Random cut points for feeding a packet in pieces, from one byte at a time to a few large pieces. */
const fragmentation = fc.oneof(
  fc.constant([] as number[]),
  fc.constant(new Array<number>(64).fill(1)),
  fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
);

/** A snapshot of a packet's fields, to prove encoding leaves its argument alone. */
function snapshot(p: Packet): string {
  return JSON.stringify(p, (_key, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value));
}

describe.each(VERSIONS)("codec round trip at protocol level %i", (version) => {
  const byType = Object.entries(arbitrariesByType(version));

  it.each(byType)("decodes every encoded %s back to the same fields, whole and in fragments", (_name, arb) => {
    fc.assert(
      fc.property(arb, fragmentation, (packet, fragments) => {
        const bytes = encodeToBytes(packet, version);
        const expected = normalForm(packet, version);

        const whole = decodeStream(bytes, version);
        expect(whole.error).toBeUndefined();
        expect(whole.packets).toEqual([expected]);
        expect(whole.consumed).toBe(bytes.length);

        const pieces = decodeStream(bytes, version, { fragments });
        expect(pieces.error).toBeUndefined();
        expect(pieces.packets).toEqual([expected]);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(byType)("re-encodes a decoded %s to the identical bytes", (_name, arb) => {
    fc.assert(
      fc.property(arb, (packet) => {
        const bytes = encodeToBytes(packet, version);
        const again: Uint8Array[] = [];
        decodeStream(bytes, version, { onPacket: (p, v) => again.push(encodeToBytes(p, v)) });
        expect(again).toEqual([bytes]);
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it.each(byType)("writes a %s at an offset exactly where encodedLength says, touching nothing else", (_name, arb) => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), (packet, before, after) => {
        const before0 = snapshot(packet);
        const length = encodedLength(packet, version);
        const out = new Uint8Array(before + length + after).fill(0xa5);
        expect(encodePacket(packet, version, out, before)).toBe(length);
        expect(out.subarray(0, before).every((b) => b === 0xa5)).toBe(true);
        expect(out.subarray(before + length).every((b) => b === 0xa5)).toBe(true);
        expect(out.subarray(before, before + length)).toEqual(encodeToBytes(packet, version));
        expect(snapshot(packet)).toBe(before0);
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it.each(byType)("returns 0 and leaves the buffer untouched when a %s does not fit", (_name, arb) => {
    fc.assert(
      fc.property(arb, fc.nat(), fc.integer({ min: 0, max: 5 }), (packet, seed, offset) => {
        const length = encodedLength(packet, version);
        // Any capacity from nothing at all to one byte short, counted from the offset.
        const room = seed % length;
        const out = new Uint8Array(offset + room);
        for (let i = 0; i < out.length; i++) out[i] = (i * 7 + 3) & 0xff;
        const copy = out.slice();
        expect(encodePacket(packet, version, out, offset)).toBe(0);
        expect(out).toEqual(copy);
      }),
      { numRuns: RUNS / 3 },
    );
  });
});

describe("codec round trip across packets", () => {
  it.each(VERSIONS)("decodes a stream of back-to-back packets at level %i in any fragmentation", (version) => {
    const byType = arbitrariesByType(version);
    // CONNECT switches the decoder to its own level, so a stream of the other packets stays at `version`.
    const { CONNECT: _connect, ...rest } = byType;
    const anyButConnect = fc.oneof(...Object.values(rest));
    fc.assert(
      fc.property(fc.array(anyButConnect, { minLength: 1, maxLength: 8 }), fragmentation, (packets, fragments) => {
        const encoded = packets.map((p) => encodeToBytes(p, version));
        const stream = concat(encoded);
        const outcome = decodeStream(stream, version, { fragments, bufferSize: Math.max(...encoded.map((b) => b.length)) });
        expect(outcome.error).toBeUndefined();
        expect(outcome.packets).toEqual(packets.map((p) => normalForm(p, version)));
      }),
      { numRuns: RUNS },
    );
  });
});
