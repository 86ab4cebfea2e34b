// The flash store's CRC-32 is the standard one (IEEE 802.3, as zlib computes it), for every length and offset.
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/engine/crc32";

describe("crc32", () => {
  it("equals zlib's CRC-32 for lengths 0 to 300 at any start", () => {
    const bytes = Uint8Array.from({ length: 320 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 4; start++) {
      for (let length = 0; length <= 300; length++) {
        expect(crc32(bytes, start, start + length)).toBe(zlibCrc32(bytes.subarray(start, start + length)));
      }
    }
  });
});
