// Node side of running code on our XS host: build the host, bundle a TypeScript entry into one ES module for
// XS, and wrap a bundle so that some globals are set before it runs. Used by the XS test tier, bench:xs and
// the simulator's XS devices (`make sim ENGINE=xs`).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const XS_HOST = join(ROOT, "build/xs/xs-host");

/** Builds build/xs/xs-host if anything changed (about 10 s from clean, nothing when up to date). */
export function ensureXsHost(): void {
  execFileSync("bash", [join(ROOT, "tools/xs/build.sh")], { stdio: ["ignore", "inherit", "inherit"] });
}

/** True when build/xs/xs-host is missing or older than what it is built from (`make -q`). */
export function xsHostOutOfDate(): boolean {
  const q = spawnSync("make", ["-q", "-s", "-f", "tools/xs/xs-host.mk", "build/xs/xs-host"], { cwd: ROOT, stdio: "ignore" });
  return q.status !== 0;
}

/**
 * ensureXsHost() without blocking the event loop, for a program that must answer Ctrl-C meanwhile: the
 * build runs in its own process group, and `signal` (abort) ends that whole group (bash, make, cc), so
 * nothing outlives the caller; make deletes a half-written object file when interrupted.
 */
export function buildXsHost(signal: AbortSignal, command: readonly string[] = ["bash", join(ROOT, "tools/xs/build.sh")]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "inherit", "inherit"], detached: true });
    const abort = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // Already gone.
      }
    };
    signal.addEventListener("abort", abort, { once: true });
    child.once("error", reject);
    child.once("close", (code, killed) => {
      signal.removeEventListener("abort", abort);
      if (signal.aborted) reject(signal.reason);
      else if (code === 0) resolve();
      else reject(new Error(`${command.join(" ")} failed (${code ?? killed}); see its output above`));
    });
  });
}

/** Bundles `entry` (relative to the repository) into one ES module for XS; returns its path. */
export async function bundleForXs(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const outdir = join(ROOT, "build/xs/bundles");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, basename(entry).replace(/\.ts$/, "") + (options.minify ? ".min.mjs" : ".mjs"));
  await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "neutral",
    minify: options.minify ?? false,
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

export type XsGlobals = Record<string, string | number | boolean>;

/** Writes a module next to `bundle` that sets `globals` and then imports the bundle; returns its path. */
export function wrapWithGlobals(bundle: string, globals: XsGlobals): string {
  const wrapper = bundle.replace(/\.mjs$/, `.with-globals-${process.pid}-${wrapperCount++}.mjs`);
  const assignments = Object.entries(globals).map(([k, v]) => `globalThis[${JSON.stringify(k)}] = ${JSON.stringify(v)};`);
  writeFileSync(wrapper, `${assignments.join("\n")}\nawait import(${JSON.stringify("./" + basename(bundle))});\n`);
  return wrapper;
}
let wrapperCount = 0;
