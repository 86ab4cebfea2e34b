// A Platform for measuring the public client inside XS with nothing else running: no bridge, no Node, no
// socket. The test plays the network and the clock itself: it opens the connection, feeds the server's bytes
// (CONNACK, SUBACK, PUBACKs, PUBLISHes) when it wants, and fires the one timer the client uses on demand.
// Writes are swallowed whole. Every step allocates nothing, so what a measurement sees is the client's own
// (the client tier's host-tests/client/fake-platform.ts records every written byte and keeps a timer set,
// which allocates: right for checking what the client writes, wrong for measuring it).
import type { Platform, TimerHandle, Transport, TransportHandler, TransportOptions } from "../../src/client/transport";

/** The handle of the one timer: the client keeps at most one armed (mqtt-client.ts). */
const TIMER = 1;

export class FakeTransport implements Transport {
  open = true;
  constructor(private readonly platform: FakePlatform, readonly handler: TransportHandler) {}
  write(bytes: Uint8Array, start: number, end: number): number {
    void bytes;
    return end - start;
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.platform.closing = this;
  }
}

export class FakePlatform implements Platform {
  /** The fake clock, in ms: moves only when the test moves it. */
  clock = 0;
  /** The open connection (undefined once its close was delivered). */
  transport: FakeTransport | undefined = undefined;
  /** A transport the client closed; settle() delivers its onClose, as a real socket does on a later turn. */
  closing: FakeTransport | undefined = undefined;
  private timerCallback: (() => void) | undefined = undefined;
  private timerDue = 0;

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    void options;
    const transport = new FakeTransport(this, handler);
    this.transport = transport;
    return transport;
  }

  now(): number { return this.clock; }
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    this.timerCallback = callback;
    this.timerDue = this.clock + delayMs;
    return TIMER;
  }
  clearTimer(handle: TimerHandle): void {
    void handle;
    this.timerCallback = undefined;
  }
  random(): number { return 0.5; }

  /** True while the client has its timer armed. */
  get timerArmed(): boolean { return this.timerCallback !== undefined; }

  /** Moves the clock by `ms` and fires the timer when it is due. */
  advance(ms: number): void {
    this.clock += ms;
    const callback = this.timerCallback;
    if (callback !== undefined && this.clock >= this.timerDue) {
      this.timerCallback = undefined;
      callback();
    }
  }

  /** The transport's connection is open (TCP up). */
  opened(): void { this.transport!.handler.onOpen(); }

  /** Server bytes bytes[0, length) arrive on the open connection. */
  feed(bytes: Uint8Array, length = bytes.length): void { this.transport!.handler.onData(bytes, 0, length); }

  /** Delivers the close of the transport the client closed (onClose), then forgets it. */
  settle(): void {
    const closing = this.closing;
    if (closing === undefined) return;
    this.closing = undefined;
    if (this.transport === closing) this.transport = undefined;
    closing.handler.onClose();
  }
}
