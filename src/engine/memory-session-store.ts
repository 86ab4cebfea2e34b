// The in-memory SessionStore: fixed-size tables and one byte ring, allocated once.
//
// Records are slots in typed arrays linked in log order; their bytes sit in a ring in the same order, so a
// record's bytes are reclaimed once every older record is gone (acks mostly come back in order).
// A record's numbers share one Int32Array (FIELDS per record) and its kind and QoS one Uint8Array: on XS
// every typed array is an object of about 7 slots, and separate arrays per field would cost ~600 bytes more.

import type { QoS, Subscription } from "../codec/packet";
import type { RecordKindValue, SessionStore, StoredSubscription } from "./session-store";

/** Sizes of a {@link MemorySessionStore}, fixed at construction. */
export interface MemorySessionStoreOptions {
  /** Outbound records (queued + in flight), default 64. */
  records?: number;
  /** Bytes for their encoded packets, default 8192. */
  bytes?: number;
  /** Inbound QoS 2 ids held until PUBREL, default 64 (at least our Receive Maximum). */
  inbound?: number;
}

// Int32 fields of a record, at record * FIELDS + field.
const TOKEN = 0;
const OFFSET = 1;
const LENGTH = 2;
const NEXT = 3;
const PREV = 4;
const FIELDS = 5;

/** A {@link SessionStore} in fixed-size memory allocated once (typed arrays, no per-message allocation). */
export class MemorySessionStore implements SessionStore {
  /** Kind at 2 * record, QoS at 2 * record + 1. */
  private readonly kindsAndQos: Uint8Array;
  private readonly ids: Uint16Array;
  private readonly fields: Int32Array;
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
    this.kindsAndQos = new Uint8Array(2 * records);
    this.ids = new Uint16Array(records);
    this.fields = new Int32Array(FIELDS * records);
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
    const f = slot * FIELDS;
    this.freeSlot = this.fields[f + NEXT];
    copyBytes(bytes, start, end, this.arena, offset);
    this.kindsAndQos[2 * slot] = kind;
    this.kindsAndQos[2 * slot + 1] = qos;
    this.ids[slot] = packetId;
    this.fields[f + TOKEN] = token;
    this.fields[f + OFFSET] = offset;
    this.fields[f + LENGTH] = length;
    this.link(slot);
    return slot;
  }

  first(): number { return this.head; }
  next(handle: number): number { return this.fields[handle * FIELDS + NEXT]; }
  kind(handle: number): RecordKindValue { return this.kindsAndQos[2 * handle] as RecordKindValue; }
  qos(handle: number): QoS { return this.kindsAndQos[2 * handle + 1] as QoS; }
  packetId(handle: number): number { return this.ids[handle]; }
  token(handle: number): number { return this.fields[handle * FIELDS + TOKEN]; }
  byteLength(handle: number): number { return this.fields[handle * FIELDS + LENGTH]; }
  count(): number { return this.used; }

  copyTo(handle: number, out: Uint8Array, offset: number): void {
    const start = this.fields[handle * FIELDS + OFFSET];
    copyBytes(this.arena, start, start + this.fields[handle * FIELDS + LENGTH], out, offset);
  }

  update(handle: number, kind: RecordKindValue, packetId: number): void {
    this.kindsAndQos[2 * handle] = kind;
    this.ids[handle] = packetId;
  }

  remove(handle: number): void {
    const fields = this.fields;
    const prev = fields[handle * FIELDS + PREV];
    const next = fields[handle * FIELDS + NEXT];
    if (prev >= 0) fields[prev * FIELDS + NEXT] = next;
    else this.head = next;
    if (next >= 0) fields[next * FIELDS + PREV] = prev;
    else this.tail = prev;
    this.kindsAndQos[2 * handle] = 0;
    fields[handle * FIELDS + NEXT] = this.freeSlot;
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
    const n = this.ids.length;
    for (let i = 0; i < n; i++) {
      this.fields[i * FIELDS + NEXT] = i + 1 < n ? i + 1 : -1;
      this.kindsAndQos[2 * i] = 0;
    }
    this.freeSlot = n > 0 ? 0 : -1;
    this.head = this.tail = -1;
    this.used = 0;
  }

  private link(slot: number): void {
    const fields = this.fields;
    fields[slot * FIELDS + NEXT] = -1;
    fields[slot * FIELDS + PREV] = this.tail;
    if (this.tail >= 0) fields[this.tail * FIELDS + NEXT] = slot;
    else this.head = slot;
    this.tail = slot;
    this.used++;
  }

  // Where `length` bytes fit after the newest record without overwriting the oldest one, or -1.
  private place(length: number): number {
    const size = this.arena.length;
    if (this.head < 0) return length <= size ? 0 : -1;
    const fields = this.fields;
    const headStart = fields[this.head * FIELDS + OFFSET];
    const tailStart = fields[this.tail * FIELDS + OFFSET];
    const tailEnd = tailStart + fields[this.tail * FIELDS + LENGTH];
    if (tailStart >= headStart) {
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
