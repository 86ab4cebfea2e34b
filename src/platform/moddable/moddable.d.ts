// Our own minimal declarations of the Moddable SDK modules this project touches, for the host type check
// (tsconfig.json, tsconfig.device.json). They describe only what we use, as the SDK behaves at run time.
//
// mcconfig never sees this file: it compiles each module against the SDK's own typings (typings/ in the
// SDK), which differ in places (TCP.write is typed void there but returns the bytes still writable).
// Library code therefore talks to sockets through the structural interfaces in socket-io.ts, and only the
// target's main.ts imports socket classes; what main.ts uses must type-check against both.
// Modules the SDK ships no typings for (the TLS socket, sensor drivers) are declared in targets/types/,
// which the target manifests also hand to mcconfig.

declare module "timer" {
  class Timer {
    private constructor();
    private brand: boolean;
    /** Calls back once after `interval` ms (or repeatedly every `repeat` ms when given). */
    static set(callback: (timer: Timer) => void, interval?: number, repeat?: number): Timer;
    static clear(timer: Timer | undefined | null): void;
  }
  export default Timer;
}

declare module "time" {
  const Time: {
    /** Monotonic milliseconds since start. */
    readonly ticks: number;
  };
  export default Time;
}

declare module "embedded:io/socket/tcp" {
  interface TCPOptions {
    address: string;
    port: number;
    nodelay?: boolean;
    format?: "buffer" | "number";
    onReadable?: (count: number) => void;
    onWritable?: (count: number) => void;
    onError?: (message?: string) => void;
  }
  export default class TCP {
    constructor(options: TCPOptions);
    /** Fills the view (its byteLength must not exceed what onReadable announced); returns the count. */
    read(into: ArrayBufferView): number;
    /** Throws when the bytes do not fit; returns the bytes still writable. */
    write(bytes: ArrayBufferView): number;
    close(): void;
  }
}

declare module "embedded:io/socket/udp" {
  export default class UDP {
    constructor(options: Record<string, unknown>);
    close(): void;
  }
}

declare module "embedded:network/dns/resolver/udp" {
  export default class Resolver {
    constructor(options: { servers: string[]; socket: { io: unknown } });
    resolve(options: {
      host: string;
      onResolved: (host: string, address: string) => void;
      onError: (host: string) => void;
    }): void;
    close(): void;
  }
}

declare module "embedded:network/websocket/client" {
  /** The SDK's ECMA-419 WebSocket client (examples/io/tcp/websocketclient); see socket-io.ts for its use. */
  export default class WebSocketClient {
    constructor(options: Record<string, unknown>);
    read(into: ArrayBufferView): number;
    write(bytes: ArrayBufferView): number;
    close(): void;
  }
}

declare module "socket" {
  export class Socket {
    constructor(options: { host?: string; address?: string; port: number; noDelay?: boolean });
    callback: (message: number, value?: number) => void;
    read(type: ArrayBufferConstructor): ArrayBuffer;
    write(): number;
    write(bytes: ArrayBufferView): void;
    close(): void;
  }
}

declare module "securesocket" {
  export default class SecureSocket {
    constructor(options: Record<string, unknown>);
    callback: (message: number, value?: number) => void;
    read(type: ArrayBufferConstructor): ArrayBuffer;
    write(): number;
    write(bytes: ArrayBufferView): void;
    close(): void;
  }
}

declare module "Resource" {
  export default class Resource extends ArrayBuffer {
    constructor(name: string);
    static exists(name: string): boolean;
  }
}

declare module "flash" {
  /** modules/files/flash (esp, esp32): a flash partition ("storage": ESP8266's file-system area, or the ESP32
   * data partition of that name), read and programmed at any byte, erased a 4 KB sector at a time. */
  export default class Flash {
    constructor(partition: string);
    erase(sector: number): void;
    read(offset: number, byteLength: number): ArrayBuffer;
    write(offset: number, byteLength: number, buffer: ArrayBufferLike | ArrayBufferView): void;
    readonly byteLength: number;
    readonly blockSize: number;
  }
}

declare module "file" {
  /** modules/files/file (lin: stdio files; write() flushes). */
  export class File {
    constructor(path: string, write?: boolean);
    read(type: typeof ArrayBuffer, count?: number): ArrayBuffer;
    write(...items: (ArrayBuffer | string)[]): void;
    close(): void;
    readonly length: number;
    position: number;
    static exists(path: string): boolean;
  }
}

declare module "mc/config" {
  const config: Readonly<Record<string, unknown>>;
  export default config;
}

/** XS prints to the debugger (xsbug) or the serial port. */
declare function trace(...values: unknown[]): void;
