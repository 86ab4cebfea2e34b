// A Transport over Node's net/tls sockets.
//
// write() copies what it takes into staging chunks (StagedTransport, WriteStaging) that are handed to the
// socket once per event-loop turn (setImmediate: after every I/O callback of the turn, so acks arriving in
// many reads still lead to one write), so a burst of small packets becomes one system call. It never takes
// more than `highWaterMark` bytes beyond what the kernel has accepted: when full it returns a short count,
// and onWritable follows once the socket drains.
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import { StagedTransport } from "./staged-transport";
import { nodeTlsOptions } from "./tls-options";

/** Buffering of a {@link NodeTransport}. */
export interface NodeTransportOptions {
  /** Bytes accepted beyond what the socket has flushed; default 64 KiB. */
  highWaterMark?: number;
  /** Size of one staging chunk; default 16 KiB. */
  chunkSize?: number;
  /** Force close this long after an orderly close() if the peer does not finish it; default 2000 ms. */
  closeTimeoutMs?: number;
  /** WebSocket only: the largest message accepted from the server; default 16 MiB. */
  maxMessageSize?: number;
}

/** A {@link Transport} over Node's net/tls sockets that turns a burst of small writes into one system call. */
export class NodeTransport extends StagedTransport implements Transport {
  private readonly socket: Socket;

  constructor(options: TransportOptions, handler: TransportHandler, config: NodeTransportOptions = {}) {
    super(handler, config);
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

  /** Stops 'data' events (the socket's own flow control: the kernel window closes, the broker waits). */
  pause(): void {
    this.socket.pause();
  }

  /** Delivers 'data' events again after pause(). */
  resume(): void {
    this.socket.resume();
  }

  protected endOrderly(): void {
    this.socket.end();
  }

  protected abort(): void {
    this.socket.destroy();
  }

  protected unflushed(): number {
    return this.socket.writableLength;
  }

  protected handOver(): void {
    if (this.socket.destroyed) return;
    const corked = this.staging.several;
    if (corked) this.socket.cork();
    this.staging.take(this.send);
    if (corked) this.socket.uncork();
  }

  private readonly send = (window: Uint8Array): void => {
    this.socket.write(window);
  };
}
