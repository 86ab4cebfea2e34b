// The Node tiers' own test files, run unchanged on the XS engine (vitest's API comes from
// support/vitest-on-xs.ts): the engine flows and the codec round trips must hold on the engine that runs
// on the device, not only on V8. Every test found there becomes one test here, suffixed "(on XS)".
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleTierForXs, ensureXsHost, parseSuite, ROOT, runOnXs, type SuiteResult } from "./support/run-xs";

/** Test files that need Node (mqtt-packet's Buffer, sockets, child processes) stay on Node, and so does the
 * randomized configuration sweep (hundreds of engines, minutes interpreted; its flows run on XS in the
 * other engine tests). */
const NODE_ONLY = new Set(["host-tests/codec/differential.test.ts", "host-tests/engine/random-configuration.test.ts"]);

function testFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `${folder}/${f}`)
    .filter((f) => !NODE_ONLY.has(f))
    .sort();
}

/**
 * Tests that run on Node only: quadratic vector sweeps that take most of a minute interpreted on XS. The
 * same packets are decoded on XS whole, byte by byte and in random fragments by the other tests.
 */
const NODE_ONLY_TESTS = [
  "MQTT level 5 > decodes each packet split into two fragments at every position",
  "MQTT level 4 > decodes each packet split into two fragments at every position",
  // 16,000 reopens of a flash store; host-tests/xs/flash-store-cases.ts runs the same check on XS, every third cut.
  "FlashSessionStore > loses nothing that completed, whatever step a power cut interrupts (every byte of every write, every erase)",
];

const TIERS = ["codec", "engine"];

ensureXsHost();
const runs = await Promise.all(TIERS.map(async (tier): Promise<[string, SuiteResult | Error]> => {
  try {
    const bundle = await bundleTierForXs(tier, testFiles(`host-tests/${tier}`));
    const globals = { xsExcludedTests: JSON.stringify(NODE_ONLY_TESTS) };
    // About 20 s each on a quiet 2-core machine; far more when other processes share it (75 s seen while a
    // long fuzz run took a core). The limit is there to end a hung run, not to time one.
    return [tier, parseSuite(await runOnXs(bundle, { timeoutMs: 180_000, globals }))];
  } catch (error) {
    return [tier, error as Error];
  }
}));

for (const [tier, suite] of runs) {
  describe(`host-tests/${tier} on XS`, () => {
    it("bundles, runs to a verdict with every test passed and exits 0", () => {
      if (suite instanceof Error) throw suite;
      const { run, verdict } = suite;
      expect(run.status, run.stderr).toBe(0);
      expect(verdict, `no verdict line\n${run.stderr}`).toBeDefined();
      expect(verdict!.failed).toBe(0);
      expect(verdict!.passed).toBe(verdict!.total);
      expect(verdict!.total).toBeGreaterThan(0);
    });
    if (suite instanceof Error) return;
    for (const [name, result] of suite.cases) {
      it(`${name} (on XS)`, () => {
        expect(result.ok, `${result.error}\n${result.stack ?? ""}`).toBe(true);
      });
    }
  });
}
