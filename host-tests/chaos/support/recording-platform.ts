// A test probe around a real Platform: the wrapped platform (NodePlatform) does all the I/O, and this one
// watches it. Every connection the client opens gets a record: bytes each way, the PUBLISH packets the
// client wrote (decoded from what the transport took, with DUP and packet id, to check DUP on resends), the
// PUBLISH packets the broker sent, whether the CONNACK resumed a session, and how the connection ended.
// A clock may replace the platform's time and timers (a VirtualClock for exact keepalive/backoff bounds).

import { PacketDecoder } from "../../../src/codec/index";
import type { Packet, QoS } from "../../../src/codec/packet";
import type { Platform, TimerHandle, Transport, TransportHandler, TransportOptions } from "../../../src/client/transport";
import type { Clock } from "./clock";

export interface WrittenPublish {
  connection: number;
  packetId: number;
  qos: QoS;
  dup: boolean;
  payload: string;
}

export interface ConnectionRecord {
  /** 1 for the first connection the client opened. */
  index: number;
  openedAt: number;
  /** The transport reported open (TCP, or TLS after its handshake). */
  open: boolean;
  closedAt: number | undefined;
  error: Error | undefined;
  bytesUp: number;
  bytesDown: number;
  /** PUBLISH packets the broker sent on this connection. */
  publishesIn: number;
  /** PUBLISH packets the client wrote on this connection, and how many of them carried DUP. */
  publishesOut: number;
  dupsOut: number;
  /** Bytes received before the CONNACK ended (-1 until it came), and its Session Present flag. */
  connackAtByte: number;
  sessionPresent: boolean | undefined;
}

export interface RecordingOptions {
  /** Replaces the wrapped platform's clock, timers and random source. */
  clock?: Clock;
  /** Keep every written PUBLISH in `written` (default true). */
  recordWrites?: boolean;
  /** Decode the broker's bytes (PUBLISH count, CONNACK); default true. */
  decodeDown?: boolean;
}

const DECODER_BYTES = 64 * 1024;

export class RecordingPlatform implements Platform {
  readonly connections: ConnectionRecord[] = [];
  readonly written: WrittenPublish[] = [];
  /** Packet ids of every PUBREL the broker sent, in order (to tell a broker's replay from a client's lapse). */
  readonly pubrelsIn: number[] = [];
  private readonly text = new TextDecoder();

  constructor(private readonly inner: Platform, private readonly options: RecordingOptions = {}) {}

  /** The latest connection, if any. */
  get current(): ConnectionRecord | undefined {
    return this.connections[this.connections.length - 1];
  }

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    const record: ConnectionRecord = {
      index: this.connections.length + 1, openedAt: this.now(), open: false, closedAt: undefined, error: undefined,
      bytesUp: 0, bytesDown: 0, publishesIn: 0, publishesOut: 0, dupsOut: 0, connackAtByte: -1, sessionPresent: undefined,
    };
    this.connections.push(record);
    const up = new PacketDecoder({ buffer: new Uint8Array(DECODER_BYTES) });
    const down = this.options.decodeDown === false ? undefined : new PacketDecoder({ buffer: new Uint8Array(DECODER_BYTES) });
    const watched: TransportHandler = {
      onOpen: () => {
        record.open = true;
        handler.onOpen();
      },
      onData: (bytes, start, end) => {
        if (down) {
          down.version = up.version; // learnt from the CONNECT the client wrote
          this.decode(down, bytes, start, end, record, "down");
        }
        record.bytesDown += end - start;
        handler.onData(bytes, start, end);
      },
      onWritable: () => handler.onWritable(),
      onClose: (error) => {
        record.closedAt = this.now();
        record.error = error;
        handler.onClose(error);
      },
    };
    const transport = this.inner.connect(options, watched);
    const probe: Transport = {
      write: (bytes, start, end) => {
        const taken = transport.write(bytes, start, end);
        this.decode(up, bytes, start, start + taken, record, "up");
        record.bytesUp += taken;
        return taken;
      },
      close: () => transport.close(),
    };
    if (transport.pause) probe.pause = () => transport.pause?.();
    if (transport.resume) probe.resume = () => transport.resume?.();
    return probe;
  }

  now(): number {
    return this.options.clock ? this.options.clock.now() : this.inner.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return this.options.clock ? this.options.clock.setTimer(delayMs, callback) : this.inner.setTimer(delayMs, callback);
  }

  clearTimer(handle: TimerHandle): void {
    if (this.options.clock) this.options.clock.clearTimer(handle);
    else this.inner.clearTimer(handle);
  }

  random(): number {
    return this.options.clock ? this.options.clock.random() : this.inner.random();
  }

  private decode(decoder: PacketDecoder, bytes: Uint8Array, start: number, end: number, record: ConnectionRecord, way: "up" | "down"): void {
    try {
      for (let i = start; i < end; ) {
        i += decoder.feed(bytes, i, end);
        const p = decoder.packet;
        if (p) this.note(p, record, way, record.bytesDown + (i - start));
      }
    } catch (error) {
      throw new Error(`the ${way === "up" ? "client" : "broker"} wrote bytes our decoder refuses: ${(error as Error).message}`);
    }
  }

  private note(p: Packet, record: ConnectionRecord, way: "up" | "down", atByte: number): void {
    if (way === "down") {
      if (p.type === 3) record.publishesIn++;
      else if (p.type === 6) this.pubrelsIn.push(p.packetId);
      else if (p.type === 2) {
        record.connackAtByte = atByte;
        record.sessionPresent = p.sessionPresent;
      }
      return;
    }
    if (p.type !== 3) return;
    record.publishesOut++;
    if (p.dup) record.dupsOut++;
    if (this.options.recordWrites === false || p.qos === 0) return;
    const body = p.payload as Uint8Array;
    const offset = p.payloadOffset ?? 0;
    const payload = this.text.decode(body.subarray(offset, offset + (p.payloadLength ?? 0)));
    this.written.push({ connection: record.index, packetId: p.packetId, qos: p.qos, dup: p.dup, payload });
  }
}
