// What the flash session store needs from storage: a bounded area of NOR flash (or a file that behaves like
// one), read and programmed at any byte, erased a block at a time. Adapters: SdkFlashArea over the Moddable
// SDK's `flash` module (src/platform/moddable), FileFlashArea over a file on Node (src/platform/host).
//
// NOR flash rules the store is written for: an erased byte reads 0xFF; programming only clears bits, so a
// byte is written once between two erases of its block; a power cut in the middle of a write leaves the bytes
// before it programmed, the byte it hit partly programmed and the rest erased; a cut in the middle of an erase
// leaves the block anywhere between its old contents and all 0xFF.

/** A bounded area of flash: `byteLength` bytes in whole blocks of `blockSize` bytes. */
export interface FlashArea {
  /** Bytes in the area, a whole number of blocks. */
  readonly byteLength: number;
  /** The erase unit (4096 on ESP32 and ESP8266 flash). */
  readonly blockSize: number;
  /** Copies the area's bytes [offset, offset + length) to into[at, at + length). */
  read(offset: number, into: Uint8Array, at: number, length: number): void;
  /** Programs from[at, at + length) at `offset`, into bytes erased since they were last written. Returns once
   * the bytes are durable (on flash, or synced to the file). */
  write(offset: number, from: Uint8Array, at: number, length: number): void;
  /** Erases block `block` (bytes [block * blockSize, (block + 1) * blockSize)) to 0xFF; durable on return. */
  erase(block: number): void;
}
