// Shared driver for the golden byte vectors: each case is a packet and the exact bytes the specification's
// layout gives for it (hex, written by hand from the MQTT 5.0 / 3.1.1 packet layouts, annotated).
// A case proves three things: encodePacket writes exactly those bytes, encodedLength agrees, and the
// decoder turns the bytes back into the same packet (compared in normal form).

import { expect, it } from "vitest";
import type { Packet, ProtocolVersion } from "../../src/codec/index";
import { decodeStream, encodeToBytes } from "../support/codec-harness";
import { hex, normalForm } from "../support/normal-form";

export interface GoldenCase {
  name: string;
  packet: Packet;
  /** Hex with optional spaces and `|` between fields for readability. */
  bytes: string;
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[\s|]/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function goldenTests(cases: readonly GoldenCase[], version: ProtocolVersion): void {
  for (const c of cases) {
    it(`encodes ${c.name} to the specified bytes and decodes them back`, () => {
      const expected = c.bytes.replace(/[\s|]/g, "");
      expect(hex(encodeToBytes(c.packet, version))).toBe(expected);
      const outcome = decodeStream(fromHex(c.bytes), version);
      expect(outcome.error).toBeUndefined();
      expect(outcome.packets).toEqual([normalForm(c.packet, version)]);
    });
  }
}
