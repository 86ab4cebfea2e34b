// Builds the firmware targets with the Moddable SDK's mcconfig into build/moddable (not into the SDK, which
// other checkouts share), and judges the output: a TypeScript error or an xsl/xsc warning about one of our
// own modules fails the build.
//
// targets/lin is built as `make lin` builds it: mcconfig's makefile runs tsc once per module, and each run
// type-checks that module's import graph against the SDK's typings, so mcsim runs what tsc emits. The
// esp32/esp8266 preloads build the JavaScript side only, through a manifest of their own
// (build/moddable/<board>/manifest.json) that includes the target's and names emit-js.mjs as the TypeScript
// command; their modules are then type-checked in one tsc run over the tsconfig mcconfig generated (module
// paths, SDK typings, lib). That finds the same errors as ~80 tsc runs, in seconds instead of 3 CPU minutes.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export const ROOT = join(import.meta.dirname, "../..");
const OUT = join(ROOT, "build/moddable");

export type Board = "lin" | "esp32" | "esp8266";
const PLATFORM: Record<Board, string> = { lin: "lin", esp32: "esp32", esp8266: "esp" };

export interface BuildResult {
  ok: boolean;
  /** What went wrong, one line each (empty when ok). */
  problems: string[];
  /** Everything the tools printed. */
  output: string;
}

export function moddableRoot(): string {
  const moddable = process.env.MODDABLE;
  if (!moddable || !existsSync(moddable)) throw new Error("MODDABLE is not set: run through tools/moddable/lin-check.sh");
  return moddable;
}

/** The build's temporary folder, where mcconfig puts the makefile, the generated tsconfigs and mc.xs.c. */
export function tmpDir(board: Board, debug: boolean): string {
  const platform = board === "lin" ? "lin/mc" : PLATFORM[board]; // the simulator builds as lin's "mc" subplatform
  return join(OUT, "tmp", platform, debug ? "debug" : "release", board);
}

/** The lin build's app, which mcsim loads. */
export function linApp(): string {
  return join(OUT, "bin/lin/mc/debug/lin/mc.so");
}

/** mcconfig in targets/lin, with `flags` and mc/config settings. */
export function mcconfigLin(flags: string[], config: string[]): Promise<BuildResult> {
  mkdirSync(OUT, { recursive: true }); // mcconfig -o wants it to exist
  return run("mcconfig", ["-p", PLATFORM.lin, "-o", OUT, ...flags, ...config], join(ROOT, "targets/lin"), {});
}

/** mcconfig for an ESP target through build/moddable/<board>/manifest.json: generates its makefile only. */
export function mcconfigEsp(board: "esp32" | "esp8266", env: NodeJS.ProcessEnv): Promise<BuildResult> {
  const dir = join(OUT, board);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    include: [join(ROOT, "targets", board, "manifest.json")],
    typescript: { compiler: `node "${join(ROOT, "tools/moddable/emit-js.mjs")}"` },
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, "\t") + "\n");
  return run("mcconfig", ["-p", PLATFORM[board], "-o", OUT], dir, env);
}

/** One tsc run over every TypeScript module of the build, with the tsconfig mcconfig generated for it. */
export async function typeCheck(board: Board, debug: boolean): Promise<BuildResult> {
  const modules = join(tmpDir(board, debug), "modules");
  const files = tsconfigsUnder(modules).flatMap((file) => (JSON.parse(readFileSync(file, "utf8")) as { files: string[] }).files);
  const config = join(tmpDir(board, debug), "lin-check-tsconfig.json");
  writeFileSync(config, JSON.stringify({ extends: join(modules, "tsconfig-base.json"), compilerOptions: { noCheck: false, noEmit: true }, files }, null, "\t"));
  const result = await run(join(ROOT, "node_modules/.bin/tsc"), ["-p", config], ROOT, {});
  if (!result.ok && result.problems.length === 0) result.problems.push(`tsc failed on ${files.length} modules`);
  return result;
}

function tsconfigsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith("-tsconfig.json"))
    .map((name) => join(dir, name));
}

/** Runs `command`, collecting what it prints; problems are its TypeScript errors and warnings about our code. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<BuildResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, MQTT5: ROOT, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => (output += `\n${command}: ${error.message}\n`));
    child.on("close", (code) => {
      const problems = findProblems(output);
      if (code !== 0) problems.push(`${command} ${args.join(" ")} exited with ${code}`);
      resolve({ ok: problems.length === 0, problems, output });
    });
  });
}

/** TypeScript errors, and warnings (xsl "### warning: <module>: ...", xsc "<path>: warning: ...") about our modules. */
function findProblems(output: string): string[] {
  const ours = /^### warning: (mqtt5\/|mqtt5-target\/|main:)/;
  return output.split("\n").filter((line) =>
    /error TS\d+/.test(line) || ours.test(line) || (/warning/i.test(line) && line.includes(ROOT)),
  ).map((line) => line.replace(ROOT + "/", ""));
}

/** Removes a generated file so its rule runs again (xsl must run every time for its warnings to be seen). */
export function remove(path: string): void {
  rmSync(path, { force: true });
}

export function shortPath(path: string): string {
  return relative(ROOT, path);
}
