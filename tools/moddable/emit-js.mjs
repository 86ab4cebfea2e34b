#!/usr/bin/env node
// The TypeScript command of the esp32/esp8266 preload builds in `make lin-check` (their manifest in
// build/moddable/<board> names it; see esp-preload.ts). mcconfig's makefile calls it as tsc, once per module:
//   emit-js.mjs -p <modules>/<name>-tsconfig.json
// and expects the module's JavaScript and source map under the config's outDir, at its path from rootDir.
//
// It only strips the types, with esbuild: the project's sources are written for that (isolatedModules and
// verbatimModuleSyntax in tsconfig.json), so the JavaScript is that of tsc. tsc would load itself and
// re-check the module's whole import graph on each of ~80 calls (3 CPU minutes a target); lin-check instead
// type-checks all modules in one tsc run over mcconfig's generated tsconfig. Plain JavaScript, so that Node
// runs it without a loader.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { transformSync } from "esbuild";

const [flag, configPath] = process.argv.slice(2);
if (flag !== "-p" || !configPath) {
  console.error("usage: emit-js.mjs -p <module>-tsconfig.json");
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, "utf8"));
const { rootDir, outDir } = config.compilerOptions;
for (const source of config.files) {
  const out = join(outDir, relative(rootDir, source)).replace(/\.ts$/, ".js");
  try {
    const result = transformSync(readFileSync(source, "utf8"), {
      loader: "ts",
      format: "esm",
      target: "esnext",
      sourcemap: "external",
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
    });
    // A module of types only is empty once they are gone; tsc writes `export {};` there, so that the file
    // is still a module, and its map names the source (xsc crashes on a map without sources).
    const code = /^\s*(import|export)\b/m.test(result.code) ? result.code : `${result.code}export {};\n`;
    const map = { ...JSON.parse(result.map), sources: [relative(dirname(out), source)], sourcesContent: undefined };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${code}//# sourceMappingURL=${basename(out)}.map\n`);
    writeFileSync(`${out}.map`, JSON.stringify(map));
  } catch (error) {
    console.error(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
