// An engine driven over a real TCP transport, with reconnection by the engine's ReconnectBackoff, for the
// scenarios that need the engine itself (its held-back input under a flood, malformed server packets over
// TCP); the others drive the public MqttClient through support/recording-platform.ts. It records what the
// app would see (messages, completions, closes) and every PUBLISH it wrote, per connection.

import { PacketDecoder } from "../../../src/codec/index";
import type { ConnackPacket, Packet, PublishPacket, QoS } from "../../../src/codec/packet";
import type { Properties } from "../../../src/codec/properties";
import type { TlsOptions, Transport, TransportHandler } from "../../../src/client/transport";
import { Engine, ReconnectBackoff, type ConnectOptions, type EngineConfig, type EngineHandler } from "../../../src/engine/index";
import { NodePlatform } from "../../../src/platform/host/index";
import type { Clock } from "./clock";
import type { WrittenPublish } from "./recording-platform";

export interface ReceivedMessage {
  topic: string;
  payload: string;
  qos: QoS;
  dup: boolean;
  retain: boolean;
}

export type { WrittenPublish } from "./recording-platform";

export interface CloseRecord {
  at: number;
  reasonCode: number;
  error: Error | undefined;
}

export interface TcpSessionOptions {
  host?: string;
  port: number;
  /** TLS settings for the transport (plain TCP when absent). */
  tls?: TlsOptions;
  connect: ConnectOptions;
  engine?: EngineConfig;
  clock?: Clock;
  backoff?: { minDelayMs?: number; maxDelayMs?: number; jitter?: number };
  /** Reconnect after a close (default true). */
  reconnect?: boolean;
  /** Record each written PUBLISH (for DUP checks); default true. */
  recordWrites?: boolean;
  /** Keep each received message in `messages` (default true); off for floods, where only the hook counts. */
  recordMessages?: boolean;
}

export class TcpSession implements EngineHandler {
  readonly engine: Engine;
  readonly messages: ReceivedMessage[] = [];
  readonly written: WrittenPublish[] = [];
  readonly closes: CloseRecord[] = [];
  /** Every transport close with an error (refused, TLS failure, reset), including those before CONNECT. */
  readonly transportErrors: { at: number; error: Error }[] = [];
  readonly connacks: { at: number; connection: number; sessionPresent: boolean; reasonCode: number }[] = [];
  readonly publishDone = new Map<number, number>();
  readonly subscribeDone = new Map<number, readonly number[]>();
  /** Connection attempts (transport opens asked for), and the clock time of each. */
  attempts = 0;
  readonly attemptTimes: number[] = [];
  /** Called for each message (after it is recorded). */
  onMessageHook: ((m: ReceivedMessage) => void) | undefined;
  /** Called when a token completes. */
  onDoneHook: ((token: number, code: number) => void) | undefined;
  private readonly clock: Clock;
  private readonly platform = new NodePlatform({ closeTimeoutMs: 500 });
  private readonly backoff: ReconnectBackoff;
  private transport: Transport | undefined;
  private open = false;
  private pollTimer: unknown;
  private reconnectTimer: unknown;
  private stopped = false;
  private readonly outDecoder: PacketDecoder;
  /** Received bytes the engine did not take yet (ack backpressure), fed again as the transport drains. */
  private unread: Uint8Array[] = [];
  private unreadOffset = 0;
  /** Most bytes ever held back for the engine: how far ack backpressure went. */
  maxUnreadBytes = 0;

  constructor(private readonly options: TcpSessionOptions) {
    this.clock = options.clock ?? this.platform;
    this.engine = new Engine(this, options.engine);
    this.backoff = new ReconnectBackoff({ minDelayMs: 200, maxDelayMs: 2000, jitter: 0.5, ...options.backoff }, this.clock);
    this.outDecoder = new PacketDecoder({ buffer: new Uint8Array(256 * 1024), version: options.connect.protocolVersion ?? 5 });
  }

  get connected(): boolean {
    return this.engine.state === 2;
  }

  start(): void {
    this.engine.connect(this.options.connect, this.clock.now());
    this.openTransport();
  }

  /** Orderly end: DISCONNECT, no reconnection. */
  stop(): void {
    this.stopped = true;
    this.clock.clearTimer(this.reconnectTimer);
    if (this.connected) {
      this.engine.disconnect(0, undefined, this.clock.now());
      this.flush();
    }
    this.transport?.close();
  }

  publish(topic: string, payload: string, qos: QoS): number {
    const token = this.engine.publish(topic, payload, qos, false, undefined, this.clock.now());
    this.flush();
    return token;
  }

  subscribe(filters: string[], qos: QoS): number {
    const token = this.engine.subscribe(filters.map((filter) => ({ filter, qos })), undefined, this.clock.now());
    this.flush();
    return token;
  }

  unsubscribe(filters: string[]): number {
    const token = this.engine.unsubscribe(filters, undefined, this.clock.now());
    this.flush();
    return token;
  }

  // EngineHandler
  onConnack(connack: ConnackPacket): void {
    this.connacks.push({ at: this.clock.now(), connection: this.attempts, sessionPresent: connack.sessionPresent, reasonCode: connack.reasonCode });
    if (connack.reasonCode === 0) this.backoff.connected(this.clock.now());
  }
  onMessage(message: PublishPacket): void {
    const bytes = message.payload as Uint8Array;
    const start = message.payloadOffset ?? 0;
    const payload = new TextDecoder().decode(bytes.subarray(start, start + (message.payloadLength ?? 0)));
    const m = { topic: message.topic, payload, qos: message.qos, dup: message.dup, retain: message.retain };
    if (this.options.recordMessages !== false) this.messages.push(m);
    this.onMessageHook?.(m);
  }
  onPublishDone(token: number, reasonCode: number): void {
    this.publishDone.set(token, reasonCode);
    this.onDoneHook?.(token, reasonCode);
  }
  onSubscribeDone(token: number, reasonCodes: readonly number[]): void {
    this.subscribeDone.set(token, [...reasonCodes]);
  }
  onUnsubscribeDone(): void {}
  onDisconnect(_code: number, _props: Properties | undefined): void {}
  onClose(reasonCode: number, error: Error | undefined): void {
    this.closes.push({ at: this.clock.now(), reasonCode, error });
    this.flush();
    this.transport?.close();
  }

  private openTransport(): void {
    this.attempts++;
    this.attemptTimes.push(this.clock.now());
    this.outDecoder.reset();
    const handler: TransportHandler = {
      onOpen: () => {
        this.open = true;
        this.engine.connectionOpened(this.clock.now());
        this.afterEngineCall();
      },
      onData: (bytes, start, end) => {
        if (this.unread.length === 0) {
          const n = this.engine.receive(bytes, start, end, this.clock.now());
          if (start + n < end) this.unread.push(bytes.slice(start + n, end));
        } else {
          this.unread.push(bytes.slice(start, end));
        }
        this.noteUnread();
        this.afterEngineCall();
      },
      onWritable: () => this.flush(),
      onClose: (error) => this.transportClosed(error),
    };
    this.transport = this.platform.connect({ host: this.options.host ?? "127.0.0.1", port: this.options.port, tls: this.options.tls }, handler);
  }

  private transportClosed(error: Error | undefined): void {
    this.open = false;
    this.unread = [];
    this.unreadOffset = 0;
    this.transport = undefined;
    if (error) this.transportErrors.push({ at: this.clock.now(), error });
    this.engine.connectionClosed(this.clock.now(), error);
    this.backoff.disconnected(this.clock.now());
    this.clock.clearTimer(this.pollTimer);
    if (this.stopped || this.options.reconnect === false) return;
    this.reconnectTimer = this.clock.setTimer(this.backoff.nextDelay(), () => this.openTransport());
  }

  private afterEngineCall(): void {
    this.flush();
    this.schedulePoll();
  }

  private schedulePoll(): void {
    this.clock.clearTimer(this.pollTimer);
    const delay = this.engine.poll(this.clock.now());
    this.flush();
    if (delay >= 0) this.pollTimer = this.clock.setTimer(delay, () => this.schedulePoll());
  }

  /** Writes what the transport takes now; the rest waits for onWritable. */
  private flush(): void {
    const e = this.engine;
    while (this.open && this.transport && e.pending() > 0) {
      const start = e.pendingStart;
      const n = this.transport.write(e.transmitBuffer, start, e.pendingEnd);
      if (n === 0) return;
      if (this.options.recordWrites !== false) this.record(e.transmitBuffer, start, start + n);
      e.consumed(n);
      this.feedUnread();
    }
  }

  // Room appeared in the transmit buffer: the engine may read again where it stopped.
  private feedUnread(): void {
    while (this.open && this.unread.length > 0) {
      const chunk = this.unread[0];
      const n = this.engine.receive(chunk, this.unreadOffset, chunk.length, this.clock.now());
      this.unreadOffset += n;
      if (this.unreadOffset < chunk.length) return;
      this.unread.shift();
      this.unreadOffset = 0;
    }
  }

  private noteUnread(): void {
    let held = -this.unreadOffset;
    for (const c of this.unread) held += c.length;
    if (held > this.maxUnreadBytes) this.maxUnreadBytes = held;
  }

  private record(bytes: Uint8Array, start: number, end: number): void {
    try {
      for (let i = start; i < end; ) {
        i += this.outDecoder.feed(bytes, i, end);
        const p: Packet | null = this.outDecoder.packet;
        if (p && p.type === 3) {
          const b = p.payload as Uint8Array;
          const o = p.payloadOffset ?? 0;
          const payload = new TextDecoder().decode(b.subarray(o, o + (p.payloadLength ?? 0)));
          this.written.push({ connection: this.attempts, packetId: p.packetId, qos: p.qos, dup: p.dup, payload });
        }
      }
    } catch (error) {
      throw new Error(`the engine wrote bytes our decoder refuses: ${(error as Error).message}`);
    }
  }
}
