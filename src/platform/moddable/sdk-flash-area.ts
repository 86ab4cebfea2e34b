// A FlashArea over the Moddable SDK's `flash` module (modules/files/flash), which ESP32 and ESP8266 builds
// have: `new Flash("storage")` opens the ESP8266's file-system area or the ESP32 data partition of that name.
// Its write(offset, byteLength, buffer) programs byteLength bytes from the start of `buffer` at any offset
// and alignment (the SDK pads partial words with 0xFF, which programs nothing), synchronously; erase(sector)
// erases one 4 KB sector; read(offset, byteLength) returns a new ArrayBuffer.
//
// Why this and not the SDK's other storage (see README, "Persistent session"): `file` (SPIFFS on ESP8266 and
// ESP32) is not safe across power cuts and costs a file system's buffers; `preference` keeps small values in a
// few shared sectors (ESP8266: two 4 KB sectors for every preference of the app) and allocates on every get;
// ECMA-419 `embedded:storage/flash` has no ESP8266 implementation. Raw flash gives the store byte writes,
// 4 KB erases and nothing in between it does not control.
//
// The store writes from the start of its stage buffer, so writes allocate nothing; reads (opening the store,
// resending after a reconnect, compaction) allocate the ArrayBuffer the SDK returns.

import { MqttArgumentError } from "../../codec/errors";
import type { FlashArea } from "../../engine/flash-area";

/** The SDK `flash` module's class as this adapter uses it (typings/flash.d.ts in the SDK). */
export interface SdkFlash {
  /** Erases 4 KB sector `sector` of the partition. */
  erase(sector: number): void;
  /** A new buffer with the partition's bytes [offset, offset + byteLength). */
  read(offset: number, byteLength: number): ArrayBufferLike;
  /** Programs the first byteLength bytes of `buffer` at `offset`, synchronously. */
  write(offset: number, byteLength: number, buffer: Uint8Array): void;
  readonly byteLength: number;
  readonly blockSize: number;
}

/** Which blocks of the partition the store may use. */
export interface SdkFlashAreaOptions {
  /** First block (sector) of the area in the partition; default 0. */
  firstBlock?: number;
  /** Blocks in the area, at least 2 (the store uses two halves); default: the rest of the partition. */
  blocks?: number;
}

/** A {@link FlashArea} over blocks of a partition opened with the SDK's `flash` module. */
export class SdkFlashArea implements FlashArea {
  readonly byteLength: number;
  readonly blockSize: number;
  private readonly flash: SdkFlash;
  private readonly base: number;
  private readonly firstBlock: number;

  constructor(flash: SdkFlash, options: SdkFlashAreaOptions = {}) {
    const blockSize = flash.blockSize;
    const available = Math.floor(flash.byteLength / blockSize);
    const firstBlock = options.firstBlock ?? 0;
    const blocks = options.blocks ?? available - firstBlock;
    if (!Number.isInteger(firstBlock) || firstBlock < 0) throw new MqttArgumentError("options.firstBlock", "a whole number");
    if (!Number.isInteger(blocks) || blocks < 2 || firstBlock + blocks > available) {
      throw new MqttArgumentError("options.blocks", `2 or more, within the partition's ${available} blocks of ${blockSize} bytes`);
    }
    this.flash = flash;
    this.blockSize = blockSize;
    this.firstBlock = firstBlock;
    this.base = firstBlock * blockSize;
    this.byteLength = blocks * blockSize;
  }

  read(offset: number, into: Uint8Array, at: number, length: number): void {
    if (length === 0) return;
    into.set(new Uint8Array(this.flash.read(this.base + offset, length)), at);
  }

  write(offset: number, from: Uint8Array, at: number, length: number): void {
    if (length === 0) return;
    this.flash.write(this.base + offset, length, at === 0 ? from : from.subarray(at, at + length));
  }

  erase(block: number): void {
    this.flash.erase(this.firstBlock + block);
  }
}
