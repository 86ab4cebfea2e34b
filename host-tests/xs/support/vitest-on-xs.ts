// Enough of vitest's API (describe, it, each, expect and its common matchers) to run the Node tiers' test
// files unchanged on XS. bundleForXs() aliases "vitest" to this file; runRegisteredOnXs() then runs every
// registered test through runCasesOnXs, one result line per test, named "<describe> > <it>".
import { runCasesOnXs, type XsCase } from "./xs-case";

type TestFn = () => unknown;

const registered: XsCase[] = [];
const prefix: string[] = [];
/** beforeEach/afterEach hooks of each open describe level (index 0: file level). */
const beforeHooks: TestFn[][] = [[]];
const afterHooks: TestFn[][] = [[]];

function format(name: string, args: readonly unknown[]): string {
  let i = 0;
  return name.replace(/%[isdjo]/g, () => String(args[i++]));
}

/** Full names the Node side asked to leave out on XS (too slow interpreted; they run on Node). */
declare const xsExcludedTests: string | undefined;
const excluded: readonly string[] = typeof xsExcludedTests === "string" ? JSON.parse(xsExcludedTests) as string[] : [];

function register(name: string, fn: TestFn): void {
  const full = [...prefix, name].join(" > ");
  if (excluded.includes(full)) return;
  const before = beforeHooks.flat();
  const after = afterHooks.slice().reverse().flat();
  registered.push({
    name: full,
    run: async () => {
      for (const hook of before) await hook();
      try { await fn(); } finally { for (const hook of after) await hook(); }
    },
  });
}

type EachTable = readonly (readonly unknown[] | unknown)[];

function eachOf(callback: (name: string, fn: TestFn) => void) {
  return (table: EachTable) => (name: string, fn: (...args: never[]) => unknown) => {
    for (const row of table) {
      const args = Array.isArray(row) ? row : [row];
      callback(format(name, args), () => (fn as (...a: unknown[]) => unknown)(...args));
    }
  };
}

export const it = Object.assign((name: string, fn: TestFn) => register(name, fn), { each: eachOf(register) });
export const test = it;

function group(name: string, fn: () => void): void {
  prefix.push(name);
  beforeHooks.push([]);
  afterHooks.push([]);
  try { fn(); } finally { prefix.pop(); beforeHooks.pop(); afterHooks.pop(); }
}
export const describe = Object.assign(group, { each: eachOf(group) });

export function beforeEach(fn: TestFn): void { beforeHooks[beforeHooks.length - 1]!.push(fn); }
export function afterEach(fn: TestFn): void { afterHooks[afterHooks.length - 1]!.push(fn); }
export function beforeAll(): void { throw new Error("vitest-on-xs: beforeAll is not supported"); }
export function afterAll(): void { throw new Error("vitest-on-xs: afterAll is not supported"); }

export async function runRegisteredOnXs(): Promise<void> {
  await runCasesOnXs(registered);
}

// ---- expect ----

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `Uint8Array[${Array.from(v).join(",")}]` : v === undefined ? "undefined" : v));
  } catch {
    return String(value);
  }
}

/** vitest's toEqual: recursive, undefined properties ignored, object types not compared. */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => equal(v, y[i]));
  }
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) {
    return equal([...(a as Iterable<unknown>)], [...(b as Iterable<unknown>)]);
  }
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** toMatchObject: every property of `expected` matches, recursively; arrays match element by element. */
function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== "object" || expected === null || ArrayBuffer.isView(expected)) return equal(actual, expected);
  if (typeof actual !== "object" || actual === null) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matches(actual[i], v));
  }
  return Object.keys(expected).every((k) => matches((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
}

function thrown(fn: () => unknown): { threw: boolean; error?: unknown } {
  try { fn(); return { threw: false }; } catch (error) { return { threw: true, error }; }
}

function throwMatches(error: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  const message = (error as { message?: string })?.message ?? String(error);
  if (typeof expected === "string") return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (typeof expected === "function") return error instanceof (expected as new () => unknown);
  if (typeof expected === "object" && expected !== null) return matches(error, expected);
  return false;
}

type Matchers = Record<string, (...args: never[]) => void>;

function matchers(actual: unknown, negate: boolean, label?: string): Matchers {
  const assert = (ok: boolean, what: string, ...expected: unknown[]): void => {
    if (ok === negate) {
      const tail = expected.length > 0 ? " " + show(expected[0]) : "";
      throw new Error(`${label ? label + ": " : ""}expected ${show(actual)} ${negate ? "not " : ""}${what}${tail}`);
    }
  };
  return {
    toBe: (e: unknown) => assert(Object.is(actual, e), "to be", e),
    toEqual: (e: unknown) => assert(equal(actual, e), "to equal", e),
    toStrictEqual: (e: unknown) => assert(equal(actual, e), "to strictly equal", e),
    toMatchObject: (e: unknown) => assert(matches(actual, e), "to match", e),
    toBeUndefined: () => assert(actual === undefined, "to be undefined"),
    toBeDefined: () => assert(actual !== undefined, "to be defined"),
    toBeNull: () => assert(actual === null, "to be null"),
    toBeTruthy: () => assert(Boolean(actual), "to be truthy"),
    toBeFalsy: () => assert(!actual, "to be falsy"),
    toHaveLength: (n: number) => assert((actual as { length: number }).length === n, "to have length", n),
    toBeGreaterThan: (n: number) => assert((actual as number) > n, "to be greater than", n),
    toBeGreaterThanOrEqual: (n: number) => assert((actual as number) >= n, "to be at least", n),
    toBeLessThan: (n: number) => assert((actual as number) < n, "to be less than", n),
    toBeLessThanOrEqual: (n: number) => assert((actual as number) <= n, "to be at most", n),
    toBeInstanceOf: (c: new (...a: never[]) => unknown) => assert(actual instanceof c, "to be an instance of", c.name),
    toMatch: (e: RegExp | string) => assert(typeof e === "string" ? String(actual).includes(e) : e.test(String(actual)), "to match", String(e)),
    toContain: (e: unknown) => assert((actual as { includes(x: unknown): boolean }).includes(e), "to contain", e),
    toContainEqual: (e: unknown) => assert((actual as unknown[]).some((v) => equal(v, e)), "to contain an element equal to", e),
    toThrow: (e?: unknown) => {
      const r = thrown(actual as () => unknown);
      assert(r.threw && throwMatches(r.error, e), `to throw ${e === undefined ? "" : show(e instanceof RegExp ? String(e) : typeof e === "function" ? e.name : e)} (threw ${r.threw ? show((r.error as Error)?.message ?? r.error) : "nothing"})`);
    },
  };
}

export function expect(actual: unknown, label?: string) {
  return Object.assign(matchers(actual, false, label), { not: matchers(actual, true, label) });
}
