// XS benchmark: what the library costs on the engine that runs on the device. Prints computrons and
// allocations per operation (measured by tools/xs/xs-host, deterministic for a given build), the heap a
// connected engine keeps, and the size of the minified library bundles. Run with `npm run bench:xs`.
//
// The reference rows run the same codec the way a client that allocates per packet does (a fresh buffer
// per PUBLISH, a copied payload per message); the ratio shows what allocation-free paths save.
import { gzipSync } from "node:zlib";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleForXs, ensureXsHost, parseSuite, ROOT, runOnXs, type Measured, type SuiteResult } from "../host-tests/xs/support/run-xs";

async function run(entry: string, deviceHeap = false): Promise<SuiteResult> {
  const suite = parseSuite(await runOnXs(await bundleForXs(entry), { deviceHeap, timeoutMs: 120_000 }));
  if (suite.run.status !== 0 || !suite.verdict || suite.verdict.failed > 0) {
    const failed = [...suite.cases.values()].filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
    throw new Error(`${entry} failed on XS (exit ${suite.run.status})\n${failed.join("\n")}\n${suite.run.stderr}`);
  }
  return suite;
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join("  ");
}

function printCosts(title: string, measures: Measured[], reference?: Map<string, Measured>): void {
  const widths = [36, 12, 10, 12, 18];
  console.log(`\n${title}`);
  console.log(row(["operation", "computrons", "slots/op", "chunk B/op", "vs reference"], widths));
  for (const m of measures) {
    const ref = reference?.get(m.key.replace(/^codec\./, "reference."));
    const ratio = ref ? `${(ref.computrons / m.computrons).toFixed(2)}x fewer` : "";
    console.log(row([m.key, m.computrons, (m.slots / m.operations).toFixed(2), (m.chunkBytes / m.operations).toFixed(1), ratio], widths));
    if (ref) {
      console.log(row([`  reference (allocating)`, ref.computrons, (ref.slots / ref.operations).toFixed(2), (ref.chunkBytes / ref.operations).toFixed(1), ""], widths));
    }
  }
}

async function bundleSize(entry: string): Promise<{ raw: number; gzip: number } | undefined> {
  if (!existsSync(join(ROOT, entry))) return undefined;
  const result = await build({
    entryPoints: [join(ROOT, entry)], bundle: true, format: "esm", target: "es2022", platform: "neutral",
    minify: true, write: false, logLevel: "silent",
  });
  const bytes = result.outputFiles[0]!.contents;
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

ensureXsHost();
const version = readFileSync(join(ROOT, "node_modules/@agoric/xsnap/package.json"), "utf8").match(/"version":\s*"([^"]+)"/)?.[1];
console.log(`XS engine from @agoric/xsnap ${version}, host build/xs/xs-host; 1 slot = 16 bytes on ESP32/ESP8266 (32 on this host)`);

const reference = await run("host-tests/xs/entries/bench-reference.ts");
const codec = await run("host-tests/xs/entries/codec-budgets.ts");
printCosts("codec (steady state, after warm-up)", [...codec.measures.values()], reference.measures);

const engine = await run("host-tests/xs/entries/engine-budgets.ts");
printCosts("engine (steady state, after warm-up; scripted server inside XS)", [...engine.measures.values()]);

const device = await run("host-tests/xs/entries/engine-device.ts", true);
console.log("\nheap of a connected engine (512-byte buffers, one subscription), after a collection");
for (const [key, value] of device.notes) console.log(`  ${key.padEnd(40)} ${value}`);

console.log("\nlibrary bundles (esbuild, minified, es2022)");
for (const entry of ["src/codec/index.ts", "src/engine/index.ts", "src/client/index.ts"]) {
  const size = await bundleSize(entry);
  console.log(`  ${entry.padEnd(24)} ${size ? `${size.raw} bytes, ${size.gzip} gzipped` : "not present"}`);
}
