// A Platform in virtual time for the client's unit tests: timers fire when the test advances the clock,
// transports record what the client writes and take only as much as the test allows.
import type { Platform, Transport, TransportHandler, TransportOptions } from "../../src/client/transport";
import type { Packet, ProtocolVersion } from "../../src/codec/packet";
import { decodeAll, encode } from "../support/engine-harness";

interface Timer {
  due: number;
  callback: () => void;
}

export class FakeTransport implements Transport {
  written: number[] = [];
  /** Bytes write() accepts from now on (Infinity: all). */
  room = Infinity;
  closed = false;
  /** pause()/resume() calls, in order ("pause" | "resume"). */
  flow: string[] = [];

  constructor(readonly options: TransportOptions, readonly handler: TransportHandler) {}

  write(bytes: Uint8Array, start: number, end: number): number {
    if (this.closed) return 0;
    const n = Math.min(end - start, this.room);
    this.room -= n;
    for (let i = start; i < start + n; i++) this.written.push(bytes[i]!);
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.onClose();
  }

  pause(): void {
    this.flow.push("pause");
  }

  resume(): void {
    this.flow.push("resume");
  }

  /** Lets `n` more bytes through and tells the client it may write. */
  drain(n = Infinity): void {
    this.room = n;
    this.handler.onWritable();
  }

  /** Packets the client wrote since the last call. */
  take(version: ProtocolVersion = 5): Packet[] {
    const bytes = Uint8Array.from(this.written);
    this.written = [];
    return decodeAll(bytes, version);
  }

  deliver(packet: Packet, version: ProtocolVersion = 5): void {
    const bytes = encode(packet, version);
    this.handler.onData(bytes, 0, bytes.length);
  }

  /** Like deliver(), through one receive buffer that every delivery reuses, as a device transport's is. */
  deliverReused(packet: Packet, version: ProtocolVersion = 5): void {
    const bytes = encode(packet, version);
    this.inbox.set(bytes);
    this.handler.onData(this.inbox, 0, bytes.length);
  }
  private readonly inbox = new Uint8Array(1024);

  /** The peer drops the connection. */
  drop(error = new Error("connection reset")): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.onClose(error);
  }
}

export class FakePlatform implements Platform {
  time = 1000;
  transports: FakeTransport[] = [];
  timers = new Set<Timer>();

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    const t = new FakeTransport(options, handler);
    this.transports.push(t);
    return t;
  }

  get last(): FakeTransport {
    return this.transports[this.transports.length - 1]!;
  }

  now(): number {
    return this.time >>> 0;
  }

  setTimer(delayMs: number, callback: () => void): unknown {
    const timer = { due: this.time + Math.max(0, delayMs), callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as Timer);
  }

  random(): number {
    return 0;
  }

  /** Moves the clock forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers) if (t.due <= end && (next === undefined || t.due < next.due)) next = t;
      if (next === undefined) break;
      this.timers.delete(next);
      this.time = Math.max(this.time, next.due);
      next.callback();
    }
    this.time = end;
  }
}
