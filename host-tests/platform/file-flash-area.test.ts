// FileFlashArea: the Node FlashArea (a file behaving as erased-then-programmed flash) under FlashSessionStore.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FlashSessionStore, RecordKind } from "../../src/engine/index";
import { FileFlashArea } from "../../src/platform/host/index";

const dir = mkdtempSync(join(tmpdir(), "mqtt5-file-area-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("FileFlashArea", () => {
  it("makes a new file the area's size, erased (all 0xFF)", () => {
    const path = join(dir, "new.flash");
    new FileFlashArea(path, { byteLength: 8192, blockSize: 4096 }).close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(8192);
    expect(bytes.every((b) => b === 0xff)).toBe(true);
  });

  it("writes, reads and erases in place", () => {
    const area = new FileFlashArea(join(dir, "rw.flash"), { byteLength: 8192, blockSize: 4096, sync: false });
    area.write(4100, Uint8Array.of(9, 1, 2, 3), 1, 3);
    const into = new Uint8Array(5);
    area.read(4099, into, 0, 5);
    expect([...into]).toEqual([0xff, 1, 2, 3, 0xff]);
    area.erase(1);
    area.read(4099, into, 0, 5);
    expect([...into]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff]);
    area.close();
  });

  it("refuses an existing file of another size, naming options.byteLength", () => {
    const path = join(dir, "small.flash");
    writeFileSync(path, new Uint8Array(100));
    expect(() => new FileFlashArea(path, { byteLength: 8192 })).toThrow(/options.byteLength: .* holds 100 bytes, not 8192/);
    expect(() => new FileFlashArea(join(dir, "odd.flash"), { byteLength: 5000, blockSize: 4096 })).toThrow(/options.byteLength/);
  });

  it("keeps a FlashSessionStore across closing and opening the file", () => {
    const path = join(dir, "store.flash");
    const first = new FileFlashArea(path);
    const store = FlashSessionStore.open(first);
    store.append(RecordKind.QUEUED, 1, 0, 7, Uint8Array.of(1, 2, 3), 0, 3);
    first.close();
    const again = FlashSessionStore.open(new FileFlashArea(path));
    expect([again.count(), again.token(again.first()), again.byteLength(again.first())]).toEqual([1, 7, 3]);
  });
});
