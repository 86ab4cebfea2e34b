// Scripted stand-ins for Moddable's socket classes, behaving as the SDK's do at run time
// (modules/io/socket/lin/tcp.c, modules/network/socket/lin/modSocket.c): write() throws "would block"
// when the bytes exceed the room left and returns the room left; read(view) fills the view whole.
import type { TransportHandler } from "../../src/client/transport";
import type { LegacySocket, StreamSocket, StreamSocketOptions } from "../../src/platform/moddable/socket-io";

export class FakeStreamSocket implements StreamSocket {
  static instances: FakeStreamSocket[] = [];
  readonly options: StreamSocketOptions;
  room = 0;
  written: number[] = [];
  writeViews: Uint8Array[] = [];
  incoming: number[] = [];
  closed = false;

  constructor(options: StreamSocketOptions) {
    this.options = options;
    FakeStreamSocket.instances.push(this);
  }

  write(bytes: Uint8Array): number {
    if (bytes.length > this.room) throw new Error("would block");
    this.room -= bytes.length;
    this.written.push(...bytes);
    this.writeViews.push(bytes);
    return this.room;
  }

  /** The SDK's WebSocket client switches this to read single bytes as numbers during its handshake. */
  format = "buffer";

  read(into: Uint8Array): number;
  read(): number | undefined;
  read(into?: Uint8Array): number | undefined {
    if (into === undefined) return this.incoming.shift();
    if (into.length > this.incoming.length) throw new Error("invalid");
    into.set(this.incoming.splice(0, into.length));
    return into.length;
  }

  close(): void {
    this.closed = true;
  }

  /** The peer sends bytes: they become readable. */
  receive(bytes: number[]): void {
    this.incoming.push(...bytes);
    this.options.onReadable(this.incoming.length);
  }
}

export class FakeLegacySocket implements LegacySocket {
  static instances: FakeLegacySocket[] = [];
  readonly options: Record<string, unknown>;
  callback: (message: number, value?: number) => void = () => {};
  room = 0;
  written: number[] = [];
  incoming: number[] = [];
  closed = false;

  constructor(options: Record<string, unknown>) {
    this.options = options;
    FakeLegacySocket.instances.push(this);
  }

  read(): ArrayBuffer {
    return Uint8Array.from(this.incoming.splice(0)).buffer;
  }

  write(bytes?: Uint8Array): number | undefined {
    if (bytes === undefined) return this.room;
    if (bytes.length > this.room) throw new Error("can't write all data");
    this.room -= bytes.length;
    this.written.push(...bytes);
    return undefined;
  }

  close(): void {
    this.closed = true;
  }
}

/** Records what a transport reports; deferred callbacks run when flush() is called. */
export class RecordingHandler implements TransportHandler {
  events: string[] = [];
  received: number[] = [];
  closeError: Error | undefined = undefined;
  onOpen(): void {
    this.events.push("open");
  }
  onData(bytes: Uint8Array, start: number, end: number): void {
    this.events.push(`data ${end - start}`);
    this.received.push(...bytes.subarray(start, end));
  }
  onWritable(): void {
    this.events.push("writable");
  }
  onClose(error?: Error): void {
    this.events.push(error ? `close ${error.message}` : "close");
    this.closeError = error;
  }
}

export class ManualDefer {
  #pending: (() => void)[] = [];
  readonly defer = (callback: () => void) => void this.#pending.push(callback);
  flush(): void {
    for (const callback of this.#pending.splice(0)) callback();
  }
}

export const bytes = (...values: number[]) => Uint8Array.from(values);
