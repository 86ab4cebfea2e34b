// A connected engine played against a scripted server inside XS, with steps that allocate nothing, so the
// engine's own steady-state cost can be measured: bytes the engine writes are consumed without copying,
// and the server's packets are encoded once and patched in place (packet identifiers).
import { encodePacket, type Packet } from "../../src/codec/index";
import type { PublishPacket, Subscription } from "../../src/codec/packet";
import type { Properties } from "../../src/codec/properties";
import { Engine, EngineState, type EngineConfig, type EngineHandler } from "../../src/engine/index";
import { check, checkEqual } from "./support/xs-case";

export const TOPIC = "sensors/device-1/temperature";

/** Counts events; keeps nothing, so delivering them allocates nothing. */
export class CountingHandler implements EngineHandler {
  connacks = 0;
  messages = 0;
  published = 0;
  lastPublishCode = -1;
  subscribed = 0;
  closed = 0;
  onConnack(): void { this.connacks++; }
  onMessage(message: PublishPacket): void { this.messages++; void message; }
  onPublishDone(token: number, reasonCode: number): void { this.published++; this.lastPublishCode = reasonCode; void token; }
  onSubscribeDone(): void { this.subscribed++; }
  onUnsubscribeDone(): void { /* not used */ }
  onDisconnect(): void { /* not used */ }
  onClose(): void { this.closed++; }
}

export function encodeOnce(packet: Packet): Uint8Array {
  const out = new Uint8Array(512);
  const n = encodePacket(packet, 5, out, 0);
  check(n > 0, "server packet encoded");
  return out.slice(0, n);
}

export function telemetryPayload(): Uint8Array {
  const payload = new Uint8Array(16);
  for (let i = 0; i < payload.length; i++) payload[i] = 0x30 + i;
  return payload;
}

export function inboundPublish(qos: 0 | 1 | 2, packetId: number): Uint8Array {
  return encodeOnce({ type: 3, topic: TOPIC, qos, retain: false, dup: false, packetId, payload: telemetryPayload() });
}

export class ScriptedSession {
  readonly handler = new CountingHandler();
  readonly engine: Engine;
  private readonly ack = new Uint8Array([0, 2, 0, 0]);

  constructor(config?: EngineConfig, properties?: Properties) {
    this.engine = new Engine(this.handler, config);
    this.engine.connect({ clientId: "xs-session", keepAlive: 0, properties }, 0);
    this.engine.connectionOpened(0);
    this.discard();
    this.deliver(encodeOnce({ type: 2, sessionPresent: false, reasonCode: 0 }));
    this.discard();
    checkEqual(this.engine.state, EngineState.CONNECTED, "engine state after CONNACK");
  }

  /** Feeds the server's bytes. receive() takes fewer when the engine's acks have no room; this transport
   * takes everything the engine writes, so what it wrote is consumed and the rest is fed again. */
  deliver(bytes: Uint8Array, length = bytes.length): void {
    let at = this.engine.receive(bytes, 0, length, 0);
    while (at < length) {
      const before = at;
      this.discard();
      at += this.engine.receive(bytes, at, length, 0);
      check(at > before, "the engine reads on once what it wrote is consumed");
    }
  }

  /** Drops whatever the engine wrote, as a transport that took it all would. */
  discard(): void {
    this.engine.consumed(this.engine.pending());
  }

  /** The first pending byte (packet type and flags), without consuming anything. */
  pendingType(): number {
    return this.engine.transmitBuffer[this.engine.pendingStart]! >> 4;
  }

  /** The packet identifier of the PUBLISH at the start of the pending bytes (no topic alias in use). */
  pendingPublishId(): number {
    const buf = this.engine.transmitBuffer;
    let i = this.engine.pendingStart + 1;
    while (buf[i++]! & 0x80) { /* remaining length */ }
    i += 2 + ((buf[i]! << 8) | buf[i + 1]!);
    return (buf[i]! << 8) | buf[i + 1]!;
  }

  /** The packet identifier of the ack (PUBACK/PUBREC/PUBREL/PUBCOMP) at the start of the pending bytes. */
  pendingAckId(): number {
    const buf = this.engine.transmitBuffer;
    const i = this.engine.pendingStart + 2;
    return (buf[i]! << 8) | buf[i + 1]!;
  }

  /** Sends an ack from the server (type 4 PUBACK, 5 PUBREC, 7 PUBCOMP, 6 PUBREL) for `packetId`. */
  serverAck(type: number, packetId: number): void {
    this.ack[0] = type === 6 ? 0x62 : type << 4;
    this.ack[2] = packetId >> 8;
    this.ack[3] = packetId & 0xff;
    this.deliver(this.ack);
  }

  subscribe(subscriptions: Subscription[]): void {
    this.engine.subscribe(subscriptions, undefined, 0);
    const id = this.pendingAckId();
    this.discard();
    this.deliver(encodeOnce({ type: 9, packetId: id, reasonCodes: subscriptions.map((s) => s.qos) }));
  }
}
