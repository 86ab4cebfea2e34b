// A Transport over Node's net/tls sockets.
//
// write() copies what it takes into staging chunks that are handed to the socket once per event-loop turn
// (setImmediate: after every I/O callback of the turn, so acks arriving in many reads still lead to one
// write), so a burst of small packets becomes one system call. It never takes more than `highWaterMark` bytes beyond what the
// kernel has accepted: when full it returns a short count, and onWritable follows once the socket drains.
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import { nodeTlsOptions } from "./tls-options";

/** Buffering of a {@link NodeTransport}. */
export interface NodeTransportOptions {
  /** Bytes accepted beyond what the socket has flushed; default 64 KiB. */
  highWaterMark?: number;
  /** Size of one staging chunk; default 16 KiB. */
  chunkSize?: number;
  /** Force close this long after an orderly close() if the peer does not finish it; default 2000 ms. */
  closeTimeoutMs?: number;
}

/** A {@link Transport} over Node's net/tls sockets that turns a burst of small writes into one system call. */
export class NodeTransport implements Transport {
  private readonly socket: Socket;
  private readonly highWaterMark: number;
  private readonly chunkSize: number;
  private readonly closeTimeoutMs: number;
  private open = false;
  private ended = false;
  /** close() was called: the end is ours, not an error. */
  private closing = false;
  private wantWritable = false;
  private error: Error | undefined;
  // Filled chunks waiting for the next flush, and the chunk being filled.
  private readonly full: Buffer[] = [];
  private current: Buffer | undefined;
  private currentLength = 0;
  /** current[0, currentFlushed) is already with the socket. */
  private currentFlushed = 0;
  private staged = 0;
  private flushScheduled = false;

  constructor(options: TransportOptions, private readonly handler: TransportHandler, config: NodeTransportOptions = {}) {
    this.highWaterMark = config.highWaterMark ?? 64 * 1024;
    this.chunkSize = config.chunkSize ?? 16 * 1024;
    this.closeTimeoutMs = config.closeTimeoutMs ?? 2000;
    const { host, port, tls } = options;
    this.socket = tls
      ? tlsConnect(nodeTlsOptions(host, port, tls), () => this.opened())
      : netConnect({ host, port }, () => this.opened());
    this.socket.setNoDelay(true);
    this.socket.on("data", (data: Buffer) => this.handler.onData(data, 0, data.length));
    this.socket.on("drain", () => this.drained());
    this.socket.on("error", (error) => (this.error ??= error));
    this.socket.on("close", () => this.closed());
  }

  write(bytes: Uint8Array, start: number, end: number): number {
    if (!this.open || this.ended) return 0;
    const room = this.highWaterMark - this.socket.writableLength - this.staged;
    const n = Math.max(0, Math.min(room, end - start));
    if (n < end - start) this.wantWritable = true;
    if (n === 0) return 0;
    this.stage(bytes, start, start + n);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return n;
  }

  /** Stops 'data' events (the socket's own flow control: the kernel window closes, the broker waits). */
  pause(): void {
    this.socket.pause();
  }

  /** Delivers 'data' events again after pause(). */
  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.closing = true;
    if (!this.open) {
      this.socket.destroy();
      return;
    }
    this.flush();
    this.socket.end();
    // A peer that never answers our FIN must not keep the connection (and onClose) pending forever.
    setTimeout(() => this.socket.destroy(), this.closeTimeoutMs).unref();
  }

  private stage(bytes: Uint8Array, start: number, end: number): void {
    this.staged += end - start;
    while (start < end) {
      if (!this.current || this.currentLength === this.current.length) this.nextChunk();
      const chunk = this.current!;
      const n = Math.min(end - start, chunk.length - this.currentLength);
      chunk.set(bytes.subarray(start, start + n), this.currentLength);
      this.currentLength += n;
      start += n;
    }
  }

  // A full chunk's unsent part joins the flush list; a fresh chunk takes its place.
  private nextChunk(): void {
    if (this.current && this.currentLength > this.currentFlushed) {
      this.full.push(this.current.subarray(this.currentFlushed, this.currentLength));
    }
    this.current = Buffer.allocUnsafe(this.chunkSize);
    this.currentLength = 0;
    this.currentFlushed = 0;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.staged === 0 || this.socket.destroyed) return;
    const corked = this.full.length > 0;
    if (corked) this.socket.cork();
    for (const chunk of this.full) this.socket.write(chunk);
    this.full.length = 0;
    if (this.current && this.currentLength > this.currentFlushed) {
      // The socket keeps this window until it is sent; later bytes go after it in the same chunk, so a
      // trickle of small writes does not cost a new chunk each.
      this.socket.write(this.current.subarray(this.currentFlushed, this.currentLength));
      this.currentFlushed = this.currentLength;
    }
    if (corked) this.socket.uncork();
    this.staged = 0;
    // Everything may have gone to the kernel at once, in which case no 'drain' will come.
    if (this.wantWritable && this.socket.writableLength < this.highWaterMark) this.drained();
  }

  private drained(): void {
    if (!this.wantWritable || this.ended || !this.open) return;
    this.wantWritable = false;
    this.handler.onWritable();
  }

  private opened(): void {
    if (this.ended) return;
    this.open = true;
    this.handler.onOpen();
  }

  private closed(): void {
    const wasOpen = this.open;
    this.open = false;
    this.ended = true;
    const refused = !wasOpen && !this.closing;
    const error = this.error ?? (refused ? new Error("connection closed before it opened") : undefined);
    this.handler.onClose(error);
  }
}
