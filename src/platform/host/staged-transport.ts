// What the Node transports (net/tls and WebSocket) share: the open/closing/ended states, and write() that
// stages bytes (WriteStaging) for one hand-over per event-loop turn, never more than `highWaterMark` bytes
// beyond what the socket has flushed. Subclasses say how much the socket still holds, hand staged windows
// to it, and call opened(), drained() and closed() from their socket's events.
import type { TransportHandler } from "../../client/transport";
import type { NodeTransportOptions } from "./node-transport";
import { WriteStaging } from "./write-staging";

export abstract class StagedTransport {
  protected readonly highWaterMark: number;
  protected readonly closeTimeoutMs: number;
  protected readonly staging: WriteStaging;
  protected open = false;
  protected ended = false;
  /** close() was called: the end is ours, not an error. */
  protected closing = false;
  protected error: Error | undefined;
  private wantWritable = false;
  private flushScheduled = false;

  constructor(protected readonly handler: TransportHandler, config: NodeTransportOptions) {
    this.highWaterMark = config.highWaterMark ?? 64 * 1024;
    this.closeTimeoutMs = config.closeTimeoutMs ?? 2000;
    this.staging = new WriteStaging(config.chunkSize ?? 16 * 1024);
  }

  write(bytes: Uint8Array, start: number, end: number): number {
    if (!this.open || this.ended) return 0;
    const room = this.highWaterMark - this.unflushed() - this.staging.staged;
    const n = Math.max(0, Math.min(room, end - start));
    if (n < end - start) this.wantWritable = true;
    if (n === 0) return 0;
    this.staging.add(bytes, start, start + n);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return n;
  }

  /** Orderly: what is staged goes out first, then the subclass's orderly end (FIN, close frame). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.closing = true;
    if (!this.open) return this.abort();
    this.flush();
    this.endOrderly();
    // A peer that never finishes the close must not keep the connection (and onClose) pending forever.
    setTimeout(() => this.abort(), this.closeTimeoutMs).unref();
  }

  /** Starts the socket's orderly end. */
  protected abstract endOrderly(): void;

  /** Ends the socket at once. */
  protected abstract abort(): void;

  /** Bytes handed to the socket that it has not yet passed to the kernel. */
  protected abstract unflushed(): number;

  /** Hands every staged window to the socket. */
  protected abstract handOver(): void;

  protected flush(): void {
    this.flushScheduled = false;
    if (this.staging.staged === 0) return;
    this.handOver();
    // Everything may have gone to the kernel at once, in which case no drain event will come.
    this.drained();
  }

  /** The socket took more: the handler hears it if a write came up short and room is back. */
  protected drained(): void {
    if (!this.wantWritable || this.ended || !this.open) return;
    if (this.unflushed() + this.staging.staged >= this.highWaterMark) return;
    this.wantWritable = false;
    this.handler.onWritable();
  }

  protected opened(): void {
    if (this.ended) return;
    this.open = true;
    this.handler.onOpen();
  }

  /** The socket is gone; `error` is what the subclass makes of an end nobody reported an error for. */
  protected closed(unreported?: Error): void {
    const wasOpen = this.open;
    this.open = false;
    this.ended = true;
    const refused = !wasOpen && !this.closing;
    const error = this.error ?? (refused ? new Error("connection closed before it opened") : this.closing ? undefined : unreported);
    this.handler.onClose(error);
  }
}
