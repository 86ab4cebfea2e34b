// The in-memory SessionStore: a record table, a byte ring and the held inbound ids, in an EngineMemory.
//
// Records are rows of the table linked in log order; their bytes sit in the ring in the same order, so a
// record's bytes are reclaimed once every older record is gone (acks mostly come back in order). An engine
// that makes its own store gives it regions of the engine's memory, so a PUBLISH moves between the transmit
// buffer and the ring with copyWithin (native, no view); a store made alone has a memory of its own.

import type { QoS, Subscription } from "../codec/packet";
import { EngineMemory, words } from "./engine-memory";
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

// 32-bit fields of a record, at table + record * FIELDS + field (word indices).
/** kind | qos << 8 | packetId << 16 */
const META = 0;
const TOKEN = 1;
/** Byte offset of the record's bytes in the memory. */
const OFFSET = 2;
const LENGTH = 3;
const NEXT = 4;
const PREV = 5;
const FIELDS = 6;
/** Up to this many bytes are copied by a loop where no copyWithin is possible (a view costs 4 slots on XS). */
const SMALL_COPY = 8;

function sizes(options: MemorySessionStoreOptions): { records: number; arena: number; inbound: number } {
  return { records: options.records ?? 64, arena: options.bytes ?? 8192, inbound: options.inbound ?? 64 };
}

/** A {@link SessionStore} in fixed-size memory allocated once (typed arrays, no per-message allocation). */
export class MemorySessionStore implements SessionStore {
  /** The memory holding the ring; append() and copyTo() copy natively when the other side is in it too. */
  readonly buffer: Uint8Array;
  private readonly words: Int32Array;
  private readonly table: number;
  private readonly records: number;
  private readonly arena: number;
  private readonly arenaEnd: number;
  private readonly inboundAt: number;
  private readonly inboundCapacity: number;
  private held = 0;
  private head = -1;
  private tail = -1;
  private freeSlot = 0;
  private used = 0;
  /** What placement() last answered, until the next append(). */
  private placed = -1;
  private placedLength = 0;
  private subs: StoredSubscription[] = [];

  /** Memory the store needs, for an engine that plans one memory for everything. */
  static bytesFor(options: MemorySessionStoreOptions): number {
    const s = sizes(options);
    return 4 * FIELDS * s.records + words(s.arena) + words(2 * s.inbound);
  }

  /** With `memory`, the store takes its regions there (sized by bytesFor); otherwise it makes its own. */
  constructor(options: MemorySessionStoreOptions = {}, memory?: EngineMemory) {
    const s = sizes(options);
    const m = memory ?? new EngineMemory(MemorySessionStore.bytesFor(options));
    this.buffer = m.bytes;
    this.words = m.words;
    this.records = s.records;
    this.table = m.take(4 * FIELDS * s.records) >> 2;
    this.arena = m.take(s.arena);
    this.arenaEnd = this.arena + s.arena;
    this.inboundAt = m.take(2 * s.inbound);
    this.inboundCapacity = s.inbound;
    this.resetSlots();
  }

  append(kind: RecordKindValue, qos: QoS, packetId: number, token: number, bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const slot = this.freeSlot;
    if (slot < 0) return -1;
    // Bytes the caller encoded where placement() said need no new place (and no copy).
    const offset = bytes === this.buffer && start === this.placed && length === this.placedLength ? start : this.place(length);
    this.placed = -1;
    if (offset < 0) return -1;
    const w = this.words;
    const r = this.table + slot * FIELDS;
    this.freeSlot = w[r + NEXT];
    if (bytes !== this.buffer || start !== offset) copy(bytes, start, end, this.buffer, offset);
    w[r + META] = kind | (qos << 8) | (packetId << 16);
    w[r + TOKEN] = token;
    w[r + OFFSET] = offset;
    w[r + LENGTH] = length;
    this.link(slot);
    return slot;
  }

  /** Where append() would put `length` bytes in `buffer` now, or -1: encode there and append without a copy. */
  placement(length: number): number {
    this.placedLength = length;
    return (this.placed = this.freeSlot < 0 ? -1 : this.place(length));
  }

  first(): number { return this.head; }
  next(handle: number): number { return this.words[this.table + handle * FIELDS + NEXT]; }
  kind(handle: number): RecordKindValue { return (this.words[this.table + handle * FIELDS + META] & 0xff) as RecordKindValue; }
  qos(handle: number): QoS { return ((this.words[this.table + handle * FIELDS + META] >> 8) & 0xff) as QoS; }
  packetId(handle: number): number { return this.words[this.table + handle * FIELDS + META] >>> 16; }
  token(handle: number): number { return this.words[this.table + handle * FIELDS + TOKEN]; }
  byteLength(handle: number): number { return this.words[this.table + handle * FIELDS + LENGTH]; }
  count(): number { return this.used; }

  find(kind: RecordKindValue, qos: QoS, packetId: number): number {
    const w = this.words;
    const meta = kind | (qos << 8) | (packetId << 16);
    for (let h = this.head; h >= 0; h = w[this.table + h * FIELDS + NEXT]) {
      if (w[this.table + h * FIELDS + META] === meta) return h;
    }
    return -1;
  }

  copyTo(handle: number, out: Uint8Array, offset: number): void {
    const r = this.table + handle * FIELDS;
    const start = this.words[r + OFFSET];
    copy(this.buffer, start, start + this.words[r + LENGTH], out, offset);
  }

  update(handle: number, kind: RecordKindValue, packetId: number): void {
    const at = this.table + handle * FIELDS + META;
    this.words[at] = kind | (this.words[at] & 0xff00) | (packetId << 16);
  }

  remove(handle: number): void {
    const w = this.words;
    const r = this.table + handle * FIELDS;
    const prev = w[r + PREV];
    const next = w[r + NEXT];
    if (prev >= 0) w[this.table + prev * FIELDS + NEXT] = next;
    else this.head = next;
    if (next >= 0) w[this.table + next * FIELDS + PREV] = prev;
    else this.tail = prev;
    w[r + META] = 0;
    w[r + NEXT] = this.freeSlot;
    this.freeSlot = handle;
    this.used--;
  }

  addInbound(packetId: number): boolean {
    if (this.hasInbound(packetId)) return true;
    if (this.held === this.inboundCapacity) return false;
    this.setInbound(this.held++, packetId);
    return true;
  }

  hasInbound(packetId: number): boolean {
    return this.inboundIndex(packetId) >= 0;
  }

  removeInbound(packetId: number): void {
    const i = this.inboundIndex(packetId);
    if (i < 0) return;
    this.setInbound(i, this.inboundId(--this.held));
  }

  inboundCount(): number {
    return this.held;
  }

  inboundId(index: number): number {
    const at = this.inboundAt + 2 * index;
    return (this.buffer[at] << 8) | this.buffer[at + 1];
  }

  clearInbound(): void {
    this.held = 0;
  }

  putSubscription(subscription: Subscription, identifier: number): void {
    this.removeSubscription(subscription.filter);
    this.subs.push({ subscription: { ...subscription }, identifier });
  }

  removeSubscription(filter: string): void {
    const subs = this.subs;
    for (let i = 0; i < subs.length; i++) {
      if (subs[i].subscription.filter === filter) subs.splice(i--, 1);
    }
  }

  subscriptions(): readonly StoredSubscription[] {
    return this.subs;
  }

  clearSession(): void {
    this.resetSlots();
    this.held = 0;
  }

  private resetSlots(): void {
    const n = this.records;
    const w = this.words;
    for (let i = 0; i < n; i++) {
      const r = this.table + i * FIELDS;
      w[r + NEXT] = i + 1 < n ? i + 1 : -1;
      w[r + META] = 0;
    }
    this.freeSlot = n > 0 ? 0 : -1;
    this.head = this.tail = -1;
    this.used = 0;
  }

  private link(slot: number): void {
    const w = this.words;
    const r = this.table + slot * FIELDS;
    w[r + NEXT] = -1;
    w[r + PREV] = this.tail;
    if (this.tail >= 0) w[this.table + this.tail * FIELDS + NEXT] = slot;
    else this.head = slot;
    this.tail = slot;
    this.used++;
  }

  // Where `length` bytes fit after the newest record without overwriting the oldest one, or -1.
  private place(length: number): number {
    const arena = this.arena;
    if (this.head < 0) return arena + length <= this.arenaEnd ? arena : -1;
    const w = this.words;
    const headStart = w[this.table + this.head * FIELDS + OFFSET];
    const tailStart = w[this.table + this.tail * FIELDS + OFFSET];
    const tailEnd = tailStart + w[this.table + this.tail * FIELDS + LENGTH];
    if (tailStart >= headStart) {
      if (tailEnd + length <= this.arenaEnd) return tailEnd;
      return arena + length <= headStart ? arena : -1;
    }
    return tailEnd + length <= headStart ? tailEnd : -1;
  }

  private setInbound(index: number, packetId: number): void {
    const at = this.inboundAt + 2 * index;
    this.buffer[at] = packetId >> 8;
    this.buffer[at + 1] = packetId & 0xff;
  }

  private inboundIndex(packetId: number): number {
    for (let i = 0; i < this.held; i++) if (this.inboundId(i) === packetId) return i;
    return -1;
  }
}

/** Copies from[start, end) to to[at...]: copyWithin inside one memory, else natively through a view (a loop for
 * a few bytes). Neither allocates when both sides are the engine's memory. */
function copy(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (from === to) to.copyWithin(at, start, end);
  else if (end - start <= SMALL_COPY) for (let i = start; i < end; i++) to[at++] = from[i];
  else to.set(from.subarray(start, end), at);
}
