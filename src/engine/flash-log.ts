// The append-only log under the flash session store: framing, checksums, the two regions and compaction.
// What the entries mean is the store's (flash-session-store.ts); this file knows bytes and power cuts.
//
// The area is split into two regions of whole blocks. One is active: its header (below) is valid and its
// generation is the newer one. Entries are appended after the header, each written once into erased flash:
//     type u8 | body length u16 | body | CRC-32 of type, length and body (u32)      (big-endian)
// When the active region is full, compaction erases the other region, writes the live state there as fresh
// entries and then, last, that region's header with the next generation: until that header is whole, the old
// region stays the one that counts, so a power cut during compaction loses nothing. Each block is erased once
// per two region fills, whatever the messages look like.
//
// Power cuts: a cut in the middle of an entry leaves it torn (its CRC fails, the flash after it is erased):
// reading stops there and the entry is dropped. The region is then compacted before anything new is written,
// since erased flash is the only place an entry can go. Anything else that does not read back (an unreadable
// entry followed by more data, no valid header over a written area) is a SessionStoreError: the store says it
// cannot open rather than open without part of its state.
//
// Writes go through a small staging buffer: the bytes of an entry are copied there (and checksummed) and
// programmed a stage at a time, so nothing is allocated per entry.

import { CRC32_START, crc32Final, crc32Update } from "./crc32";
import { MqttArgumentError } from "../codec/errors";
import { SessionStoreError } from "./errors";
import type { FlashArea } from "./flash-area";

/** Region header: magic u32, generation u32, last packet id u16, format u8, 0 u8, CRC-32 of those 12 bytes. */
const HEADER = 16;
const MAGIC = 0x4d515331; // "MQS1"
const FORMAT = 1;
const BLANK = 0xff;
/** Type and body length before the body. */
export const ENTRY_HEAD = 3;
/** Bytes an entry takes besides its body. */
export const ENTRY_OVERHEAD = ENTRY_HEAD + 4;
/** The staging buffer's size: writes and reads move through it this many bytes at a time. */
export const STAGE_BYTES = 64;
/** The longest body an entry can have (its length is a u16). */
export const MAX_BODY = 0xffff;

/** What open() found. */
export const LogState = /* @__PURE__ */ Object.freeze({ OPEN: 0, BLANK: 1 } as const);

export class FlashLog {
  /** Flash bytes programmed and blocks erased since this log was made: the figures for wear. */
  bytesWritten = 0;
  erases = 0;
  compactions = 0;
  /** Generation of the active region. */
  generation = 0;
  /** The packet id its header recorded (the last one assigned when it was written). */
  headerPacketId = 0;
  /** Type of the entry readEntry() last read whole. */
  entryType = 0;
  private readonly area: FlashArea;
  private readonly stage: Uint8Array;
  private readonly regionBytes: number;
  private readonly blocksPerRegion: number;
  private active = 0;
  /** Where the next entry goes in the region being written (the active one, or a compaction's target). */
  private end = 0;
  private limit = 0;
  private compacting = false;
  // The entry being written: stage[0, fill) goes to writeAt; crc covers what was programmed before it.
  private writeAt = 0;
  private fill = 0;
  private crc = 0;

  /** `stage`: STAGE_BYTES of the store's memory (shared: replay leaves entry bodies there). */
  constructor(area: FlashArea, stage: Uint8Array) {
    const blocks = Math.floor(area.byteLength / area.blockSize);
    if (blocks < 2) throw new MqttArgumentError("area", `${area.byteLength} bytes hold fewer than 2 blocks of ${area.blockSize}`);
    this.area = area;
    this.stage = stage;
    this.blocksPerRegion = blocks >> 1;
    this.regionBytes = this.blocksPerRegion * area.blockSize;
  }

  /** Bytes one region holds for entries: the live state must fit in this. */
  get capacity(): number {
    return this.regionBytes - HEADER;
  }

  /** Bytes left in the region being written. */
  room(): number {
    return this.limit - this.end;
  }

  /** Area offset of the first entry of the active region. */
  firstEntry(): number {
    return this.active * this.regionBytes + HEADER;
  }

  /**
   * Finds the active region: the valid header with the newer generation. LogState.BLANK: neither region has
   * one and the area holds nothing else either (new, or its first format was cut): format() it. Throws
   * SessionStoreError("corrupt") when no header is valid but the area holds data.
   */
  open(): number {
    const g0 = this.readHeader(0);
    const p0 = this.headerPacketId;
    const g1 = this.readHeader(1);
    if (g0 < 0 && g1 < 0) {
      if (this.blankBeyondHeaders()) return LogState.BLANK;
      throw new SessionStoreError("corrupt", "no valid region header, but the area holds data (format it to start empty)", 0);
    }
    // Generations count up by one per compaction and are compared as a 32-bit difference (no wrap problem).
    const useFirst = g1 < 0 || (g0 >= 0 && ((g0 - g1) | 0) > 0);
    if (useFirst) this.headerPacketId = p0;
    this.activate(useFirst ? 0 : 1, useFirst ? g0 : g1);
    return LogState.OPEN;
  }

  /** Erases both regions and makes region 0 active and empty (generation 1). */
  format(): void {
    this.eraseRegion(0);
    this.eraseRegion(1);
    this.writeHeader(0, 1, 0);
    this.activate(0, 1);
    this.headerPacketId = 0;
  }

  /**
   * Reads the entry at `at` in the active region and checks its CRC. Returns its body length, with
   * entryType set and the body's first STAGE_BYTES in the stage; -1 when no whole entry is there (the log
   * ends, or the entry is torn: settle() tells which).
   */
  readEntry(at: number): number {
    const stage = this.stage;
    if (at + ENTRY_OVERHEAD > this.limit) return -1;
    this.area.read(at, stage, 0, ENTRY_HEAD);
    const type = stage[0];
    const length = (stage[1] << 8) | stage[2];
    if (type === BLANK || at + ENTRY_OVERHEAD + length > this.limit) return -1;
    let crc = crc32Update(CRC32_START, stage, 0, ENTRY_HEAD);
    for (let done = 0; done < length;) {
      const n = length - done < STAGE_BYTES ? length - done : STAGE_BYTES;
      this.area.read(at + ENTRY_HEAD + done, stage, 0, n);
      crc = crc32Update(crc, stage, 0, n);
      done += n;
    }
    this.area.read(at + ENTRY_HEAD + length, stage, 0, 4);
    if (readU32(stage, 0) !== crc32Final(crc)) return -1;
    this.entryType = type;
    if (length > 0) this.area.read(at + ENTRY_HEAD, stage, 0, length < STAGE_BYTES ? length : STAGE_BYTES);
    return length;
  }

  /**
   * The log read back ends at `at`. True when the rest of the region is erased: appends go on from there.
   * False when a torn entry is there: the caller compacts before writing. Throws SessionStoreError("corrupt")
   * when anything beyond that one entry is written: that is not what a power cut leaves.
   */
  settle(at: number): boolean {
    let extent = this.limit;
    if (at + ENTRY_HEAD <= this.limit) {
      this.area.read(at, this.stage, 0, ENTRY_HEAD);
      // A torn length reads at least as large as the one being written: programming only clears bits.
      const length = (this.stage[1] << 8) | this.stage[2];
      if (at + ENTRY_OVERHEAD + length < extent) extent = at + ENTRY_OVERHEAD + length;
    }
    if (!this.blank(extent, this.limit)) {
      throw new SessionStoreError("corrupt", `an unreadable entry at ${at} is followed by more data`, at);
    }
    if (!this.blank(at, extent)) return false;
    this.end = at;
    return true;
  }

  // ---- writing an entry: begin(), then its body with byte/u16/u32/bytes/copy, then finish() ----------------

  /** Starts an entry of `bodyLength` bytes (the caller made room: room() >= ENTRY_OVERHEAD + bodyLength).
   * Returns its area offset, which names it in later entries. */
  begin(type: number, bodyLength: number): number {
    const at = this.end;
    this.writeAt = at;
    this.fill = 0;
    this.crc = CRC32_START;
    this.byte(type);
    this.u16(bodyLength);
    return at;
  }

  byte(value: number): void {
    if (this.fill === STAGE_BYTES) this.flush();
    this.stage[this.fill++] = value;
  }

  u16(value: number): void {
    this.byte(value >> 8);
    this.byte(value & 0xff);
  }

  u32(value: number): void {
    this.u16(value >>> 16);
    this.u16(value & 0xffff);
  }

  /** Body bytes from memory: source[start, end). */
  bytes(source: Uint8Array, start: number, end: number): void {
    const stage = this.stage;
    while (start < end) {
      if (this.fill === STAGE_BYTES) this.flush();
      const f = this.fill;
      const n = end - start < STAGE_BYTES - f ? end - start : STAGE_BYTES - f;
      // Indexed from both bases: on XS the cheapest byte loop without a view (a view would allocate).
      for (let i = 0; i < n; i++) stage[f + i] = source[start + i];
      this.fill = f + n;
      start += n;
    }
  }

  /** Body bytes copied from the area itself: [from, from + length) (a record moved by compaction). */
  copy(from: number, length: number): void {
    this.flush();
    const stage = this.stage;
    while (length > 0) {
      const n = length < STAGE_BYTES ? length : STAGE_BYTES;
      this.area.read(from, stage, 0, n);
      this.fill = n;
      this.flush();
      from += n;
      length -= n;
    }
  }

  /** Ends the entry with its CRC. Once this returns the entry is on flash. */
  finish(): void {
    const stage = this.stage;
    this.crc = crc32Update(this.crc, stage, 0, this.fill);
    // A small entry goes out as one write, CRC included.
    if (this.fill + 4 > STAGE_BYTES) this.program(this.fill);
    const crc = crc32Final(this.crc);
    let f = this.fill;
    stage[f++] = crc >>> 24;
    stage[f++] = (crc >>> 16) & 0xff;
    stage[f++] = (crc >>> 8) & 0xff;
    stage[f++] = crc & 0xff;
    this.program(f);
    this.end = this.writeAt;
  }

  // ---- compaction ---------------------------------------------------------------------------------------------

  /** Erases the other region and directs the entries written next there (the live state, rewritten). */
  beginCompaction(): void {
    const target = 1 - this.active;
    this.compacting = true;
    this.eraseRegion(target);
    this.end = target * this.regionBytes + HEADER;
    this.limit = (target + 1) * this.regionBytes;
  }

  /** Makes the rewritten region the active one: its header, written last, carries the next generation. */
  commitCompaction(lastPacketId: number): void {
    const target = 1 - this.active;
    const generation = (this.generation + 1) >>> 0;
    this.writeHeader(target, generation, lastPacketId);
    const end = this.end;
    this.compacting = false;
    this.activate(target, generation);
    this.end = end;
    this.compactions++;
  }

  /** A compaction that failed part way (a flash error): appends go on in the active region as before. */
  abandonCompaction(appendAt: number): void {
    if (!this.compacting) return;
    this.compacting = false;
    this.limit = (this.active + 1) * this.regionBytes;
    this.end = appendAt;
  }

  /** Where the next entry of the active region goes (to restore after an abandoned compaction). */
  get appendAt(): number {
    return this.end;
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private activate(region: number, generation: number): void {
    this.active = region;
    this.generation = generation;
    this.end = region * this.regionBytes + HEADER;
    this.limit = (region + 1) * this.regionBytes;
  }

  private flush(): void {
    if (this.fill === 0) return;
    this.crc = crc32Update(this.crc, this.stage, 0, this.fill);
    this.program(this.fill);
  }

  private program(length: number): void {
    this.area.write(this.writeAt, this.stage, 0, length);
    this.writeAt += length;
    this.bytesWritten += length;
    this.fill = 0;
  }

  private eraseRegion(region: number): void {
    const first = region * this.blocksPerRegion;
    for (let b = 0; b < this.blocksPerRegion; b++) {
      this.area.erase(first + b);
      this.erases++;
    }
  }

  // The header's generation (headerPacketId set), or -1 when it is not a valid header.
  private readHeader(region: number): number {
    const s = this.stage;
    this.area.read(region * this.regionBytes, s, 0, HEADER);
    if (readU32(s, 0) !== MAGIC || s[10] !== FORMAT || readU32(s, 12) !== crc32Final(crc32Update(CRC32_START, s, 0, 12))) return -1;
    this.headerPacketId = (s[8] << 8) | s[9];
    return readU32(s, 4);
  }

  private writeHeader(region: number, generation: number, lastPacketId: number): void {
    const s = this.stage;
    writeU32(s, 0, MAGIC);
    writeU32(s, 4, generation);
    s[8] = lastPacketId >> 8;
    s[9] = lastPacketId & 0xff;
    s[10] = FORMAT;
    s[11] = 0;
    writeU32(s, 12, crc32Final(crc32Update(CRC32_START, s, 0, 12)));
    this.writeAt = region * this.regionBytes;
    this.program(HEADER);
  }

  // True when area bytes [from, to) all read 0xFF.
  private blank(from: number, to: number): boolean {
    const stage = this.stage;
    while (from < to) {
      const n = to - from < STAGE_BYTES ? to - from : STAGE_BYTES;
      this.area.read(from, stage, 0, n);
      for (let i = 0; i < n; i++) if (stage[i] !== BLANK) return false;
      from += n;
    }
    return true;
  }

  // No header anywhere: blank but for what a cut first format can leave (a part of region 0's header).
  private blankBeyondHeaders(): boolean {
    const r = this.regionBytes;
    return this.blank(HEADER, r) && this.blank(r, 2 * r);
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
