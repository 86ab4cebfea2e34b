// Variable Byte Integer (MQTT 5 section 1.5.5): 7 bits per byte, low group first, high bit = "more".
// At most 4 bytes, so the largest value is 268,435,455. Reading lives in Reader (and, byte by byte, in
// the decoder's remaining-length state) because it must check minimal form and the input bounds there.

export const VARINT_MAX = 268_435_455;

/** Bytes needed for n (0 <= n <= VARINT_MAX). */
export function varintLength(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** Writes n at out[pos...]; returns the position after it. */
export function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}
