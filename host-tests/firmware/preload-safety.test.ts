// Moddable preloads the library's modules and freezes their module-level state into flash, so no module
// under src/ may keep mutable state at module level (docs/ARCHITECTURE.md, "Rules for everything under src/").
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findModuleState } from "./preload-checker";
import { REPOSITORY, typeScriptFiles } from "./source-files";

const what = (source: string) => findModuleState("snippet.ts", source).map((f) => f.what);

describe("preload safety of src/", () => {
  it("finds no mutable module-level state in any module under src/", () => {
    const files = typeScriptFiles(join(REPOSITORY, "src"));
    expect(files.length).toBeGreaterThan(10);
    const findings = files.flatMap((file) => findModuleState(relative(REPOSITORY, file), readFileSync(file, "utf8")));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
  });
});

describe("the preload checker", () => {
  it("flags top-level let and var", () => {
    expect(what("let count = 0;\nexport var total = 1;")).toEqual(["top-level let/var count", "top-level let/var total"]);
  });

  it("flags top-level objects, arrays, collections, typed arrays and regular expressions", () => {
    const source = [
      "const cache = {};",
      "const list = [1, 2];",
      "const seen = new Map();",
      "const ids = new Set<number>();",
      "const buffer = new Uint8Array(16);",
      "const bytes = Uint8Array.of(1, 2);",
      "const copy = Array.from([1]);",
      "const pattern = /a/g;",
    ].join("\n");
    expect(what(source)).toHaveLength(8);
  });

  it("flags tables that are only readonly to the type checker (as const, readonly types): XS keeps them writable", () => {
    const source = "const Kind = { A: 1 } as const;\nconst Names: readonly string[] = ['a'];";
    expect(what(source)).toEqual(["top-level const Kind holds a mutable value", "top-level const Names holds a mutable value"]);
  });

  it("flags a frozen table whose nested table is not frozen (freeze is shallow)", () => {
    expect(what("const T = Object.freeze({ a: { b: 1 } });")).toEqual(["top-level const T holds a mutable value"]);
  });

  it("flags mutable class statics and static blocks, and readonly statics holding objects", () => {
    const source = "class A { static count = 0; static readonly cache = new Map(); static { A.count = 1; } }";
    expect(what(source)).toEqual([
      "mutable static A.count",
      "static A.cache holds a mutable value",
      "static block in class A",
    ]);
  });

  it("flags enums and top-level assignments", () => {
    expect(what("enum Color { Red }\nconst o = Object.freeze({ a: 1 });\no.a = 2;")).toEqual([
      "enum Color (use a frozen const table)",
      "top-level assignment to o.a",
    ]);
  });

  it("accepts primitives, functions, classes with readonly primitive statics, and frozen tables", () => {
    const source = [
      "export const MAX = 268_435_455;",
      "const NAME = `mqtt`;",
      "export const Kind = Object.freeze({ A: 1, B: 2 } as const);",
      "const Frozen = Object.freeze({ a: 1, b: Object.freeze([1, 2]) });",
      "const twice = (x: number) => 2 * x;",
      "function f() { let local = 0; return local; }",
      "class B { static readonly SIZE = 4; static make() { return new B(); } #buffer = new Uint8Array(4); }",
      "export type T = { a: number };",
    ].join("\n");
    expect(what(source)).toEqual([]);
  });
});
