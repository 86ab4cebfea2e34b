// Reading primitives over one packet body, bounded by [pos, end). Every read checks the bound and throws
// MqttError 0x81 naming the field, so no read ever leaves the packet. One Reader belongs to a decoder
// and is re-aimed at each packet (init), so reading allocates nothing but the strings it returns.

import { malformed } from "./errors";
import { decodeUtf8 } from "./utf8";

export class Reader {
  buf: Uint8Array;
  pos = 0;
  end = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  init(buf: Uint8Array, pos: number, end: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are inside the packet. */
  need(n: number, field: string): void {
    if (this.end - this.pos < n) throw malformed(field, "runs past the end of the packet");
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++];
  }

  u16(field: string): number {
    this.need(2, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) >>> 0) + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  /** Variable Byte Integer: at most 4 bytes, minimal form (no trailing 0x00 group). */
  varint(field: string): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      const b = this.u8(field);
      if (i > 0 && b === 0) throw malformed(field, "variable byte integer is not in minimal form");
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw malformed(field, "variable byte integer is longer than 4 bytes");
  }

  /** Start of a length-prefixed field's bytes; leaves pos after them. Sets `fieldLength`. */
  prefixed(field: string): number {
    const n = this.u16(field);
    this.need(n, field);
    const start = this.pos;
    this.pos = start + n;
    this.fieldLength = n;
    return start;
  }
  fieldLength = 0;

  utf8(field: string): string {
    const start = this.prefixed(field);
    return decodeUtf8(this.buf, start, this.pos, field);
  }

  /** Binary Data as a view into the buffer (no copy). */
  binary(field: string): Uint8Array {
    const start = this.prefixed(field);
    return this.buf.subarray(start, this.pos);
  }

  /** Throws unless the whole body was consumed (remaining length consistent with the contents). */
  done(field: string): void {
    if (this.pos !== this.end) throw malformed(field, "has bytes after its last field");
  }
}
