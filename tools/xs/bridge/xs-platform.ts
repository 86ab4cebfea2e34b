// A Platform (src/client/transport.ts) for code running on the XS test host: its one TCP connection is
// relayed through the host's channel to the Node parent (node-bridge.ts), which owns the real socket.
// The transport keeps at most WINDOW bytes in flight: write() takes what fits and onWritable() follows the
// parent's WRITTEN acknowledgements, as a device socket with a fixed send buffer would.
import type { Platform, TimerHandle, Transport, TransportHandler, TransportOptions } from "../../../src/client/transport";
import { HostTimers } from "../timers";
import { xsHost } from "../xs-globals";
import { FRAME_CLOSE, FRAME_DATA, FRAME_HEADER, FRAME_OPEN, FRAME_OPENED, FRAME_WRITTEN, MAX_FRAME } from "./protocol";

const WINDOW = 4096;

export class BridgePlatform implements Platform {
  private readonly timers = new HostTimers();
  private readonly receiveBuffer = new ArrayBuffer(MAX_FRAME);
  private readonly received = new Uint8Array(this.receiveBuffer);
  private readonly sendBuffer = new ArrayBuffer(MAX_FRAME);
  private readonly sending = new Uint8Array(this.sendBuffer);
  private current: BridgeTransport | null = null;
  private connectionNumber = 0;
  private listening = false;

  /**
   * `random` replaces Math.random for backoff jitter: every xs-host process starts Math.random from the same
   * seed, so devices simulated side by side need seeds of their own or they reconnect in lockstep.
   */
  constructor(private readonly randomSource: () => number = Math.random) {}

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    if (options.tls) throw new Error("the XS bridge carries plain TCP only");
    if (this.current) this.current.abandon();
    if (!this.listening) {
      xsHost().channelListen(this.receiveBuffer, (length) => this.onFrame(length));
      this.listening = true;
    }
    this.connectionNumber = (this.connectionNumber + 1) & 0xff;
    const transport = new BridgeTransport(this, this.connectionNumber, handler);
    this.current = transport;
    const address = `${options.host}:${options.port}`;
    let n = FRAME_HEADER;
    for (let i = 0; i < address.length; i++) this.sending[n++] = address.charCodeAt(i) & 0x7f;
    this.send(FRAME_OPEN, this.connectionNumber, n);
    return transport;
  }

  now(): number { return xsHost().now(); }
  setTimer(delayMs: number, callback: () => void): TimerHandle { return this.timers.set(delayMs, callback); }
  clearTimer(handle: TimerHandle): void { this.timers.clear(handle); }
  random(): number { return this.randomSource(); }

  /** Sends bytes[start, end) of the connection as DATA frames; they are copied, nothing is kept. */
  sendData(connection: number, bytes: Uint8Array, start: number, end: number): void {
    while (start < end) {
      const count = Math.min(end - start, MAX_FRAME - FRAME_HEADER);
      this.sending.set(bytes.subarray(start, start + count), FRAME_HEADER);
      this.send(FRAME_DATA, connection, FRAME_HEADER + count);
      start += count;
    }
  }

  sendClose(connection: number): void { this.send(FRAME_CLOSE, connection, FRAME_HEADER); }

  forget(transport: BridgeTransport): void {
    if (this.current === transport) this.current = null;
  }

  private send(type: number, connection: number, end: number): void {
    this.sending[0] = type;
    this.sending[1] = connection;
    xsHost().channelSend(this.sendBuffer, 0, end);
  }

  private onFrame(length: number): void {
    if (length < 0) {
      this.listening = false;
      this.current?.closed("bridge closed");
      return;
    }
    const transport = this.current;
    if (!transport || this.received[1] !== transport.connection) return; // a closed connection's late frame
    switch (this.received[0]) {
      case FRAME_OPENED: transport.opened(); break;
      case FRAME_DATA: transport.data(this.received, FRAME_HEADER, length); break;
      case FRAME_WRITTEN: transport.written(readU32(this.received, FRAME_HEADER)); break;
      case FRAME_CLOSE: transport.closed(length > FRAME_HEADER ? ascii(this.received, FRAME_HEADER, length) : undefined); break;
      default: throw new Error(`bridge: unknown frame type ${this.received[0]}`);
    }
  }
}

class BridgeTransport implements Transport {
  private inFlight = 0;
  private blocked = false;
  private done = false;

  constructor(private readonly platform: BridgePlatform, readonly connection: number, private readonly handler: TransportHandler) {}

  write(bytes: Uint8Array, start: number, end: number): number {
    if (this.done) return 0;
    const count = Math.min(end - start, WINDOW - this.inFlight);
    if (count < end - start) this.blocked = true;
    if (count <= 0) return 0;
    this.platform.sendData(this.connection, bytes, start, start + count);
    this.inFlight += count;
    return count;
  }

  close(): void {
    if (this.done) return;
    this.platform.sendClose(this.connection);
  }

  opened(): void { if (!this.done) this.handler.onOpen(); }

  data(bytes: Uint8Array, start: number, end: number): void {
    if (!this.done) this.handler.onData(bytes, start, end);
  }

  written(count: number): void {
    this.inFlight -= count;
    if (this.blocked && !this.done) {
      this.blocked = false;
      this.handler.onWritable();
    }
  }

  closed(error?: string): void {
    if (this.done) return;
    this.done = true;
    this.platform.forget(this);
    this.handler.onClose(error === undefined ? undefined : new Error(error));
  }

  /** A newer connect() replaced this one: it ends without further callbacks. */
  abandon(): void {
    if (this.done) return;
    this.platform.sendClose(this.connection);
    this.done = true;
    this.platform.forget(this);
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
