// Node side of the XS tier: builds the host, bundles an entry with esbuild and runs it on XS.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { CASE_LINE, MEASURE_LINE, NOTE_LINE, VERDICT_LINE } from "./xs-case";
import type { Cost } from "../../../tools/xs/measure";
import { ROOT, wrapWithGlobals, XS_HOST } from "../../../tools/xs/run";

export { bundleForXs, ensureXsHost, ROOT, XS_HOST } from "../../../tools/xs/run";

/**
 * Bundles the test files of a Node tier (e.g. host-tests/engine/*.test.ts) to run on XS unchanged: "vitest"
 * becomes support/vitest-on-xs.ts and every registered test runs as one case.
 */
export async function bundleTierForXs(name: string, testFiles: string[]): Promise<string> {
  const outdir = join(ROOT, "build/xs/bundles");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `tier-${name}.mjs`);
  const here = join(ROOT, "host-tests/xs/support");
  const contents = [
    `import ${JSON.stringify(join(here, "xs-prelude.ts"))};`,
    ...testFiles.map((f) => `import ${JSON.stringify(join(ROOT, f))};`),
    `import { runRegisteredOnXs } from ${JSON.stringify(join(here, "vitest-on-xs.ts"))};`,
    "void runRegisteredOnXs();",
  ].join("\n");
  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `tier-${name}.ts`, loader: "ts" },
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "neutral",
    alias: { vitest: join(here, "vitest-on-xs.ts") },
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

export interface XsRunOptions {
  deviceHeap?: boolean;
  /** Kills the run after this many ms (a hung run is a failure). */
  timeoutMs?: number;
  /** Called with the child when it starts: the channel is child.stdio[3] (to XS) and [4] (from XS). */
  onSpawn?: (child: ChildProcess) => void;
  withChannel?: boolean;
  /** Globals set before the bundle is evaluated (through a small wrapper module), e.g. a broker port. */
  globals?: Record<string, string | number | boolean>;
  /** Environment variables for the host besides Node's own (e.g. XS_HOST_FLASH_CUT). */
  env?: Record<string, string>;
}

export interface XsRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runOnXs(bundle: string, options: XsRunOptions = {}): Promise<XsRun> {
  const module = options.globals ? wrapWithGlobals(bundle, options.globals) : bundle;
  const args = options.deviceHeap ? ["--device-heap", module] : [module];
  const stdio: ("ignore" | "pipe")[] = ["ignore", "pipe", "pipe"];
  if (options.withChannel) stdio.push("pipe", "pipe");
  const child = spawn(XS_HOST, args, { stdio, env: { ...process.env, ...options.env } });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => { stdout += s; });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => { stderr += s; });
  options.onSpawn?.(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
  });
}


export interface CaseResult { name: string; ok: boolean; error?: string; stack?: string }
export interface Measured extends Cost { key: string }

export interface SuiteResult {
  run: XsRun;
  cases: Map<string, CaseResult>;
  measures: Map<string, Measured>;
  notes: Map<string, number>;
  verdict?: { passed: number; failed: number; total: number };
}

export function parseSuite(run: XsRun): SuiteResult {
  const cases = new Map<string, CaseResult>();
  const measures = new Map<string, Measured>();
  const notes = new Map<string, number>();
  let verdict: SuiteResult["verdict"];
  for (const line of run.stdout.split("\n")) {
    if (line.startsWith(CASE_LINE)) {
      const c = JSON.parse(line.slice(CASE_LINE.length)) as CaseResult;
      cases.set(c.name, c);
    } else if (line.startsWith(MEASURE_LINE)) {
      const m = JSON.parse(line.slice(MEASURE_LINE.length)) as Measured;
      measures.set(m.key, m);
    } else if (line.startsWith(NOTE_LINE)) {
      const n = JSON.parse(line.slice(NOTE_LINE.length)) as { key: string; value: number };
      notes.set(n.key, n.value);
    } else if (line.startsWith(VERDICT_LINE)) {
      verdict = JSON.parse(line.slice(VERDICT_LINE.length)) as SuiteResult["verdict"];
    }
  }
  return { run, cases, measures, notes, verdict };
}

/** Throws unless the run exited 0 and printed a verdict with every case passed. */
export function assertSuitePassed(suite: SuiteResult, expectedCases: number): void {
  const { run, verdict } = suite;
  const failures = [...suite.cases.values()].filter((c) => !c.ok)
    .map((c) => `  ${c.name}: ${c.error}\n${c.stack ?? ""}`).join("\n");
  const summary = `exit ${run.status} ${run.signal ?? ""}\n${failures}\nstderr:\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`XS run failed: ${summary}`);
  if (!verdict) throw new Error(`XS run printed no verdict: ${summary}`);
  if (verdict.failed !== 0 || verdict.passed !== expectedCases || verdict.total !== expectedCases) {
    throw new Error(`XS verdict ${JSON.stringify(verdict)}, expected ${expectedCases} passed: ${summary}`);
  }
}
