// Cases that run inside the XS engine. An entry file (host-tests/xs/entries/*.ts) passes its cases to
// runCasesOnXs(); each case prints one result line and a final verdict line follows, which the Node side
// checks (see run-xs.ts): the exit status alone never passes a run.
//
// Entries call `void runCasesOnXs(...)`, not `await`: a module suspended at a top-level await keeps its
// frame in a heap chunk, and a bundle's one module frame holds every binding of every bundled module
// (about 9 KB here), which a device, whose modules are separate and preloaded, never pays.
import type { Cost } from "../../../tools/xs/measure";
import { xsHost } from "../../../tools/xs/xs-globals";

export interface CaseContext {
  /** Keeps a measured cost for the Node side (budget checks, bench output) under `key`. */
  record(key: string, cost: Cost): void;
  /** Keeps a plain number (heap sizes and the like) under `key`. */
  note(key: string, value: number): void;
}

export interface XsCase {
  name: string;
  run(context: CaseContext): void | Promise<void>;
}

export const CASE_LINE = "@xs-case ";
export const MEASURE_LINE = "@xs-measure ";
export const NOTE_LINE = "@xs-note ";
export const VERDICT_LINE = "@xs-verdict ";

export async function runCasesOnXs(cases: readonly XsCase[]): Promise<void> {
  const { print } = xsHost();
  const context: CaseContext = {
    record(key, cost) { print(MEASURE_LINE + JSON.stringify({ key, ...cost })); },
    note(key, value) { print(NOTE_LINE + JSON.stringify({ key, value })); },
  };
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const started = xsHost().now();
    try {
      await c.run(context);
      passed++;
      print(CASE_LINE + JSON.stringify({ name: c.name, ok: true, ms: Math.round(xsHost().now() - started) }));
    } catch (error) {
      failed++;
      const e = error as { message?: string; stack?: string };
      print(CASE_LINE + JSON.stringify({ name: c.name, ok: false, error: String(e?.message ?? error), stack: e?.stack }));
    }
  }
  print(VERDICT_LINE + JSON.stringify({ passed, failed, total: cases.length }));
  // Timers or a connection a case left behind must not keep the process alive after the verdict.
  xsHost().finish();
}

/** Minimal assertions for code running on XS (vitest's expect is not available there). */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function checkEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** Records a measured cost and checks that the operation allocated nothing at all. */
export function recordAllocationFree(context: CaseContext, key: string, cost: Cost): void {
  context.record(key, cost);
  checkEqual(cost.slots, 0, `${key}: slots allocated over ${cost.operations} operations`);
  checkEqual(cost.chunkBytes, 0, `${key}: chunk bytes allocated over ${cost.operations} operations`);
}

export function checkBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const same = actual.length === expected.length && actual.every((b, i) => b === expected[i]);
  if (!same) throw new Error(`${what}: expected ${hex(expected)}, got ${hex(actual)}`);
}

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}
