// XS benchmark: what the library costs on the engine that runs on the device. Prints computrons and
// allocations per operation (measured by tools/xs/xs-host, deterministic for a given build), the heap a
// connected engine, a connected client and the device app need with the ESP8266 sizes and with the default
// sizes (the client and the app talk to a private mosquitto through the bridge), and the size of the
// minified library bundles. Run with `npm run bench:xs`.
//
// The reference rows run the same codec the way a client that allocates per packet does (a fresh buffer
// per PUBLISH, a copied payload per message); the ratio shows what allocation-free paths save.
import { gzipSync } from "node:zlib";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleForXs, ensureXsHost, parseSuite, ROOT, runOnXs, type Measured, type SuiteResult, type XsRunOptions } from "../host-tests/xs/support/run-xs";
import { startMosquitto } from "../tools/broker/mosquitto";
import { attachBridge } from "../tools/xs/bridge/node-bridge";

async function run(entry: string, deviceHeap = false, options: XsRunOptions = {}): Promise<SuiteResult> {
  const suite = parseSuite(await runOnXs(await bundleForXs(entry), { deviceHeap, timeoutMs: 120_000, ...options }));
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

/** Device bytes (16-byte slots + chunk bytes) with the slots + chunk bytes they are made of. */
function bytesOf(notes: Map<string, number>, prefix: string, slots: string, chunks: string): string {
  const s = notes.get(`${prefix}.${slots}`);
  const c = notes.get(`${prefix}.${chunks}`);
  if (s === undefined || c === undefined) return "not measured";
  return `${16 * s + c} (${s} + ${c} B)`;
}

function heapRow(what: string, esp8266: string, defaults: string): void {
  console.log(row([what, esp8266, defaults], [42, 26, 26]));
}

const device = await run("host-tests/xs/entries/engine-device.ts", true);
const broker = await startMosquitto();
const bridged = (deviceHeap: boolean): XsRunOptions => ({
  deviceHeap, withChannel: true, globals: { brokerPort: broker.port }, onSpawn: (child) => { attachBridge(child); },
});
let heaps: Map<string, number>;
try {
  heaps = new Map(device.notes);
  for (const entry of ["client-bridge-device", "client-bridge-default", "app-bridge", "app-bridge-default"]) {
    for (const [key, value] of (await run(`host-tests/xs/entries/${entry}.ts`, true, bridged(true))).notes) heaps.set(key, value);
  }
} finally {
  await broker.close();
}
const n = (key: string): string => String(heaps.get(key) ?? "not measured");
console.log("\nheap on XS in device bytes (slots at 16 bytes + chunk bytes), ESP8266 accounting (tools/xs/README.md)");
console.log("  ESP8266 sizes: 512-byte buffers, 4 in flight, 2 / 256 B queued, 2 topic aliases, 384-slot stack (32 KB heap)");
console.log("  default sizes: 1024-byte buffers, 16 in flight, 32 / 4096 B queued, 8 topic aliases (ESP32 firmware)");
heapRow("", "ESP8266 sizes", "default sizes");
heapRow("connected engine, live (slots + chunks)", bytesOf(heaps, "engine.connected", "slots", "chunk-bytes"),
  bytesOf(heaps, "engine.default.connected", "slots", "chunk-bytes"));
heapRow("connected client: heap grown to", n("client.device-heap.connected"), n("client.default.device-heap.connected"));
heapRow("  kept by the client (slots + chunks)", bytesOf(heaps, "client.device-heap.connected", "retained-slots", "retained-chunk-bytes"),
  bytesOf(heaps, "client.default.device-heap.connected", "retained-slots", "retained-chunk-bytes"));
heapRow("device app, 5 readings: heap grown to", n("app.device-heap.at-end"), n("app.default.device-heap.at-end"));
heapRow("  kept by the app (slots + chunks)", bytesOf(heaps, "app.device-heap.at-end", "retained-slots", "retained-chunk-bytes"),
  bytesOf(heaps, "app.default.device-heap.at-end", "retained-slots", "retained-chunk-bytes"));
console.log("  'heap grown to' counts growth from the start of the case plus the 371-slot stack (what the 32 KB");
console.log("  limit holds; what was live at the start counts as flash, its room never reused); 'kept' is live");
console.log("  after a collection minus the same once closed (see host-tests/xs/heap-notes.ts).");
console.log(`  engine, 512-byte sizes, after 1500 publishes at every QoS: heap grown to ${n("engine.device-heap.after-1500-publishes")}`);

console.log("\nlibrary bundles (esbuild, minified, es2022)");
for (const entry of ["src/codec/index.ts", "src/engine/index.ts", "src/client/index.ts"]) {
  const size = await bundleSize(entry);
  console.log(`  ${entry.padEnd(24)} ${size ? `${size.raw} bytes, ${size.gzip} gzipped` : "not present"}`);
}
