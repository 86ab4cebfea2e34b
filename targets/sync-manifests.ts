// Regenerates the module lists of the Moddable manifests from the files under src/:
//   manifest.json              the library: codec, engine, client, Moddable platform ("mqtt5/...")
//   targets/manifest_app.json  the device app (src/app, "mqtt5/app/...")
// mcconfig preloads TypeScript modules only when each is named in "preload" (its wildcards match
// JavaScript modules only), so every module is listed one by one. Run after adding or removing a file:
//   npx tsx targets/sync-manifests.ts
// host-tests/firmware/manifest.test.ts fails when the lists are out of date.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { APP_FOLDERS, LIBRARY_FOLDERS, moduleSpecifiers } from "./module-list";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function sync(manifestPath: string, folders: string[]): void {
  const path = join(root, manifestPath);
  const manifest = JSON.parse(readFileSync(path, "utf8"));
  const specifiers = moduleSpecifiers(root, folders);
  manifest.modules = Object.fromEntries(specifiers.map((s) => [s.specifier, `$(MQTT5)/${s.source}`]));
  manifest.preload = specifiers.map((s) => s.specifier);
  writeFileSync(path, JSON.stringify(manifest, null, "\t") + "\n");
  console.log(`${manifestPath}: ${specifiers.length} modules`);
}

sync("manifest.json", LIBRARY_FOLDERS);
sync("targets/manifest_app.json", APP_FOLDERS);
