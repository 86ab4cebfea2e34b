// The in-memory SessionStore: fixed-size tables and one byte ring, allocated once.
//
// Records are slots in typed arrays linked in log order; their bytes sit in a ring in the same order, so a
// record's bytes are reclaimed once every older record is gone (acks mostly come back in order).

import type { QoS, Subscription } from "../codec/packet";
import type { RecordKindValue, SessionStore, StoredSubscription } from "./session-store";

export interface MemorySessionStoreOptions {
  /** Outbound records (queued + in flight), default 64. */
  records?: number;
  /** Bytes for their encoded packets, default 8192. */
  bytes?: number;
  /** Inbound QoS 2 ids held until PUBREL, default 64 (at least our Receive Maximum). */
  inbound?: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly kinds: Uint8Array;
  private readonly qoss: Uint8Array;
  private readonly ids: Uint16Array;
  private readonly tokens: Int32Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private readonly nexts: Int32Array;
  private readonly prevs: Int32Array;
  private readonly arena: Uint8Array;
  private readonly inboundIds: Uint16Array;
  private held = 0;
  private head = -1;
  private tail = -1;
  private freeSlot = 0;
  private used = 0;
  private subs: StoredSubscription[] = [];

  constructor(options: MemorySessionStoreOptions = {}) {
    const records = options.records ?? 64;
    this.kinds = new Uint8Array(records);
    this.qoss = new Uint8Array(records);
    this.ids = new Uint16Array(records);
    this.tokens = new Int32Array(records);
    this.offsets = new Int32Array(records);
    this.lengths = new Int32Array(records);
    this.nexts = new Int32Array(records);
    this.prevs = new Int32Array(records);
    this.arena = new Uint8Array(options.bytes ?? 8192);
    this.inboundIds = new Uint16Array(options.inbound ?? 64);
    this.resetSlots();
  }

  append(kind: RecordKindValue, qos: QoS, packetId: number, token: number, bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const slot = this.freeSlot;
    if (slot < 0) return -1;
    const offset = this.place(length);
    if (offset < 0) return -1;
    this.freeSlot = this.nexts[slot];
    copyBytes(bytes, start, end, this.arena, offset);
    this.kinds[slot] = kind;
    this.qoss[slot] = qos;
    this.ids[slot] = packetId;
    this.tokens[slot] = token;
    this.offsets[slot] = offset;
    this.lengths[slot] = length;
    this.link(slot);
    return slot;
  }

  first(): number { return this.head; }
  next(handle: number): number { return this.nexts[handle]; }
  kind(handle: number): RecordKindValue { return this.kinds[handle] as RecordKindValue; }
  qos(handle: number): QoS { return this.qoss[handle] as QoS; }
  packetId(handle: number): number { return this.ids[handle]; }
  token(handle: number): number { return this.tokens[handle]; }
  byteLength(handle: number): number { return this.lengths[handle]; }
  count(): number { return this.used; }

  copyTo(handle: number, out: Uint8Array, offset: number): void {
    const start = this.offsets[handle];
    copyBytes(this.arena, start, start + this.lengths[handle], out, offset);
  }

  update(handle: number, kind: RecordKindValue, packetId: number): void {
    this.kinds[handle] = kind;
    this.ids[handle] = packetId;
  }

  remove(handle: number): void {
    const prev = this.prevs[handle];
    const next = this.nexts[handle];
    if (prev >= 0) this.nexts[prev] = next;
    else this.head = next;
    if (next >= 0) this.prevs[next] = prev;
    else this.tail = prev;
    this.kinds[handle] = 0;
    this.nexts[handle] = this.freeSlot;
    this.freeSlot = handle;
    this.used--;
  }

  addInbound(packetId: number): boolean {
    if (this.hasInbound(packetId)) return true;
    if (this.held === this.inboundIds.length) return false;
    this.inboundIds[this.held++] = packetId;
    return true;
  }

  hasInbound(packetId: number): boolean {
    return this.inboundIndex(packetId) >= 0;
  }

  removeInbound(packetId: number): void {
    const i = this.inboundIndex(packetId);
    if (i < 0) return;
    this.inboundIds[i] = this.inboundIds[--this.held];
  }

  inboundCount(): number {
    return this.held;
  }

  inboundId(index: number): number {
    return this.inboundIds[index];
  }

  clearInbound(): void {
    this.held = 0;
  }

  putSubscription(subscription: Subscription, identifier: number): void {
    this.removeSubscription(subscription.filter);
    this.subs.push({ subscription: { ...subscription }, identifier });
  }

  removeSubscription(filter: string): void {
    this.subs = this.subs.filter((s) => s.subscription.filter !== filter);
  }

  subscriptions(): readonly StoredSubscription[] {
    return this.subs;
  }

  clearSession(): void {
    this.resetSlots();
    this.held = 0;
  }

  private resetSlots(): void {
    const n = this.kinds.length;
    for (let i = 0; i < n; i++) {
      this.nexts[i] = i + 1 < n ? i + 1 : -1;
      this.kinds[i] = 0;
    }
    this.freeSlot = n > 0 ? 0 : -1;
    this.head = this.tail = -1;
    this.used = 0;
  }

  private link(slot: number): void {
    this.nexts[slot] = -1;
    this.prevs[slot] = this.tail;
    if (this.tail >= 0) this.nexts[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
    this.used++;
  }

  // Where `length` bytes fit after the newest record without overwriting the oldest one, or -1.
  private place(length: number): number {
    const size = this.arena.length;
    if (this.head < 0) return length <= size ? 0 : -1;
    const headStart = this.offsets[this.head];
    const tailEnd = this.offsets[this.tail] + this.lengths[this.tail];
    if (this.offsets[this.tail] >= headStart) {
      if (tailEnd + length <= size) return tailEnd;
      return length <= headStart ? 0 : -1;
    }
    return tailEnd + length <= headStart ? tailEnd : -1;
  }

  private inboundIndex(packetId: number): number {
    for (let i = 0; i < this.held; i++) if (this.inboundIds[i] === packetId) return i;
    return -1;
  }
}

// A plain loop: set(subarray(...)) would allocate a view object per call, and this runs per publish.
function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  for (let i = start; i < end; i++) to[at++] = from[i];
}
