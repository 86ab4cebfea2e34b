// The npm package as a user gets it: `npm pack`, install the tarball into a fresh project, then use it from
// plain Node (the current version and the lowest that package.json "engines" claims), through its
// `mqtt5-xs` binary, and from TypeScript with nodenext and bundler module resolution. Against a real mosquitto.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackage } from "../../tools/package/build";
import { ROOT } from "../../tools/xs/run";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";

const run = promisify(execFile);
const CONSUMER = join(import.meta.dirname, "consumer");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

let project: string;
let packed: PackResult;
let broker: Mosquitto;
let lowestNode: string;

/** The lowest Node release package.json claims, e.g. ">=20.19" -> "20.19.0". */
function lowestClaimedNode(): string {
  const range = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const [major, minor = "0", patch = "0"] = /^>=\s*([\d.]+)$/.exec(range)![1]!.split(".");
  return `${major}.${minor}.${patch}`;
}

/** That Node, from the npm registry's node-linux-<arch> package, kept under build/ for later runs. */
async function installNode(version: string): Promise<string> {
  const prefix = join(ROOT, "build", `node-${version}`);
  const binary = join(prefix, "node_modules", `node-linux-${process.arch}`, "bin", "node");
  if (!existsSync(binary)) {
    await run("npm", ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "--prefer-offline", `node-linux-${process.arch}@${version}`]);
  }
  return binary;
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "mqtt5-xs-package-"));
  const [, node, mosquitto] = await Promise.all([buildPackage(), installNode(lowestClaimedNode()), startMosquitto()]);
  lowestNode = node;
  broker = mosquitto;
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", project], { cwd: ROOT });
  packed = (JSON.parse(stdout) as PackResult[])[0]!;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  cpSync(CONSUMER, project, { recursive: true });
  // The tarball, and its dependencies from the npm cache (or the registry when the cache lacks them).
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(project, packed.filename)], { cwd: project });
}, 180_000);

afterAll(async () => {
  await broker?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds only the built package, manifest.json and the library's TypeScript sources: no tests, tools or benches", () => {
    const allowed = /^(dist\/.+\.(js|d\.ts)|src\/(codec|engine|client|platform\/moddable)\/[\w.-]+\.ts|manifest\.json|package\.json|README\.md|LICENSE)$/;
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli.js", "dist/codec.js", "dist/engine.js", "dist/moddable.d.ts", "manifest.json", "LICENSE"]) {
      expect(paths).toContain(needed);
    }
    // Every TypeScript module manifest.json names for mcconfig is in the tarball.
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/mqtt5-xs/manifest.json"), "utf8")) as { modules: Record<string, string> };
    const sources = Object.values(manifest.modules).map((m) => `${m.replace("$(MQTT5)/", "")}.ts`);
    expect(sources.filter((s) => !paths.includes(s))).toEqual([]);
    console.log(`package: ${packed.filename}, ${(packed.size / 1024).toFixed(1)} KiB packed, ${packed.entryCount} files`);
  });

  it("its \"moddable\" condition (for mcpack) resolves to JavaScript whose imports are files of the package or the SDK's modules", () => {
    const pkg = join(project, "node_modules/mqtt5-xs");
    const exportsMap = (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { exports: Record<string, { moddable?: string }> }).exports;
    const entries = Object.values(exportsMap).flatMap((e) => (typeof e === "object" && e.moddable ? [e.moddable] : []));
    expect(entries).toHaveLength(4);
    const seen = new Set<string>();
    const problems: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!existsSync(file)) return void problems.push(`missing ${file}`);
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*"([^"]+)"/g)) {
        if (specifier!.startsWith(".")) {
          if (!specifier!.endsWith(".js")) problems.push(`${file} imports ${specifier} without .js`);
          visit(join(dirname(file), specifier!));
        } else if (!/^(time|timer|socket|securesocket|Resource|mc\/config|embedded:.+)$/.test(specifier!)) {
          problems.push(`${file} imports ${specifier}`);
        }
      }
    };
    for (const entry of entries) visit(join(pkg, entry));
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(60);
  });

  it.each([["current", process.execPath], ["lowest claimed", "lowest"]])("plain Node (%s) imports the root and the subpaths and round-trips a QoS 1 message through mosquitto", async (_which, binary) => {
    const node = binary === "lowest" ? lowestNode : binary;
    const { stdout } = await run(node, ["round-trip.mjs", broker.url], { cwd: project });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toEqual({
      node: binary === "lowest" ? `v${lowestClaimedNode()}` : process.version,
      message: { topic: "package/test", text: "hello from the tarball" },
      reasonCode: 0,
      sameErrorClass: true,
      codec: true,
      engine: "function",
    });
  });

  it("its mqtt5-xs binary publishes (pub) and subscribes (sub) through mosquitto, also on the lowest claimed Node", async () => {
    const bin = join(project, "node_modules/.bin/mqtt5-xs");
    const at = ["-h", "127.0.0.1", "-p", String(broker.port)];
    await run(bin, ["pub", ...at, "-t", "package/cli", "-m", "from the binary", "-r", "-q", "1"]);
    const sub = await run(bin, ["sub", ...at, "-t", "package/cli", "-C", "1", "-j"]);
    expect(JSON.parse(sub.stdout)).toMatchObject({ topic: "package/cli", payload: "from the binary", retain: true });
    const cli = join(project, "node_modules/mqtt5-xs/dist/cli.js");
    await run(lowestNode, [cli, "pub", ...at, "-t", "package/cli", "-m", "lowest node", "-r", "-q", "1"]);
    const lowest = await run(lowestNode, [cli, "sub", ...at, "-t", "package/cli", "-C", "1"]);
    expect(lowest.stdout).toBe("lowest node\n");
    const version = await run(bin, ["--version"]);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  });

  it.each([
    ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ])("a TypeScript consumer type-checks with moduleResolution %s (strict, skipLibCheck off, no @types/node)", async (name, resolution) => {
    const config = join(project, `tsconfig.${name}.json`);
    writeFileSync(config, JSON.stringify({
      compilerOptions: { ...resolution, target: "es2022", lib: ["es2022"], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ["consumer.ts"],
    }));
    const result = await run(process.execPath, [TSC, "-p", config], { cwd: project }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    expect(result.stdout).toBe("");
  });
});
