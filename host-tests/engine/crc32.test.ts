// The flash store's CRC-32 is the standard one (IEEE 802.3, reflected, as zlib computes it): its check value,
// and a bit-by-bit reference for every length and offset (the table-driven code must agree with it).
import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/engine/crc32";

function bitwise(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c ^= bytes[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe("crc32", () => {
  it("gives the standard check value 0xCBF43926 for the ASCII digits 123456789", () => {
    expect(crc32(Uint8Array.from("123456789", (ch) => ch.charCodeAt(0)), 0, 9)).toBe(0xcbf43926);
  });

  it("equals the bit-by-bit CRC-32 for lengths 0 to 100 at any start", () => {
    const bytes = Uint8Array.from({ length: 110 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 4; start++) {
      for (let length = 0; length <= 100; length++) expect(crc32(bytes, start, start + length)).toBe(bitwise(bytes, start, start + length));
    }
  });
});
