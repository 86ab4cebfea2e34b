// Test support for the engine: a virtual-time driver that records every event and every byte the engine
// writes, and a simulated broker (session state, QoS 1/2 flows, resends) for the randomized drop tests.

import { encodePacket, PacketDecoder } from "../../src/codec/index";
import type { Packet, ProtocolVersion, PublishPacket, QoS } from "../../src/codec/packet";
import type { Properties } from "../../src/codec/properties";
import { Engine } from "../../src/engine/index";
import { concat } from "./codec-harness";
import type { ConnectOptions, EngineConfig, EngineHandler } from "../../src/engine/index";

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function encode(packet: Packet, version: ProtocolVersion = 5): Uint8Array {
  const out = new Uint8Array(300_000);
  const n = encodePacket(packet, version, out, 0);
  if (n === 0) throw new Error("test packet did not fit");
  return out.slice(0, n);
}

/** Decodes a whole byte string into deep copies of its packets (payload windows become byte arrays). */
export function decodeAll(bytes: Uint8Array, version: ProtocolVersion = 5): Packet[] {
  const decoder = new PacketDecoder({ buffer: new Uint8Array(300_000), version, maximumPacketSize: 300_000 });
  const packets: Packet[] = [];
  let i = 0;
  while (i < bytes.length) {
    i += decoder.feed(bytes, i, bytes.length);
    if (decoder.packet) packets.push(copyPacket(decoder.packet));
  }
  return packets;
}

export function payloadOf(p: PublishPacket): Uint8Array {
  const b = typeof p.payload === "string" ? new TextEncoder().encode(p.payload) : p.payload;
  const start = p.payloadOffset ?? 0;
  return b.slice(start, start + (p.payloadLength ?? b.length - start));
}

function copyPacket(p: Packet): Packet {
  const copy = structuredClone({ ...p, payload: undefined }) as Record<string, unknown>;
  if (p.type === 3) {
    copy.payload = payloadOf(p);
    delete copy.payloadOffset;
    delete copy.payloadLength;
  } else delete copy.payload;
  return copy as unknown as Packet;
}

export type EngineEvent =
  | { event: "connack"; reasonCode: number; sessionPresent: boolean; properties?: Properties }
  | { event: "message"; topic: string; payload: string; qos: QoS; retain: boolean; dup: boolean; packetId: number; properties?: Properties }
  | { event: "publishDone"; token: number; reasonCode: number }
  | { event: "subscribeDone"; token: number; reasonCodes: number[] }
  | { event: "unsubscribeDone"; token: number; reasonCodes: number[] }
  | { event: "disconnect"; reasonCode: number; properties?: Properties }
  | { event: "authDone"; reasonCode: number }
  | { event: "close"; reasonCode: number; error?: string };

/** Records every callback as plain data (copies: the engine reuses what it passes). */
export class RecordingHandler implements EngineHandler {
  events: EngineEvent[] = [];
  /** Called after a message is recorded, to test re-entrant commands or ack ordering. */
  onMessageHook?: (message: PublishPacket) => void;

  onConnack(c: { reasonCode: number; sessionPresent: boolean; properties?: Properties }): void {
    this.events.push({ event: "connack", reasonCode: c.reasonCode, sessionPresent: c.sessionPresent, properties: structuredClone(c.properties) });
  }
  onMessage(m: PublishPacket): void {
    this.events.push({
      event: "message", topic: m.topic, payload: new TextDecoder().decode(payloadOf(m)), qos: m.qos, retain: m.retain,
      dup: m.dup, packetId: m.packetId, properties: structuredClone(m.properties),
    });
    this.onMessageHook?.(m);
  }
  onPublishDone(token: number, reasonCode: number): void {
    this.events.push({ event: "publishDone", token, reasonCode });
  }
  onSubscribeDone(token: number, reasonCodes: readonly number[]): void {
    this.events.push({ event: "subscribeDone", token, reasonCodes: [...reasonCodes] });
  }
  onUnsubscribeDone(token: number, reasonCodes: readonly number[]): void {
    this.events.push({ event: "unsubscribeDone", token, reasonCodes: [...reasonCodes] });
  }
  onDisconnect(reasonCode: number, properties: Properties | undefined): void {
    this.events.push({ event: "disconnect", reasonCode, properties: structuredClone(properties) });
  }
  onAuthDone(reasonCode: number): void {
    this.events.push({ event: "authDone", reasonCode });
  }
  onClose(reasonCode: number, error: Error | undefined): void {
    this.events.push({ event: "close", reasonCode, error: error?.message });
  }

  take(): EngineEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }
}

/** Drives one engine in virtual time: the test plays the server with encoded packets or raw hex. */
export class EngineDriver {
  now: number;
  readonly handler = new RecordingHandler();
  readonly engine: Engine;
  version: ProtocolVersion = 5;

  constructor(config?: EngineConfig, startAt = 1000) {
    this.now = startAt;
    this.engine = new Engine(this.handler, config);
  }

  /** connect() + connectionOpened(): the CONNECT is pending afterwards. */
  open(options: ConnectOptions = { clientId: "c" }): void {
    this.version = options.protocolVersion ?? 5;
    this.engine.connect(options, this.now);
    this.engine.connectionOpened(this.now);
  }

  /** Opens, answers CONNACK success and discards what was written and the events so far. */
  connected(options: ConnectOptions = { clientId: "c" }, connackProperties?: Properties, sessionPresent = false): void {
    this.open(options);
    this.take();
    this.server({ type: 2, sessionPresent, reasonCode: 0, properties: connackProperties });
    this.take();
    this.handler.take();
  }

  /** Received bytes the engine did not take yet (backpressure): fed again each time take() frees room. */
  unread: Uint8Array = new Uint8Array(0);

  /** Everything the engine has written, taken out of its transmit buffer (re-feeding unread input as room appears). */
  take(): Uint8Array {
    const e = this.engine;
    const parts: Uint8Array[] = [];
    for (;;) {
      const bytes = e.transmitBuffer.slice(e.pendingStart, e.pendingEnd);
      e.consumed(bytes.length);
      parts.push(bytes);
      if (e.pending() > 0) continue; // consumed() moved queued acks in
      if (this.unread.length === 0 || this.feedUnread() === 0) break;
    }
    return concat(parts);
  }

  /** Feeds the unread input again; returns how many bytes the engine took. */
  feedUnread(): number {
    const b = this.unread;
    const n = this.engine.receive(b, 0, b.length, this.now);
    this.unread = b.subarray(n);
    return n;
  }

  takeHex(): string {
    return hex(this.take());
  }

  takePackets(): Packet[] {
    return decodeAll(this.take(), this.version);
  }

  server(packet: Packet): void {
    this.feed(encode(packet, this.version));
  }

  feed(bytes: Uint8Array | string): void {
    const b = typeof bytes === "string" ? fromHex(bytes) : bytes;
    if (this.unread.length > 0) {
      this.unread = concat([this.unread, b]);
      this.feedUnread();
      return;
    }
    const n = this.engine.receive(b, 0, b.length, this.now);
    this.unread = b.subarray(n);
  }

  /** Moves virtual time forward and polls; returns the engine's next delay. */
  advance(ms: number): number {
    this.now += ms;
    return this.engine.poll(this.now);
  }

  events(): EngineEvent[] {
    return this.handler.take();
  }
}

/** The seeded generator shared with the chaos tools, so a failing seed replays. */
export { seededRandom as prng } from "../../tools/chaos/random";
export { concat } from "./codec-harness";

interface BrokerOutbound {
  packetId: number;
  qos: QoS;
  payload: string;
  released: boolean;
  sent: boolean;
}

/**
 * A simulated broker with one persistent session: exactly-once delivery for inbound QoS 2 (holds the id
 * until PUBREL), resends with DUP=1 and PUBRELs on a resumed session, and respect for the client's Receive
 * Maximum. It records protocol violations it sees instead of throwing.
 */
export class SimBroker {
  readonly delivered: string[] = [];
  readonly violations: string[] = [];
  private readonly held = new Set<number>();
  private readonly seen = new Set<string>();
  private readonly outbound: BrokerOutbound[] = [];
  private decoder = this.newDecoder();
  private out: number[] = [];
  private connected = false;
  private sessionExists = false;
  private nextId = 1;
  private clientReceiveMaximum = 65535;

  constructor(private readonly version: ProtocolVersion = 5, private readonly receiveMaximum = 65535) {}

  /** Bytes waiting for the client. */
  pending(): number {
    return this.out.length;
  }

  take(count: number): Uint8Array {
    return Uint8Array.from(this.out.splice(0, count));
  }

  /** The connection dropped: partial packets and unsent bytes are lost, the session stays. */
  dropConnection(): void {
    this.connected = false;
    this.out = [];
    this.decoder = this.newDecoder();
  }

  unacknowledged(): number {
    return this.outbound.length;
  }

  heldIds(): number {
    return this.held.size;
  }

  publishToClient(payload: string, qos: QoS): void {
    const packetId = qos === 0 ? 0 : this.allocate();
    this.outbound.push({ packetId, qos, payload, released: false, sent: false });
    this.sendOutbound();
  }

  receive(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      i += this.decoder.feed(bytes, i, bytes.length);
      const p = this.decoder.packet;
      if (p) this.handle(p);
    }
  }

  private newDecoder(): PacketDecoder {
    return new PacketDecoder({ buffer: new Uint8Array(65536), version: this.version, maximumPacketSize: 65536 });
  }

  private allocate(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!this.outbound.some((o) => o.packetId === id)) return id;
    }
  }

  private write(p: Packet): void {
    for (const b of encode(p, this.version)) this.out.push(b);
  }

  private handle(p: Packet): void {
    switch (p.type) {
      case 1: return this.onConnect(p.cleanStart, p.properties);
      case 3: return this.onPublish(p);
      case 4: return this.onClientAck(p.packetId, 1);
      case 5: return this.onPubrec(p.packetId);
      case 6:
        this.held.delete(p.packetId);
        return this.write({ type: 7, packetId: p.packetId, reasonCode: 0 });
      case 7: return this.onClientAck(p.packetId, 2);
      case 12: return this.write({ type: 13 });
      default: return;
    }
  }

  private onConnect(cleanStart: boolean, properties: Properties | undefined): void {
    const present = this.sessionExists && !cleanStart;
    if (!present && this.sessionExists) {
      this.held.clear();
      this.outbound.length = 0;
    }
    this.sessionExists = true;
    this.connected = true;
    this.clientReceiveMaximum = properties?.receiveMaximum ?? 65535;
    const props: Properties | undefined = this.version === 5 && this.receiveMaximum < 65535 ? { receiveMaximum: this.receiveMaximum } : undefined;
    this.write({ type: 2, sessionPresent: present, reasonCode: 0, properties: props });
    this.resend();
  }

  private resend(): void {
    for (const o of this.outbound) {
      if (o.released) this.write({ type: 6, packetId: o.packetId, reasonCode: 0 });
      else if (o.sent) this.writePublish(o, true);
    }
    this.sendOutbound();
  }

  private sendOutbound(): void {
    if (!this.connected) return;
    let inflight = this.outbound.filter((o) => o.sent && o.qos > 0).length;
    for (const o of this.outbound) {
      if (o.sent) continue;
      if (o.qos > 0 && inflight >= this.clientReceiveMaximum) break;
      this.writePublish(o, false);
      o.sent = true;
      if (o.qos > 0) inflight++;
    }
    for (let i = this.outbound.length - 1; i >= 0; i--) if (this.outbound[i].qos === 0 && this.outbound[i].sent) this.outbound.splice(i, 1);
  }

  private writePublish(o: BrokerOutbound, dup: boolean): void {
    this.write({ type: 3, topic: "t", qos: o.qos, retain: false, dup, packetId: o.packetId, payload: o.payload });
  }

  private onPublish(p: PublishPacket): void {
    const payload = new TextDecoder().decode(payloadOf(p));
    if (this.seen.has(payload) && !p.dup && p.qos > 0) this.violations.push(`resend of ${payload} without DUP`);
    this.seen.add(payload);
    if (p.qos === 0) {
      this.delivered.push(payload);
    } else if (p.qos === 1) {
      this.delivered.push(payload);
      this.write({ type: 4, packetId: p.packetId, reasonCode: 0 });
    } else {
      if (!this.held.has(p.packetId)) {
        if (this.held.size >= this.receiveMaximum) this.violations.push("client exceeded our Receive Maximum");
        this.held.add(p.packetId);
        this.delivered.push(payload);
      }
      this.write({ type: 5, packetId: p.packetId, reasonCode: 0 });
    }
  }

  private onClientAck(packetId: number, qos: QoS): void {
    const i = this.outbound.findIndex((o) => o.packetId === packetId && o.qos === qos && (qos === 1 || o.released));
    if (i < 0) return;
    this.outbound.splice(i, 1);
    this.sendOutbound();
  }

  private onPubrec(packetId: number): void {
    const o = this.outbound.find((x) => x.packetId === packetId && x.qos === 2);
    if (o === undefined) return;
    o.released = true;
    this.write({ type: 6, packetId, reasonCode: 0 });
  }
}

