// A FlashArea over a file, for a FlashSessionStore on Node: the session survives the process (a crash, a
// restart, kill -9). The file is made the area's size, all 0xFF, and then only ever overwritten in place, as
// flash is programmed; every write and erase is followed by fdatasync, so an accepted message is on disk
// before the engine sends it. That costs a disk sync per store change (a few per message): the price of
// durability. sync: false skips the syncs (the data still survives the process, not the machine).

import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { MqttArgumentError } from "../../codec/errors";
import type { FlashArea } from "../../engine/flash-area";

/** Size and durability of a {@link FileFlashArea}. */
export interface FileFlashAreaOptions {
  /** Bytes in the area: whole blocks, at least 2. Default 65,536. An existing file must have this size. */
  byteLength?: number;
  /** The erase unit the store works in. Default 4,096. */
  blockSize?: number;
  /** fdatasync after every write and erase (default true). */
  sync?: boolean;
}

/** A FlashArea over a file on Node, for a FlashSessionStore that survives the process. */
export class FileFlashArea implements FlashArea {
  readonly byteLength: number;
  readonly blockSize: number;
  private readonly fd: number;
  private readonly sync: boolean;
  private readonly blank: Uint8Array;

  constructor(path: string, options: FileFlashAreaOptions = {}) {
    const blockSize = options.blockSize ?? 4096;
    const byteLength = options.byteLength ?? 65536;
    if (!Number.isInteger(blockSize) || blockSize < 64) throw new MqttArgumentError("options.blockSize", "an integer of at least 64");
    if (!Number.isInteger(byteLength) || byteLength < 2 * blockSize || byteLength % blockSize !== 0) {
      throw new MqttArgumentError("options.byteLength", `a whole number of blocks (${blockSize} bytes), at least 2`);
    }
    this.byteLength = byteLength;
    this.blockSize = blockSize;
    this.sync = options.sync ?? true;
    this.blank = new Uint8Array(blockSize).fill(0xff);
    const created = !existsSync(path);
    this.fd = openSync(path, created ? "w+" : "r+");
    if (created) this.create(path);
    const size = fstatSync(this.fd).size;
    if (size !== byteLength) {
      closeSync(this.fd);
      throw new MqttArgumentError("options.byteLength", `${path} holds ${size} bytes, not ${byteLength}`);
    }
  }

  read(offset: number, into: Uint8Array, at: number, length: number): void {
    while (length > 0) {
      const n = readSync(this.fd, into, at, length, offset);
      if (n <= 0) throw new Error(`flash file: nothing to read at ${offset}`);
      at += n;
      offset += n;
      length -= n;
    }
  }

  write(offset: number, from: Uint8Array, at: number, length: number): void {
    this.writeAll(offset, from, at, length);
    if (this.sync) fdatasyncSync(this.fd);
  }

  erase(block: number): void {
    this.writeAll(block * this.blockSize, this.blank, 0, this.blockSize);
    if (this.sync) fdatasyncSync(this.fd);
  }

  /** Closes the file (the store over it must not be used afterwards). */
  close(): void {
    closeSync(this.fd);
  }

  // A new file: erased flash, made durable with its directory entry.
  private create(path: string): void {
    for (let block = 0; block < this.byteLength / this.blockSize; block++) this.writeAll(block * this.blockSize, this.blank, 0, this.blockSize);
    fsyncSync(this.fd);
    if (!this.sync) return;
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  private writeAll(offset: number, from: Uint8Array, at: number, length: number): void {
    while (length > 0) {
      const n = writeSync(this.fd, from, at, length, offset);
      at += n;
      offset += n;
      length -= n;
    }
  }
}
