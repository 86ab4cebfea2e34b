// The codec on XS: the round-trip properties of host-tests/codec (same arbitraries, same normal form)
// and byte-for-byte agreement with Node on a seeded sample of random packets.
import fc from "fast-check";
import type { Packet, ProtocolVersion } from "../../src/codec/index";
import { arbitrariesByType, packetArb } from "../support/arbitraries";
import { decodeStream, encodeToBytes } from "../support/codec-harness";
import { normalForm } from "../support/normal-form";
import { check, checkEqual, type XsCase } from "./support/xs-case";

const VERSIONS: ProtocolVersion[] = [5, 4];
const RUNS = 60;
export const SAMPLE_SIZE = 150;

/** The same packets on Node and on XS: fast-check's generator is deterministic for a seed. */
export function codecSample(version: ProtocolVersion): Packet[] {
  return fc.sample(packetArb(version), { seed: 0x5eed + version, numRuns: SAMPLE_SIZE });
}

/** FNV-1a over the encoding: what Node and XS compare per sampled packet. */
export function encodingDigest(packet: Packet, version: ProtocolVersion): number {
  const bytes = encodeToBytes(packet, version);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return (h ^ bytes.length) >>> 0;
}

/** JSON with sorted keys, so two normal forms compare whatever order their fields were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

function roundTripCase(version: ProtocolVersion, name: string, arb: fc.Arbitrary<Packet>): XsCase {
  return {
    name: `decodes every encoded ${name} at level ${version} back to the same fields, whole and byte by byte`,
    run() {
      fc.assert(fc.property(arb, (packet) => {
        const bytes = encodeToBytes(packet, version);
        const expected = canonical([normalForm(packet, version)]);
        const whole = decodeStream(bytes, version);
        check(whole.error === undefined, `decode error ${String(whole.error?.message)}`);
        checkEqual(canonical(whole.packets), expected, "decoded fields");
        checkEqual(whole.consumed, bytes.length, "bytes consumed");
        const bytewise = decodeStream(bytes, version, { fragments: new Array<number>(bytes.length).fill(1) });
        checkEqual(canonical(bytewise.packets), expected, "fields decoded byte by byte");
      }), { numRuns: RUNS, seed: 0xc0dec + version });
    },
  };
}

declare const codecDigests: string;

function agreementCase(version: ProtocolVersion): XsCase {
  return {
    name: `encodes ${SAMPLE_SIZE} seeded random packets at level ${version} to the same bytes as on Node`,
    run() {
      const expected = (JSON.parse(codecDigests) as Record<string, number[]>)[version]!;
      const sample = codecSample(version);
      checkEqual(sample.length, expected.length, "sample size");
      sample.forEach((packet, i) => checkEqual(encodingDigest(packet, version), expected[i], `digest of packet ${i} (type ${packet.type})`));
    },
  };
}

export const codecCases: XsCase[] = [
  ...VERSIONS.flatMap((version) => Object.entries(arbitrariesByType(version)).map(([name, arb]) => roundTripCase(version, name, arb))),
  ...VERSIONS.map(agreementCase),
];

/** What the Node side passes to the XS run as the global `codecDigests`. */
export function codecDigestsForXs(): string {
  const out: Record<number, number[]> = {};
  for (const version of VERSIONS) out[version] = codecSample(version).map((p) => encodingDigest(p, version));
  return JSON.stringify(out);
}
