// The globals tools/xs/host.c gives to JS running on the XS test host. Code that runs there reads them
// through `xsHost()` instead of declaring them globally, so Node-side type checks never see them.

export interface XsHostGlobals {
  print(...values: unknown[]): void;
  /** Computrons since the last resetMeter(). */
  meter(): number;
  /** Returns the computrons since the last reset and zeroes the meter. */
  resetMeter(): number;
  slotsInUse(): number;
  chunkBytes(): number;
  gcCount(): number;
  gc(): void;
  /** Deepest use of the XS stack so far, in slots (ESP8266 apps get 256); `reset` starts again from here. */
  stackPeak(reset?: boolean): number;
  /** Starts ESP8266-style heap accounting against `limitBytes` (default 32768); returns bytes charged now. */
  deviceHeap(limitBytes?: number): number;
  deviceHeapBytes(): number;
  /** Monotonic milliseconds. */
  now(): number;
  /** The one alarm: callback after `ms`; negative `ms` cancels. */
  setAlarm(ms: number, callback?: () => void): void;
  /** Frames from the parent land in `buffer`; onFrame(length), or onFrame(-1) when the parent closes. */
  channelListen(buffer: ArrayBuffer, onFrame: (length: number) => void): void;
  channelSend(buffer: ArrayBufferLike, start: number, end: number): void;
  /** Ends the event loop after the current callback: no further alarm or frame is delivered. */
  finish(): void;
  /** The device's flash, in a file that outlives the process (NOR semantics; XS_HOST_FLASH_CUT: host.c). */
  flashOpen(path: string, byteLength: number, blockSize: number): void;
  /** Area bytes [offset, offset + length) into buffer[at...]. */
  flashRead(offset: number, buffer: ArrayBufferLike, at: number, length: number): void;
  /** Programs buffer[at, at + length) at `offset` (ANDed into the bytes there). */
  flashWrite(offset: number, buffer: ArrayBufferLike, at: number, length: number): void;
  flashErase(block: number): void;
}

export function xsHost(): XsHostGlobals {
  return globalThis as unknown as XsHostGlobals;
}

/** True when running on the XS test host (the same case files also run on Node). */
export function onXsHost(): boolean {
  return typeof (globalThis as { resetMeter?: unknown }).resetMeter === "function";
}
