// A stand-in for the Moddable SDK's `flash` module (modules/files/flash, esp and esp32) that behaves as NOR
// flash does, with power cuts on demand. Pure TypeScript: the same cases run on Node and on the XS host.
//
// As the SDK on ESP8266 (flash/esp/flash.c): read(offset, byteLength) returns a new ArrayBuffer, write(offset,
// byteLength, buffer) takes the first byteLength bytes of buffer (a Uint8Array from its byteOffset), erase(sector)
// erases 4 KB (here: blockSize), and bad offsets or lengths throw. As the flash underneath: an erased byte is
// 0xFF, programming ANDs (bits only go 1 -> 0), erasing sets a whole block to 0xFF.
//
// Power cuts: cutAfter(n) lets n more steps happen (a step is one byte programmed or one block erased), then
// the next step is interrupted and PowerCut is thrown; the flash keeps what it had, as a device's would:
// - in a write: the bytes before were programmed, the byte it hit is partly programmed (some of the bits that
//   were to clear did), the rest untouched;
// - in an erase: every byte of the block has some of its bits set, anywhere between its old value and 0xFF.
// Nothing works after the cut until reopen() (the power comes back), which keeps the bytes.

import type { SdkFlash } from "../../src/platform/moddable/sdk-flash-area";

/** The power went: thrown by the step a cut interrupted. */
export class PowerCut extends Error {
  constructor(readonly step: number) {
    super(`power cut at flash step ${step}`);
    this.name = "PowerCut";
  }
}

export class FakeSdkFlash implements SdkFlash {
  readonly bytes: Uint8Array;
  readonly blockSize: number;
  /** Steps (bytes programmed + blocks erased) since this power-up. */
  steps = 0;
  bytesProgrammed = 0;
  erases = 0;
  private cutAt = -1;
  private dead = false;
  private seed: number;

  /** `bytes`: the flash contents, kept across reopen(); a new flash is erased (all 0xFF). */
  constructor(byteLength: number, blockSize = 4096, seed = 1, bytes?: Uint8Array) {
    if (byteLength % blockSize !== 0) throw new RangeError("whole blocks only");
    this.bytes = bytes ?? new Uint8Array(byteLength).fill(0xff);
    this.blockSize = blockSize;
    this.seed = seed;
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  /** The same flash after the power comes back: its bytes, no cut planned, counters from zero. */
  reopen(seed = this.seed + 1): FakeSdkFlash {
    return new FakeSdkFlash(this.bytes.length, this.blockSize, seed, this.bytes);
  }

  /** The step after `steps` more is interrupted by a power cut. */
  cutAfter(steps: number): void {
    this.cutAt = this.steps + steps;
  }

  erase(sector: number): void {
    this.alive();
    if (!Number.isInteger(sector) || sector < 0 || (sector + 1) * this.blockSize > this.bytes.length) throw new Error("invalid sector");
    const start = sector * this.blockSize;
    if (this.step()) {
      for (let i = start; i < start + this.blockSize; i++) this.bytes[i] |= this.random();
      throw this.cut();
    }
    this.bytes.fill(0xff, start, start + this.blockSize);
    this.erases++;
  }

  read(offset: number, byteLength: number): ArrayBuffer {
    this.alive();
    this.check(offset, byteLength);
    return this.bytes.slice(offset, offset + byteLength).buffer;
  }

  write(offset: number, byteLength: number, buffer: Uint8Array): void {
    this.alive();
    this.check(offset, byteLength);
    if (buffer.length < byteLength) throw new Error("invalid");
    for (let i = 0; i < byteLength; i++) {
      if (this.step()) {
        // Some of the bits this byte was to clear did clear.
        this.bytes[offset + i] &= buffer[i] | this.random();
        throw this.cut();
      }
      this.bytes[offset + i] &= buffer[i];
      this.bytesProgrammed++;
    }
  }

  private check(offset: number, byteLength: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.bytes.length) throw new Error("invalid offset");
    if (!Number.isInteger(byteLength) || byteLength <= 0 || offset + byteLength > this.bytes.length) throw new Error("invalid length");
  }

  private alive(): void {
    if (this.dead) throw new Error("the flash has no power (reopen() it)");
  }

  // One more step; true when it is the one the cut interrupts.
  private step(): boolean {
    if (this.steps++ !== this.cutAt) return false;
    this.dead = true;
    return true;
  }

  private cut(): PowerCut {
    return new PowerCut(this.steps - 1);
  }

  // xorshift32: deterministic bits for partly programmed and partly erased bytes.
  private random(): number {
    let x = this.seed | 0 || 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x;
    return x & 0xff;
  }
}
