// `npm run build` (and `npm pack`, through "prepack"): the npm package's dist/ from src/.
//
// Our sources import each other extensionless (mcconfig needs that), which Node's ESM loader and
// `moduleResolution: nodenext` both refuse, so dist/ is bundled rather than compiled file by file:
//   - JavaScript: esbuild, one ES module per entry point (see ENTRIES); code shared by entries goes into
//     dist/chunks/, so a class is one class whichever entry it is imported from (`instanceof` holds).
//   - Types: rollup with rollup-plugin-dts, one .d.ts per entry point, shared declarations in dist/chunks/.
//   - For Moddable apps built with mcpack (export condition "moddable"): dist/moddable/*.js re-export the
//     library's TypeScript modules by their manifest specifiers ("moddable:mqtt5/..."), which manifest.json
//     maps to src/ for mcconfig to compile and preload, so a device never carries a second copy.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
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

/** dist/moddable/<name>.js for the "moddable" export condition: the manifest specifiers each re-exports. */
const MODDABLE_ENTRIES: Record<string, string[]> = {
  // The device's package root: the client, its errors and the Moddable platform.
  index: ["mqtt5/client/index", "mqtt5/platform/moddable/index", "mqtt5/codec/errors", "mqtt5/engine/errors"],
  codec: ["mqtt5/codec/index"],
  engine: ["mqtt5/engine/index"],
  platform: ["mqtt5/platform/moddable/index"],
};

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

function writeModddableShims(): void {
  mkdirSync(join(DIST, "moddable"), { recursive: true });
  for (const [name, specifiers] of Object.entries(MODDABLE_ENTRIES)) {
    const lines = specifiers.map((s) => `export * from "moddable:${s}";`);
    writeFileSync(join(DIST, "moddable", `${name}.js`), `// For mcpack: the TypeScript modules of manifest.json.\n${lines.join("\n")}\n`);
  }
}

export async function buildPackage(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  await buildJavaScript();
  await buildTypes();
  writeModddableShims();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildPackage();
  console.log(`package: built ${DIST}`);
}
