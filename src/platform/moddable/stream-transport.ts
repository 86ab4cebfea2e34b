// What the ECMA-419 transports (TCP/TLS, and WebSocket over them) share: writes sized by the room the
// stream reports, reads into the receive buffer in buffer-sized steps, and pausing.
//
// Backpressure: the stream says how much fits (onWritable(count), and write() returns what is still
// writable); write() hands over at most that much and reports the count, so nothing queues here.
// Reception: onReadable(count) is drained at once into the receive buffer, in buffer-sized steps; while
// the client has paused us the bytes stay in the stream (the TCP window closes and the broker waits), and
// resume() reads them. Views of the caller's windows are cached, so steady traffic allocates nothing.

import type { TransportHandler } from "../../client/transport";
import type { TransportContext } from "./ecma419-transport";
import type { StreamSocket } from "./socket-io";
import { TransportBase } from "./transport-base";
import { ViewCache } from "./view-cache";

export abstract class StreamTransport extends TransportBase {
  readonly #outView = new ViewCache();
  readonly #inView = new ViewCache();
  /** The most one write() hands over. */
  readonly #maxWrite: number;
  #writable = 0;
  #opened = false;
  #blocked = false;
  /** Bytes the stream holds that we have not read; read only while not paused. */
  #unread = 0;
  #paused = false;

  constructor(handler: TransportHandler, context: TransportContext, maxWrite: number) {
    super(handler, context);
    this.#maxWrite = maxWrite;
  }

  /** The stream to read and write once open; undefined before it exists and after release. */
  protected abstract stream(): StreamSocket | undefined;

  /** A reason to refuse the connection at the moment it would open; undefined to open it. */
  protected openRefusal(): Error | undefined {
    return undefined;
  }

  protected get opened(): boolean {
    return this.#opened;
  }

  write(bytes: Uint8Array, start: number, end: number): number {
    const stream = this.stream();
    if (this.closed || !this.#opened || stream === undefined) return 0;
    const count = Math.min(end - start, this.#writable, this.#maxWrite);
    if (count < end - start) this.#blocked = true;
    if (count <= 0) return 0;
    let left: unknown;
    try {
      left = stream.write(this.#outView.view(bytes, start, start + count));
    } catch {
      // "would block": the stream's own count was smaller than ours. Nothing was taken.
      this.#writable = 0;
      this.#blocked = true;
      return 0;
    }
    this.#writable = typeof left === "number" ? left : this.#writable - count;
    return count;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.guard(this.#drain, undefined, undefined);
  }

  // The first onWritable means connected (for TLS: handshake done; for WebSocket: upgraded).
  protected writableCount(count: number): void {
    if (this.closed) return;
    this.#writable = count;
    if (!this.#opened) {
      const refusal = this.openRefusal();
      if (refusal !== undefined) return this.finish(refusal);
      this.#opened = true;
      this.handler.onOpen();
    } else if (this.#blocked && count > 0) {
      this.#blocked = false;
      this.handler.onWritable();
    }
  }

  protected readableCount(count: number): void {
    this.#unread = count;
    this.#drain();
  }

  // Reads where the handler says (its engine's receive buffer: bytes are parsed where they land), else into
  // the platform's buffer, in steps of what fits there.
  #drain(): void {
    const handler = this.handler;
    let stream: StreamSocket | undefined;
    while (this.#unread > 0 && !this.#paused && !this.closed && (stream = this.stream()) !== undefined) {
      const target = handler.readBuffer;
      const buffer = target ?? this.context.receiveBuffer;
      const start = target === undefined ? 0 : (handler.readStart ?? 0);
      const length = Math.min(this.#unread, buffer.length - start);
      if (length <= 0) return;
      stream.read(this.#inView.view(buffer, start, start + length));
      this.#unread -= length;
      handler.onData(buffer, start, start + length);
    }
  }

  /** Lets go of the caller's buffers (the cached views point into them). */
  protected clearViews(): void {
    this.#outView.clear();
    this.#inView.clear();
  }
}
