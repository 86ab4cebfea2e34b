// Declares a vitest suite for an XS entry: the bundle runs once on the XS host, then one test per case
// (named by the behaviour it proves) reads its result line. The cases are imported here for their names.
import { beforeAll, expect, it } from "vitest";
import { assertSuitePassed, bundleForXs, ensureXsHost, parseSuite, runOnXs, type SuiteResult, type XsRunOptions } from "./run-xs";
import type { XsCase } from "./xs-case";

export interface XsSuite { result(): SuiteResult }

/** `options` may be a function, called in beforeAll (after the caller's own beforeAll, e.g. a broker start). */
export function xsSuite(entry: string, cases: readonly XsCase[], options: XsRunOptions | (() => XsRunOptions) = {}): XsSuite {
  let suite: SuiteResult | undefined;
  beforeAll(async () => {
    ensureXsHost();
    const runOptions = typeof options === "function" ? options() : options;
    suite = parseSuite(await runOnXs(await bundleForXs(entry), runOptions));
  }, 120_000);
  it(`runs ${entry} on XS to a verdict with all ${cases.length} cases passed and exit status 0`, () => {
    assertSuitePassed(suite!, cases.length);
  });
  for (const c of cases) {
    it(`${c.name} (on XS)`, () => {
      const result = suite!.cases.get(c.name);
      expect(result, `no result line for "${c.name}"\n${suite!.run.stderr}`).toBeDefined();
      expect(result!.ok, `${result!.error}\n${result!.stack ?? ""}`).toBe(true);
    });
  }
  return { result: () => suite! };
}
