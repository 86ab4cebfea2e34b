// The session store's flash in Moddable's simulator (mcsim), which has no flash module: a file (the SDK's
// `file` module) that behaves like one, so the firmware keeps its session across mcsim runs exactly as a
// board does across reboots. Every write is flushed to the file at once (the file module's write does), so a
// killed mcsim loses nothing written; the machine's own crash is not simulated.

import { File } from "file";
import type { FlashArea } from "mqtt5/engine/flash-area";
import { SdkFlashArea, type SdkFlash } from "mqtt5/platform/moddable/sdk-flash-area";
import type { DeviceSettings } from "./settings";

const BLOCK = 4096;

/** The SDK flash API over a file: erased bytes are 0xFF, as on flash. */
class FileFlash implements SdkFlash {
  readonly byteLength: number;
  readonly blockSize = BLOCK;
  readonly #file: File;

  constructor(path: string, byteLength: number) {
    this.byteLength = byteLength;
    const exists = File.exists(path);
    this.#file = new File(path, true);
    for (let at = exists ? this.#file.length : 0; at < byteLength; at += BLOCK) this.#blank(at);
  }

  erase(sector: number): void {
    this.#blank(sector * BLOCK);
  }

  read(offset: number, byteLength: number): ArrayBuffer {
    this.#file.position = offset;
    return this.#file.read(ArrayBuffer, byteLength);
  }

  write(offset: number, byteLength: number, buffer: Uint8Array): void {
    this.#file.position = offset;
    // The file module writes whole ArrayBuffers: a copy of the bytes (mcsim is not a device's heap).
    this.#file.write(buffer.slice(0, byteLength).buffer);
  }

  #blank(at: number): void {
    this.#file.position = at;
    this.#file.write(new Uint8Array(BLOCK).fill(0xff).buffer);
  }
}

export function createFlashArea(settings: DeviceSettings): FlashArea {
  const path = settings.storeFile || `/tmp/mqtt5-xs-${settings.deviceId}.flash`;
  return new SdkFlashArea(new FileFlash(path, settings.storeBlocks * BLOCK));
}
