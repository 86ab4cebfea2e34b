// `npm run build` (make package): the npm package's dist/ from src/.
//
// Our sources import each other extensionless (mcconfig needs that), which Node's ESM loader and
// `moduleResolution: nodenext` both refuse, so dist/ is bundled rather than compiled file by file:
//   - JavaScript for Node: esbuild, one ES module per entry point (see ENTRIES); code shared by entries goes
//     into dist/chunks/, so a class is one class whichever entry it is imported from (`instanceof` holds).
//   - Types: rollup with rollup-plugin-dts, one .d.ts per entry point, shared declarations in dist/chunks/.
//   - JavaScript for Moddable apps built with mcpack (export condition "moddable"): dist/moddable/ holds each
//     library module compiled alone (esbuild transform) with ".js" added to its relative imports, mirroring
//     src/. Not bundled: a bundler turns module-level const into var, which Moddable's preload cannot freeze
//     into flash ("no const"). mcpack accepts JavaScript modules only; mcconfig apps that include
//     manifest.json compile the TypeScript in src/ instead.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build, transform } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";
import { ROOT } from "../xs/run";

const DIST = join(ROOT, "dist");

/** Entry points of dist/ (name -> source); package.json "exports" lists the same names. */
export const ENTRIES = {
  index: "src/platform/host/public-api.ts",
  codec: "src/codec/index.ts",
  engine: "src/engine/index.ts",
  cli: "src/platform/host/cli/main.ts",
} as const;

/** Entry points with types: the JavaScript ones but the CLI, and the Moddable platform (types only). */
const TYPED_ENTRIES = {
  index: ENTRIES.index,
  codec: ENTRIES.codec,
  engine: ENTRIES.engine,
  moddable: "src/platform/moddable/index.ts",
};

/** The library's folders of src/ (manifest.json's), compiled for mcpack into dist/moddable/. */
const MODDABLE_FOLDERS = ["codec", "engine", "client", "platform/moddable"];

/** dist/moddable/index.js, the device's package root for mcpack: the client, its errors, the Moddable platform. */
const MODDABLE_ROOT = `// The package root for Moddable apps built with mcpack (export condition "moddable").
export * from "./client/index.js";
export * from "./platform/moddable/index.js";
export { MqttError, MqttArgumentError } from "./codec/errors.js";
export { MqttLimitError } from "./engine/errors.js";
`;

async function buildJavaScript(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Dependencies (commander, for the CLI) stay imports: npm installs them.
    packages: "external",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  chmodSync(join(DIST, "cli.js"), 0o755);
}

async function buildTypes(): Promise<void> {
  const bundle = await rollup({
    input: Object.fromEntries(Object.entries(TYPED_ENTRIES).map(([name, source]) => [name, join(ROOT, source)])),
    plugins: [dts({ tsconfig: join(ROOT, "tsconfig.json") })],
    // Node's own modules, imported by the Node transport: what its declarations name stays an import.
    external: [/^node:/],
    onwarn(warning, warn) {
      // Fail on anything unexpected: a warning here is a broken declaration file for users.
      warn(warning);
      throw new Error(`rollup-plugin-dts: ${warning.message}`);
    },
  });
  await bundle.write({ dir: DIST, format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "chunks/[name]-[hash].d.ts" });
  await bundle.close();
}

/** Adds ".js" to relative module specifiers: mcpack resolves them as files. */
function withJsExtensions(code: string): string {
  return code.replace(/(from\s+|import\s*\(\s*|import\s+)"(\.\.?\/[^"]+)"/g, (_m, lead: string, path: string) => `${lead}"${path}.js"`);
}

async function buildModdableJavaScript(): Promise<void> {
  for (const folder of MODDABLE_FOLDERS) {
    for (const name of readdirSync(join(ROOT, "src", folder))) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const source = readFileSync(join(ROOT, "src", folder, name), "utf8");
      const { code } = await transform(source, { loader: "ts", format: "esm", target: "es2022", sourcefile: `src/${folder}/${name}` });
      const out = join(DIST, "moddable", folder, name.replace(/\.ts$/, ".js"));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, withJsExtensions(code));
    }
  }
  writeFileSync(join(DIST, "moddable", "index.js"), MODDABLE_ROOT);
}

export async function buildPackage(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  await buildJavaScript();
  await buildModdableJavaScript();
  await buildTypes();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildPackage();
  console.log(`package: built ${DIST}`);
}
