// Every TypeScript file under a folder, recursively (declaration files included: they hold no values,
// so the preload check passes them, but they must parse).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function typeScriptFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...typeScriptFiles(path));
    else if (name.endsWith(".ts")) files.push(path);
  }
  return files;
}

export const REPOSITORY = join(import.meta.dirname, "..", "..");
