// The SDK `flash` module's class (SdkFlash, src/platform/moddable/sdk-flash-area.ts) over the XS host's flash
// stand-in (host.c: a file with NOR semantics and power cuts on demand), so a device app on the XS host runs
// the store through the same SdkFlashArea it uses on an ESP32 or ESP8266, and keeps it across processes.
import type { SdkFlash } from "../../src/platform/moddable/sdk-flash-area";
import { xsHost } from "./xs-globals";

export class XsHostFlash implements SdkFlash {
  readonly byteLength: number;
  readonly blockSize: number;

  constructor(path: string, byteLength: number, blockSize = 4096) {
    xsHost().flashOpen(path, byteLength, blockSize);
    this.byteLength = byteLength;
    this.blockSize = blockSize;
  }

  erase(sector: number): void {
    xsHost().flashErase(sector);
  }

  /** As the SDK's: a new ArrayBuffer. */
  read(offset: number, byteLength: number): ArrayBuffer {
    const bytes = new ArrayBuffer(byteLength);
    xsHost().flashRead(offset, bytes, 0, byteLength);
    return bytes;
  }

  /** As the SDK's: the first byteLength bytes of `buffer`, from its byteOffset. */
  write(offset: number, byteLength: number, buffer: Uint8Array): void {
    xsHost().flashWrite(offset, buffer.buffer, buffer.byteOffset, byteLength);
  }
}
