// The Moddable module specifier of every TypeScript module in the given src/ folders: the file
// src/<folder>/<name>.ts becomes "mqtt5/<folder>/<name>". Declaration files (.d.ts) are host-only.
// Specifiers mirror the folder tree so the modules' relative imports resolve the same way under XS.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface ModuleEntry {
  specifier: string;
  /** Path relative to the repository root, without extension. */
  source: string;
}

export const MODULE_PREFIX = "mqtt5";
/** The library (manifest.json) and the device app (targets/manifest_app.json), as folders of src/. */
export const LIBRARY_FOLDERS = ["codec", "engine", "client", "platform/moddable"];
export const APP_FOLDERS = ["app"];

export function moduleSpecifiers(root: string, folders: string[]): ModuleEntry[] {
  const entries: ModuleEntry[] = [];
  for (const folder of folders) collect(join(root, "src"), folder, entries);
  return entries;
}

function collect(src: string, folder: string, entries: ModuleEntry[]): void {
  for (const file of readdirSync(join(src, folder)).sort()) {
    if (statSync(join(src, folder, file)).isDirectory()) {
      collect(src, `${folder}/${file}`, entries);
    } else if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
      const name = `${folder}/${file.slice(0, -3)}`;
      entries.push({ specifier: `${MODULE_PREFIX}/${name}`, source: `src/${name}` });
    }
  }
}
