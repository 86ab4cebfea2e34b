// The XS host's flash stand-in (tools/xs/host.c, host-flash.ts), which the simulator's sleeping devices and
// make soak-power keep their sessions in: a file with NOR semantics that outlives the process, and power cuts
// at a chosen flash step (XS_HOST_FLASH_CUT) that kill the process in the middle of a write or an erase.
// The file is the same bytes a FileFlashArea reads, so the store is checked from Node after each cut.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlashSessionStore } from "../../src/engine/flash-session-store";
import { FileFlashArea } from "../../src/platform/host/file-flash-area";
import { bundleForXs, ensureXsHost, runOnXs } from "./support/run-xs";

let dir: string;
let bundle: string;
beforeAll(async () => {
  ensureXsHost();
  dir = mkdtempSync(join(tmpdir(), "mqtt5-host-flash-"));
  bundle = await bundleForXs("host-tests/xs/entries/host-flash-writer.ts");
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Written { accepted: number[]; removed: number[]; stderr: string; signal: string | null; status: number | null; done?: number[] }

async function write(file: string, records: number, cut?: number): Promise<Written> {
  const run = await runOnXs(bundle, { globals: { flashFile: file, records }, env: cut === undefined ? {} : { XS_HOST_FLASH_CUT: String(cut) } });
  const numbers = (word: string) => run.stdout.split("\n").filter((l) => l.startsWith(`${word} `)).map((l) => Number(l.split(" ")[1]));
  const done = run.stdout.split("\n").find((l) => l.startsWith("@done "));
  return { accepted: numbers("accepted"), removed: numbers("removed"), stderr: run.stderr, signal: run.signal, status: run.status, done: done?.split(" ").slice(1).map(Number) };
}

function tokensIn(file: string): number[] {
  const area = new FileFlashArea(file, { byteLength: 4 * 4096, sync: false });
  try {
    const store = FlashSessionStore.open(area, { records: 64 });
    const tokens: number[] = [];
    for (let h = store.first(); h >= 0; h = store.next(h)) tokens.push(store.token(h));
    return tokens;
  } finally {
    area.close();
  }
}

describe("the XS host's flash stand-in", () => {
  it("keeps the store in a file across processes: a second run continues where the first stopped", async () => {
    const file = join(dir, "twice.flash");
    const first = await write(file, 50);
    expect(first.status).toBe(0);
    const second = await write(file, 50);
    expect(second.status).toBe(0);
    const kept = [...first.accepted, ...second.accepted].filter((n) => ![...first.removed, ...second.removed].includes(n));
    expect(tokensIn(file)).toEqual(kept);
  });

  it("a power cut at a flash step kills the process there, and the file opens with every record whose append returned and whose removal did not", async () => {
    const clean = await write(join(dir, "steps.flash"), 120);
    const [bytes, erases] = clean.done!;
    const steps = bytes! + erases!;
    for (const cut of [5, 300, Math.floor(steps / 3), Math.floor(steps / 2) + 7, steps - 40]) {
      const file = join(dir, `cut-${cut}.flash`);
      const run = await write(file, 120, cut);
      expect(run.signal).toBe("SIGKILL");
      expect(run.stderr).toMatch(new RegExp(`power cut in a flash (write|erase) at step ${cut}`));
      const kept = run.accepted.filter((n) => !run.removed.includes(n));
      const got = tokensIn(file);
      // The operation the cut interrupted may have completed: one more record, or one fewer.
      const extra = got.filter((n) => !kept.includes(n));
      const missing = kept.filter((n) => !got.includes(n));
      expect(missing.length + extra.length, `cut at ${cut}: kept ${kept}, file holds ${got}`).toBeLessThanOrEqual(1);
      if (missing.length === 1) expect(missing[0]).toBe(kept[0]); // a removal (of the oldest) that completed
    }
  }, 60_000);
});
