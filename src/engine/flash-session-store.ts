// A SessionStore that outlives the process: every change is an entry appended to a log on flash (or a file)
// before the call returns, and open() replays the log into the same small index in RAM. A message the
// engine reported as accepted (its token returned) is on flash before any byte of it is sent, so a reboot, a
// deep sleep or a power cut at any moment loses nothing that was accepted (flash-log.ts: torn entries,
// compaction, wear).
//
// RAM: one memory made at construction holds the index of records (24 bytes each: state, token, where the
// entry is, its length, links in log order), the inbound QoS 2 ids (2 bytes each) and a 64-byte stage for
// flash writes; message bytes stay on flash. Nothing is allocated per message: a record's bytes are copied
// from the engine's transmit buffer through the stage as they are programmed.
//
// Entries (bodies, big-endian):
//   RECORD          kind u8, qos u8, packet id u16, token u32, the encoded PUBLISH        (the entry's offset names it)
//   UPDATE          record u32, kind u8, packet id u16
//   REMOVE          record u32
//   INBOUND_ADD     packet id u16;   INBOUND_REMOVE packet id u16;   INBOUND_CLEAR (empty)
//   SUB_PUT         identifier u32, options u8 (qos | nl << 2 | rap << 3 | rh << 4), filter (UTF-8)
//   SUB_REMOVE      filter (UTF-8)
//   CLEAR_SESSION   (empty): records and inbound ids
//   MOVED           as RECORD: a record rewritten by compaction
// Compaction writes the live state as MOVED records (in log order, current state), INBOUND_ADDs and SUB_PUTs.

import type { QoS, Subscription } from "../codec/packet";
import { decodeUtf8, utf8Length, writeUtf8 } from "../codec/utf8";
import { MqttArgumentError } from "../codec/errors";
import { EngineMemory, words } from "./engine-memory";
import { SessionStoreError } from "./errors";
import type { FlashArea } from "./flash-area";
import { ENTRY_HEAD, ENTRY_OVERHEAD, FlashLog, LogState, MAX_BODY, STAGE_BYTES } from "./flash-log";
import type { RecordKindValue, SessionStore, StoredSubscription } from "./session-store";

/** Sizes of a {@link FlashSessionStore}'s index in RAM, fixed when it is opened. */
export interface FlashSessionStoreOptions {
  /** Outbound records (queued + in flight): at least the engine's queueLimit + maxInflight. Default 48. */
  records?: number;
  /** Inbound QoS 2 ids held until PUBREL: at least our Receive Maximum. Default 16. */
  inbound?: number;
}

/** Flash traffic since the store was opened: the figures for wear. */
export interface FlashStoreStats {
  bytesWritten: number;
  erases: number;
  compactions: number;
}

const RECORD = 1;
const UPDATE = 2;
const REMOVE = 3;
const INBOUND_ADD = 4;
const INBOUND_REMOVE = 5;
const INBOUND_CLEAR = 6;
const SUB_PUT = 7;
const SUB_REMOVE = 8;
const CLEAR_SESSION = 9;
/** A RECORD rewritten by compaction: the same body, but it assigned no packet id (see lastPacketId()). */
const MOVED = 10;
const RECORD_META = 8;
const UPDATE_BODY = 7;
const REMOVE_BODY = 4;
const INBOUND_BODY = 2;
const SUB_META = 5;

// 32-bit fields of a record in the index, at table + record * FIELDS + field (word indices).
/** kind | qos << 8 | packetId << 16 */
const META = 0;
const TOKEN = 1;
/** Area offset of the record's entry (its name in UPDATE and REMOVE entries). */
const PLACE = 2;
const LENGTH = 3;
const NEXT = 4;
const PREV = 5;
const FIELDS = 6;

function sizes(options: FlashSessionStoreOptions): { records: number; inbound: number } {
  const records = options.records ?? 48;
  const inbound = options.inbound ?? 16;
  if (!Number.isInteger(records) || records < 1 || records > 0xffff) throw new MqttArgumentError("options.records", "an integer from 1 to 65535");
  if (!Number.isInteger(inbound) || inbound < 0 || inbound > 0xffff) throw new MqttArgumentError("options.inbound", "an integer from 0 to 65535");
  return { records, inbound };
}

/** A {@link SessionStore} kept in an append-only log on a {@link FlashArea}, so a session survives reboots,
 * deep sleep and power cuts. Open it with {@link FlashSessionStore.open}. */
export class FlashSessionStore implements SessionStore {
  /** open() found the area blank (or format() made it so): the store started empty. */
  formatted = false;
  /** open() found a torn last entry (a power cut in the middle of a write) and dropped it. */
  tornEntry = false;
  private readonly log: FlashLog;
  private readonly area: FlashArea;
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly stage: Uint8Array;
  private readonly table: number;
  private readonly records: number;
  private readonly inboundAt: number;
  private readonly inboundCapacity: number;
  /** Room kept free in a region beyond the live records and subscriptions: every inbound id the store may
   * hold, and one UPDATE, so that after a compaction any small entry fits. */
  private readonly reserve: number;
  private held = 0;
  private head = -1;
  private tail = -1;
  private freeSlot = 0;
  private used = 0;
  /** Bytes the live RECORD and SUB_PUT entries take: what a compaction rewrites. */
  private liveBytes = 0;
  private lastId = 0;
  private subs: StoredSubscription[] = [];

  /**
   * Opens the store kept in `area`: replays its log, or formats the area when it holds nothing. Throws
   * SessionStoreError: "corrupt" when the area cannot be read back (beyond a torn last entry, which is
   * dropped), "too-small" when it holds more than `options` make room for. format() starts over instead.
   */
  static open(area: FlashArea, options: FlashSessionStoreOptions = {}): FlashSessionStore {
    const store = new FlashSessionStore(area, options);
    if (store.log.open() === LogState.BLANK) {
      store.log.format();
      store.formatted = true;
    } else store.replay();
    return store;
  }

  /** Erases `area` and opens an empty store there: what a "corrupt" area needs, once the loss is accepted. */
  static format(area: FlashArea, options: FlashSessionStoreOptions = {}): FlashSessionStore {
    const store = new FlashSessionStore(area, options);
    store.log.format();
    store.formatted = true;
    return store;
  }

  /** RAM the index takes (one buffer), for planning a device's heap. */
  static bytesFor(options: FlashSessionStoreOptions = {}): number {
    const s = sizes(options);
    return 4 * FIELDS * s.records + words(2 * s.inbound) + STAGE_BYTES;
  }

  private constructor(area: FlashArea, options: FlashSessionStoreOptions) {
    const s = sizes(options);
    const memory = new EngineMemory(FlashSessionStore.bytesFor(options));
    this.area = area;
    this.words = memory.words;
    this.bytes = memory.bytes;
    this.records = s.records;
    this.table = memory.take(4 * FIELDS * s.records) >> 2;
    this.inboundAt = memory.take(2 * s.inbound);
    this.inboundCapacity = s.inbound;
    const stageAt = memory.take(STAGE_BYTES);
    this.stage = memory.bytes.subarray(stageAt, stageAt + STAGE_BYTES);
    this.log = new FlashLog(area, this.stage);
    this.reserve = s.inbound * (ENTRY_OVERHEAD + INBOUND_BODY) + ENTRY_OVERHEAD + UPDATE_BODY;
    if (this.reserve >= this.log.capacity) throw new MqttArgumentError("options.inbound", `a region of ${this.log.capacity} bytes cannot hold ${s.inbound} inbound ids`);
    this.resetRecords();
  }

  /** Flash bytes written, blocks erased and compactions since the store was opened. */
  get stats(): FlashStoreStats {
    return { bytesWritten: this.log.bytesWritten, erases: this.log.erases, compactions: this.log.compactions };
  }

  // ---- outbound records -----------------------------------------------------------------------------------

  append(kind: RecordKindValue, qos: QoS, packetId: number, token: number, bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const slot = this.freeSlot;
    const size = ENTRY_OVERHEAD + RECORD_META + length;
    if (slot < 0 || RECORD_META + length > MAX_BODY || this.liveBytes + size + this.reserve > this.log.capacity) return -1;
    if (this.log.room() < size) this.compact();
    const log = this.log;
    const place = log.begin(RECORD, RECORD_META + length);
    log.byte(kind);
    log.byte(qos);
    log.u16(packetId);
    log.u32(token);
    log.bytes(bytes, start, end);
    log.finish();
    this.index(slot, kind | (qos << 8) | (packetId << 16), token, place, length);
    if (packetId !== 0) this.lastId = packetId;
    return slot;
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
    this.area.read(this.words[r + PLACE] + ENTRY_HEAD + RECORD_META, out, offset, this.words[r + LENGTH]);
  }

  update(handle: number, kind: RecordKindValue, packetId: number): void {
    this.makeRoom(ENTRY_OVERHEAD + UPDATE_BODY);
    const at = this.table + handle * FIELDS;
    const log = this.log;
    log.begin(UPDATE, UPDATE_BODY);
    log.u32(this.words[at + PLACE]);
    log.byte(kind);
    log.u16(packetId);
    log.finish();
    this.words[at + META] = kind | (this.words[at + META] & 0xff00) | (packetId << 16);
    if (packetId !== 0) this.lastId = packetId;
  }

  remove(handle: number): void {
    this.makeRoom(ENTRY_OVERHEAD + REMOVE_BODY);
    const log = this.log;
    log.begin(REMOVE, REMOVE_BODY);
    log.u32(this.words[this.table + handle * FIELDS + PLACE]);
    log.finish();
    this.unindex(handle);
  }

  /** The packet id the session assigned last (kept across reboots), so a restored engine continues after it. */
  lastPacketId(): number {
    return this.lastId;
  }

  // ---- inbound QoS 2 ids ------------------------------------------------------------------------------------

  addInbound(packetId: number): boolean {
    if (this.hasInbound(packetId)) return true;
    if (this.held === this.inboundCapacity) return false;
    this.writeId(INBOUND_ADD, packetId);
    this.setInbound(this.held++, packetId);
    return true;
  }

  hasInbound(packetId: number): boolean {
    return this.inboundIndex(packetId) >= 0;
  }

  removeInbound(packetId: number): void {
    const i = this.inboundIndex(packetId);
    if (i < 0) return;
    this.writeId(INBOUND_REMOVE, packetId);
    this.setInbound(i, this.inboundId(--this.held));
  }

  inboundCount(): number {
    return this.held;
  }

  inboundId(index: number): number {
    const at = this.inboundAt + 2 * index;
    return (this.bytes[at] << 8) | this.bytes[at + 1];
  }

  clearInbound(): void {
    if (this.held === 0) return;
    this.writeEmpty(INBOUND_CLEAR);
    this.held = 0;
  }

  // ---- subscriptions ------------------------------------------------------------------------------------------

  putSubscription(subscription: Subscription, identifier: number): void {
    const filter = subscription.filter;
    const length = SUB_META + utf8Length(filter, "filter");
    const size = ENTRY_OVERHEAD + length;
    const previous = this.subscriptionIndex(filter);
    const freed = previous < 0 ? 0 : this.subscriptionSize(previous);
    if (length > MAX_BODY || this.liveBytes - freed + size + this.reserve > this.log.capacity) {
      throw new SessionStoreError("full", `no room for the subscription to "${filter}"`);
    }
    this.makeRoom(size);
    const log = this.log;
    log.begin(SUB_PUT, length);
    log.u32(identifier);
    log.byte(subscriptionOptions(subscription));
    this.writeText(filter);
    log.finish();
    if (previous >= 0) this.dropSubscription(previous);
    this.keepSubscription({ ...subscription }, identifier);
  }

  removeSubscription(filter: string): void {
    const i = this.subscriptionIndex(filter);
    if (i < 0) return;
    const length = utf8Length(filter, "filter");
    this.makeRoom(ENTRY_OVERHEAD + length);
    this.log.begin(SUB_REMOVE, length);
    this.writeText(filter);
    this.log.finish();
    this.dropSubscription(i);
  }

  subscriptions(): readonly StoredSubscription[] {
    return this.subs;
  }

  clearSession(): void {
    if (this.used === 0 && this.held === 0) return;
    this.writeEmpty(CLEAR_SESSION);
    this.resetRecords();
    this.held = 0;
  }

  // ---- compaction ---------------------------------------------------------------------------------------------

  // Rewrites the live state into the other region (flash-log.ts), then renames the records' entries.
  private compact(): void {
    const log = this.log;
    const appendAt = log.appendAt;
    try {
      log.beginCompaction();
      const w = this.words;
      for (let h = this.head; h >= 0; h = w[this.table + h * FIELDS + NEXT]) {
        const r = this.table + h * FIELDS;
        const length = w[r + LENGTH];
        const meta = w[r + META];
        log.begin(MOVED, RECORD_META + length);
        log.byte(meta & 0xff);
        log.byte((meta >> 8) & 0xff);
        log.u16(meta >>> 16);
        log.u32(w[r + TOKEN]);
        log.copy(w[r + PLACE] + ENTRY_HEAD + RECORD_META, length);
        log.finish();
      }
      for (let i = 0; i < this.held; i++) this.idEntry(INBOUND_ADD, this.inboundId(i));
      for (const s of this.subs) {
        log.begin(SUB_PUT, SUB_META + utf8Length(s.subscription.filter, "filter"));
        log.u32(s.identifier);
        log.byte(subscriptionOptions(s.subscription));
        this.writeText(s.subscription.filter);
        log.finish();
      }
      log.commitCompaction(this.lastId);
    } catch (e) {
      log.abandonCompaction(appendAt);
      throw e;
    }
    // The records were rewritten first, in order: their new names follow from their sizes.
    let place = log.firstEntry();
    for (let h = this.head; h >= 0; h = this.words[this.table + h * FIELDS + NEXT]) {
      const r = this.table + h * FIELDS;
      this.words[r + PLACE] = place;
      place += ENTRY_OVERHEAD + RECORD_META + this.words[r + LENGTH];
    }
  }

  // A small entry needs `size` bytes: compact when the region has no room left. The live state always leaves
  // room for one (append() and putSubscription() keep `reserve` free).
  private makeRoom(size: number): void {
    if (this.log.room() >= size) return;
    this.compact();
    if (this.log.room() < size) throw new SessionStoreError("full", `no room for a ${size}-byte entry after compaction`);
  }

  // ---- replay (open) --------------------------------------------------------------------------------------------

  private replay(): void {
    const log = this.log;
    this.lastId = log.headerPacketId;
    let at = log.firstEntry();
    for (;;) {
      const length = log.readEntry(at);
      if (length < 0) break;
      this.apply(log.entryType, at, length);
      at += ENTRY_OVERHEAD + length;
    }
    if (!log.settle(at)) {
      // A torn last entry: what it held was never reported done. The flash it took is not erased, so the
      // live state moves to the other region before anything else is written.
      this.tornEntry = true;
      this.compact();
    }
  }

  // Applies one entry read back; its body's first bytes are in the stage.
  private apply(type: number, at: number, length: number): void {
    const s = this.stage;
    switch (type) {
      case RECORD: return this.restoreRecord(at, length, true);
      case MOVED: return this.restoreRecord(at, length, false);
      case UPDATE: {
        const r = this.table + this.recordAt(readU32(s, 0), at) * FIELDS;
        const packetId = (s[5] << 8) | s[6];
        this.words[r + META] = checkKind(s[4], at) | (this.words[r + META] & 0xff00) | (packetId << 16);
        if (packetId !== 0) this.lastId = packetId;
        return;
      }
      case REMOVE: return this.unindex(this.recordAt(readU32(s, 0), at));
      case INBOUND_ADD: {
        const id = (s[0] << 8) | s[1];
        if (this.hasInbound(id)) return;
        if (this.held === this.inboundCapacity) throw new SessionStoreError("too-small", `it holds more than ${this.inboundCapacity} inbound ids`, at);
        this.setInbound(this.held++, id);
        return;
      }
      case INBOUND_REMOVE: {
        const i = this.inboundIndex((s[0] << 8) | s[1]);
        if (i >= 0) this.setInbound(i, this.inboundId(--this.held));
        return;
      }
      case INBOUND_CLEAR: this.held = 0; return;
      case SUB_PUT: return this.restoreSubscription(at, length);
      case SUB_REMOVE: {
        const i = this.subscriptionIndex(this.readText(at + ENTRY_HEAD, length));
        if (i >= 0) this.dropSubscription(i);
        return;
      }
      case CLEAR_SESSION: this.resetRecords(); this.held = 0; return;
      default: throw new SessionStoreError("corrupt", `unknown entry type ${type}`, at);
    }
  }

  // `assigned`: a RECORD, whose packet id (if any) was the last one assigned when it was written.
  private restoreRecord(at: number, length: number, assigned: boolean): void {
    const s = this.stage;
    if (length < RECORD_META || s[1] > 2) throw new SessionStoreError("corrupt", "a malformed record", at);
    const slot = this.freeSlot;
    if (slot < 0) throw new SessionStoreError("too-small", `it holds more than ${this.records} records`, at);
    const packetId = (s[2] << 8) | s[3];
    this.index(slot, checkKind(s[0], at) | (s[1] << 8) | (packetId << 16), readU32(s, 4) | 0, at, length - RECORD_META);
    if (assigned && packetId !== 0) this.lastId = packetId;
  }

  private restoreSubscription(at: number, length: number): void {
    const s = this.stage;
    const identifier = readU32(s, 0);
    const options = s[4];
    const filter = this.readText(at + ENTRY_HEAD + SUB_META, length - SUB_META);
    const subscription: Subscription = { filter, qos: (options & 3) as QoS };
    if (options & 4) subscription.noLocal = true;
    if (options & 8) subscription.retainAsPublished = true;
    if ((options >> 4) & 3) subscription.retainHandling = ((options >> 4) & 3) as 1 | 2;
    const previous = this.subscriptionIndex(filter);
    if (previous >= 0) this.dropSubscription(previous);
    this.keepSubscription(subscription, identifier);
  }

  // The record whose entry is at `place`; an entry naming a record the log does not hold is corrupt.
  private recordAt(place: number, at: number): number {
    const w = this.words;
    for (let h = this.head; h >= 0; h = w[this.table + h * FIELDS + NEXT]) {
      if (w[this.table + h * FIELDS + PLACE] === place) return h;
    }
    throw new SessionStoreError("corrupt", `an entry names a record at ${place} that the log does not hold`, at);
  }

  // ---- the index --------------------------------------------------------------------------------------------------

  private index(slot: number, meta: number, token: number, place: number, length: number): void {
    const w = this.words;
    const r = this.table + slot * FIELDS;
    this.freeSlot = w[r + NEXT];
    w[r + META] = meta;
    w[r + TOKEN] = token;
    w[r + PLACE] = place;
    w[r + LENGTH] = length;
    w[r + NEXT] = -1;
    w[r + PREV] = this.tail;
    if (this.tail >= 0) w[this.table + this.tail * FIELDS + NEXT] = slot;
    else this.head = slot;
    this.tail = slot;
    this.used++;
    this.liveBytes += ENTRY_OVERHEAD + RECORD_META + length;
  }

  private unindex(handle: number): void {
    const w = this.words;
    const r = this.table + handle * FIELDS;
    const prev = w[r + PREV];
    const next = w[r + NEXT];
    if (prev >= 0) w[this.table + prev * FIELDS + NEXT] = next;
    else this.head = next;
    if (next >= 0) w[this.table + next * FIELDS + PREV] = prev;
    else this.tail = prev;
    this.liveBytes -= ENTRY_OVERHEAD + RECORD_META + w[r + LENGTH];
    w[r + META] = 0;
    w[r + NEXT] = this.freeSlot;
    this.freeSlot = handle;
    this.used--;
  }

  private resetRecords(): void {
    const w = this.words;
    for (let h = this.head; h >= 0; h = w[this.table + h * FIELDS + NEXT]) this.liveBytes -= ENTRY_OVERHEAD + RECORD_META + w[this.table + h * FIELDS + LENGTH];
    for (let i = 0; i < this.records; i++) {
      const r = this.table + i * FIELDS;
      w[r + NEXT] = i + 1 < this.records ? i + 1 : -1;
      w[r + META] = 0;
    }
    this.freeSlot = 0;
    this.head = this.tail = -1;
    this.used = 0;
  }

  // ---- small entries and helpers -----------------------------------------------------------------------------------

  private writeId(type: number, packetId: number): void {
    this.makeRoom(ENTRY_OVERHEAD + INBOUND_BODY);
    this.idEntry(type, packetId);
  }

  private idEntry(type: number, packetId: number): void {
    this.log.begin(type, INBOUND_BODY);
    this.log.u16(packetId);
    this.log.finish();
  }

  private writeEmpty(type: number): void {
    this.makeRoom(ENTRY_OVERHEAD);
    this.log.begin(type, 0);
    this.log.finish();
  }

  // A filter's UTF-8 bytes through the stage (subscriptions are rare: the bytes are made for the occasion).
  private writeText(text: string): void {
    const encoded = new Uint8Array(utf8Length(text, "filter"));
    writeUtf8(encoded, 0, text);
    this.log.bytes(encoded, 0, encoded.length);
  }

  private readText(offset: number, length: number): string {
    const encoded = new Uint8Array(length);
    this.area.read(offset, encoded, 0, length);
    return decodeUtf8(encoded, 0, length, "filter");
  }

  private setInbound(index: number, packetId: number): void {
    const at = this.inboundAt + 2 * index;
    this.bytes[at] = packetId >> 8;
    this.bytes[at + 1] = packetId & 0xff;
  }

  private inboundIndex(packetId: number): number {
    for (let i = 0; i < this.held; i++) if (this.inboundId(i) === packetId) return i;
    return -1;
  }

  private subscriptionIndex(filter: string): number {
    const subs = this.subs;
    for (let i = 0; i < subs.length; i++) if (subs[i].subscription.filter === filter) return i;
    return -1;
  }

  private subscriptionSize(index: number): number {
    return ENTRY_OVERHEAD + SUB_META + utf8Length(this.subs[index].subscription.filter, "filter");
  }

  private keepSubscription(subscription: Subscription, identifier: number): void {
    this.subs.push({ subscription, identifier });
    this.liveBytes += ENTRY_OVERHEAD + SUB_META + utf8Length(subscription.filter, "filter");
  }

  private dropSubscription(index: number): void {
    this.liveBytes -= this.subscriptionSize(index);
    this.subs.splice(index, 1);
  }
}

function subscriptionOptions(s: Subscription): number {
  return s.qos | (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | ((s.retainHandling ?? 0) << 4);
}

function checkKind(kind: number, at: number): RecordKindValue {
  if (kind < 1 || kind > 3) throw new SessionStoreError("corrupt", `a record of unknown kind ${kind}`, at);
  return kind as RecordKindValue;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
