// The XS test host itself: exit status, counters, the device heap and the channel to Node.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hostProbeCases } from "./host-probe-cases";
import { ensureXsHost, ROOT, runOnXs } from "./support/run-xs";
import { xsSuite } from "./support/xs-suite";

const scratch = join(ROOT, "build/xs/scratch");

function moduleFile(name: string, source: string): string {
  mkdirSync(scratch, { recursive: true });
  const path = join(scratch, name);
  writeFileSync(path, source);
  return path;
}

beforeAll(() => ensureXsHost(), 120_000);

describe("xs-host exit status", () => {
  it("is 0 for a module that completes, including its alarm and promise jobs", async () => {
    const run = await runOnXs(moduleFile("ok.mjs",
      'setAlarm(1, () => Promise.resolve().then(() => print("done")));'));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("done\n");
  });
  it("is non-zero when the module throws during evaluation", async () => {
    const run = await runOnXs(moduleFile("throws.mjs", 'throw new Error("boom");'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("boom");
  });
  it("is non-zero when a promise rejection is never handled", async () => {
    const run = await runOnXs(moduleFile("rejects.mjs", 'Promise.reject(new Error("nope")); print("after");'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unhandled rejection");
  });
  it("is non-zero when an alarm callback throws", async () => {
    const run = await runOnXs(moduleFile("alarm-throws.mjs", 'setAlarm(0, () => { throw new Error("late"); });'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("late");
  });
  it("is non-zero when top-level await never settles", async () => {
    const run = await runOnXs(moduleFile("hangs.mjs", "await new Promise(() => {});"));
    expect(run.status).toBe(1);
  });
  it("is non-zero for a syntax error", async () => {
    const run = await runOnXs(moduleFile("syntax.mjs", "let x = ;"));
    expect(run.status).toBe(1);
  });
});

describe("xs-host device heap (ESP8266, 32 KB)", () => {
  // 12 KB: the 32 KB block also holds the esp8266 target's 384-slot stack (6 KB) and the heap's growth steps.
  it("lets an app keep 12 KB of buffers", async () => {
    const run = await runOnXs(moduleFile("fits.mjs", `
      deviceHeap(32768);
      const keep = [];
      for (let i = 0; i < 12; i++) keep.push(new Uint8Array(1024));
      print("used", deviceHeapBytes());`), { deviceHeap: true });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const used = Number(/used (\d+)/.exec(run.stdout)![1]);
    expect(used).toBeGreaterThan(12 * 1024);
    expect(used).toBeLessThanOrEqual(32768);
  });
  it("ends the run with memory full (exit 3) when an app keeps 40 KB", async () => {
    const run = await runOnXs(moduleFile("overflows.mjs", `
      deviceHeap(32768);
      const keep = [];
      for (let i = 0; i < 40; i++) keep.push(new Uint8Array(1024));
      print("should not get here");`), { deviceHeap: true });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("memory full");
    expect(run.stdout).not.toContain("should not get here");
  });
  it("ends the run with stack overflow (exit 4) when code below deviceHeap() nests deeper than a device stack", async () => {
    const run = await runOnXs(moduleFile("deep.mjs", `
      function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
      print("host", depth(200));
      deviceHeap(32768);
      print("device", depth(10));
      print("device", depth(200));`), { deviceHeap: true });
    expect(run.stdout).toBe("host 200\ndevice 10\n");
    expect(run.status).toBe(4);
  });
  // What is live at deviceHeap() is in flash on a device: once it dies, its room is not heap room to reuse.
  it("charges objects made after deviceHeap() in the room of objects live at deviceHeap() and since dropped", async () => {
    const run = await runOnXs(moduleFile("flash-slots.mjs", `
      let list = null;
      for (let i = 0; i < 500; i++) list = { next: list };
      const atStart = deviceHeap(32768);
      list = null;
      let again = null;
      for (let i = 0; i < 500; i++) again = { next: again };
      print("charged", deviceHeapBytes() - atStart);`), { deviceHeap: true });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // 500 objects of 2 slots (the instance and its property) at 16 bytes.
    expect(Number(/charged (\d+)/.exec(run.stdout)![1])).toBeGreaterThanOrEqual(500 * 2 * 16);
  });
  it("charges chunks made after deviceHeap() in the room of chunks live at deviceHeap() and since dropped", async () => {
    const run = await runOnXs(moduleFile("flash-chunks.mjs", `
      let buffer = new Uint8Array(16000);
      const atStart = deviceHeap(32768);
      buffer = null;
      const again = new Uint8Array(16000);
      print("charged", deviceHeapBytes() - atStart);`), { deviceHeap: true });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(Number(/charged (\d+)/.exec(run.stdout)![1])).toBeGreaterThanOrEqual(16000);
  });
  it("ends the run with memory full (exit 3) when 32 KB of objects are made anew in the room of dropped ones", async () => {
    const run = await runOnXs(moduleFile("flash-refuses.mjs", `
      let list = null;
      for (let i = 0; i < 1500; i++) list = { next: list };
      deviceHeap(32768);
      list = null;
      let again = null;
      for (let i = 0; i < 1000; i++) again = { next: again };
      print("should not get here");`), { deviceHeap: true });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("memory full");
    expect(run.stdout).not.toContain("should not get here");
  });
  it("counts slots at 16 bytes each: 3,000 live objects do not fit", async () => {
    const run = await runOnXs(moduleFile("slots.mjs", `
      deviceHeap(32768);
      const keep = [];
      for (let i = 0; i < 3000; i++) keep.push({ i });
      print("should not get here");`), { deviceHeap: true });
    expect(run.status).toBe(3);
  });
});

describe("xs-host channel", () => {
  it("echoes length-prefixed frames between Node and XS and ends when Node closes", async () => {
    const received: Buffer[] = [];
    const run = await runOnXs(moduleFile("echo.mjs", `
      const buffer = new ArrayBuffer(256);
      channelListen(buffer, (length) => {
        if (length < 0) { print("closed"); return; }
        const bytes = new Uint8Array(buffer);
        for (let i = 0; i < length; i++) bytes[i] ^= 0xff;
        channelSend(buffer, 0, length);
      });`), {
      withChannel: true,
      onSpawn(child) {
        const toXs = child.stdio[3] as NodeJS.WritableStream;
        const fromXs = child.stdio[4] as NodeJS.ReadableStream;
        let pending = Buffer.alloc(0);
        fromXs.on("data", (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
            const length = pending.readUInt32BE(0);
            received.push(pending.subarray(4, 4 + length));
            pending = pending.subarray(4 + length);
            if (received.length === 2) toXs.end();
          }
        });
        for (const payload of [Buffer.from([1, 2, 3]), Buffer.alloc(200, 0x0f)]) {
          const header = Buffer.alloc(4);
          header.writeUInt32BE(payload.length);
          toXs.write(Buffer.concat([header, payload]));
        }
      },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("closed\n");
    expect(received).toEqual([Buffer.from([0xfe, 0xfd, 0xfc]), Buffer.alloc(200, 0xf0)]);
  });
});

describe("xs-host counters", () => {
  xsSuite("host-tests/xs/entries/host-probes.ts", hostProbeCases);
});
