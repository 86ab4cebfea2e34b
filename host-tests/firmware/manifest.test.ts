// The Moddable manifests stay in step with src/: every module the library or the app needs is listed and
// preloaded under "mqtt5/...", and the target manifests parse and point at files that exist.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { APP_FOLDERS, LIBRARY_FOLDERS, MODULE_PREFIX, moduleSpecifiers } from "../../targets/module-list";
import { REPOSITORY } from "./source-files";
import { engineConfig, readSettings } from "../../targets/settings";
import { ESP8266_ENGINE_CONFIG } from "../xs/engine-device-cases";

interface Manifest {
  build?: Record<string, string>;
  include?: string | string[];
  modules?: Record<string, string | string[]>;
  preload?: string | string[];
  data?: Record<string, string | string[]>;
  config?: Record<string, unknown>;
  creation?: { stack?: number };
  platforms?: Record<string, Manifest & { error?: string }>;
}

const readManifest = (path: string): Manifest => JSON.parse(readFileSync(join(REPOSITORY, path), "utf8"));
const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

// Modules the SDK provides (or the app's manifests map); everything else must be ours and listed.
const SDK_MODULE = /^(timer|time|socket|securesocket|Resource|mc\/config|embedded:.*)$/;

function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

/** Imports that survive compilation (type-only ones are erased and need no module at run time). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement) =>
    ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly && ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

/** What the given modules import that neither `available` nor the SDK provides. */
function missingImports(modules: string[], available: Set<string>): string[] {
  const missing: string[] = [];
  for (const specifier of modules) {
    const file = join(REPOSITORY, "src", `${specifier.slice(MODULE_PREFIX.length + 1)}.ts`);
    for (const target of importsOf(file)) {
      if (!target.startsWith(".")) {
        if (!SDK_MODULE.test(target)) missing.push(`${specifier} imports ${target}`);
        continue;
      }
      const resolved = relative(join(REPOSITORY, "src"), resolve(dirname(file), target));
      if (!available.has(`${MODULE_PREFIX}/${resolved}`)) missing.push(`${specifier} imports ${target}`);
    }
  }
  return missing;
}

describe.each([
  { manifest: "manifest.json", folders: LIBRARY_FOLDERS, root: "" },
  { manifest: "targets/manifest_app.json", folders: APP_FOLDERS, root: "targets" },
])("$manifest", ({ manifest, folders, root }) => {
  const parsed = readManifest(manifest);
  const expected = moduleSpecifiers(REPOSITORY, folders);

  it("lists and preloads every module of its src/ folders (npx tsx targets/sync-manifests.ts updates it)", () => {
    expect(parsed.modules).toEqual(Object.fromEntries(expected.map((e) => [e.specifier, `$(MQTT5)/${e.source}`])));
    expect(parsed.preload).toEqual(expected.map((e) => e.specifier));
  });

  it("defines $(MQTT5) as the repository root", () => {
    expect(resolve(REPOSITORY, root, parsed.build!.MQTT5)).toBe(REPOSITORY);
  });

  it("needs nothing outside its own modules, the library and the Moddable SDK", () => {
    const library = moduleSpecifiers(REPOSITORY, LIBRARY_FOLDERS).map((e) => e.specifier);
    const own = expected.map((e) => e.specifier);
    expect(missingImports(own, new Set([...own, ...library]))).toEqual([]);
  });
});

const TARGET_MANIFESTS = ["targets/manifest_device.json", "targets/esp32/manifest.json", "targets/esp8266/manifest.json", "targets/lin/manifest.json"];

/** Local files a manifest refers to ("./x", "../x"), with the extensions mcconfig would try. */
function localReferences(manifest: Manifest): string[] {
  const blocks = [manifest, ...Object.values(manifest.platforms ?? {})];
  return blocks.flatMap((block) => [
    ...list(block.include),
    ...Object.values(block.modules ?? {}).flatMap(list),
    ...Object.values(block.data ?? {}).flatMap(list),
  ]).filter((path) => path.startsWith("."));
}

const EXTENSIONS = ["", ".ts", ".js", ".json", ".der"];

describe.each(TARGET_MANIFESTS)("%s", (path) => {
  const manifest = readManifest(path);

  it("parses and refers only to files that exist", () => {
    const missing = localReferences(manifest)
      // "folder/*" maps every file of a folder: the folder must exist.
      .map((reference) => resolve(REPOSITORY, dirname(path), reference.replace(/\/\*$/, "")))
      .filter((file) => !EXTENSIONS.some((extension) => existsSync(file + extension)));
    expect(missing).toEqual([]);
  });
});

describe("board targets", () => {
  it.each(["esp32", "esp8266", "lin"])("%s includes the device manifest and picks a sensor module", (board) => {
    const manifest = readManifest(`targets/${board}/manifest.json`);
    expect(list(manifest.include)).toContain("../manifest_device.json");
    expect(manifest.modules?.["mqtt5-target/sensor"]).toBeDefined();
  });

  it.each(["esp32", "esp8266", "lin"])("%s maps every target module that another one imports at run time", (board) => {
    // Paths are relative to the manifest that maps them: targets/ or targets/<board>/.
    const located = (folder: string, manifest: Manifest) =>
      Object.entries(manifest.modules ?? {}).map(([specifier, path]) => [specifier, resolve(REPOSITORY, folder, `${path}.ts`)]);
    const entries = [
      ...located("targets", readManifest("targets/manifest_device.json")),
      ...located(`targets/${board}`, readManifest(`targets/${board}/manifest.json`)),
    ];
    const mapped = Object.fromEntries(entries);
    // A native module (a .js with its .c, e.g. deep-sleep-esp32) has no TypeScript imports to follow.
    const files = entries.filter(([specifier, file]) => specifier.startsWith("mqtt5-target/") && existsSync(file!));
    const missing = files.flatMap(([specifier, file]) => {
      return valueImports(file)
        .filter((target) => target.startsWith("./"))
        .map((target) => `mqtt5-target/${target.slice(2)}`)
        .filter((needed) => !(needed in mapped))
        .map((needed) => `${specifier} needs ${needed}`);
    });
    expect(missing).toEqual([]);
  });

  it("gives the ESP8266 512-byte buffers", () => {
    expect(readManifest("targets/esp8266/manifest.json").platforms?.esp?.config?.bufferSize).toBe(512);
  });

  it("builds the ESP8266 engine with exactly the sizes the XS tier proves fit a 32 KB heap", () => {
    const config = readManifest("targets/esp8266/manifest.json").platforms?.esp?.config ?? {};
    expect(engineConfig(readSettings(config))).toEqual(ESP8266_ENGINE_CONFIG);
  });

  // Moddable's engine (SDK 8.2.3, mcsim) overflowed the default stacks with the app: it needs 257-320 slots
  // in a release build. The XS tier's 32 KB heap model charges the esp8266 stack, so the two must agree.
  it("gives the ESP8266 the 384-slot stack the XS tier's 32 KB heap model charges, and the ESP32 and mcsim 512", () => {
    const model = /#define ESP8266_STACK_SLOTS (\d+)/.exec(readFileSync(join(REPOSITORY, "tools/xs/host.c"), "utf8"));
    expect(readManifest("targets/esp8266/manifest.json").creation?.stack).toBe(Number(model?.[1]));
    expect(readManifest("targets/esp8266/manifest.json").creation?.stack).toBeGreaterThanOrEqual(384);
    expect(readManifest("targets/esp32/manifest.json").creation?.stack).toBe(512);
    expect(readManifest("targets/lin/manifest.json").creation?.stack).toBe(512);
  });

  it("builds the ESP32 engine with the engine's default sizes, as measured on XS", () => {
    const config = readManifest("targets/esp32/manifest.json").platforms?.esp32?.config ?? {};
    expect(engineConfig(readSettings(config))).toEqual({
      transmitBufferSize: 1024, receiveBufferSize: 1024, maxInflight: 16, queueLimit: 32, queueByteLimit: 4096, outboundTopicAliases: 8,
    });
  });
});
