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
import { FOOTPRINT_CONFIGS, FOOTPRINT_OPERATIONS, FOOTPRINT_PAYLOADS, FOOTPRINT_TOPIC, footprintPrefix } from "../host-tests/xs/client-footprint-cases";
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

const footprint = await run("host-tests/xs/entries/client-footprint.ts");

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

// The client through its public API (issue 17): host-tests/xs/client-footprint-cases.ts, an in-XS fake platform.
console.log(`\nclient through the public MqttClient API on XS (fake platform inside XS, no bridge): topic ${FOOTPRINT_TOPIC}`);
console.log("  (36 bytes), keepalive 60 s, one subscription; computrons per operation after warm-up; * = slots allocated per op");
const columns = FOOTPRINT_CONFIGS.map((c) => `${c.version === 4 ? "3.1.1" : "5"} ${c.sizes}`);
const footprintWidths = [34, ...columns.map(() => 20)];
console.log(row(["operation", ...columns], footprintWidths));
/** Computrons of a measured operation, with * and the slots per operation when it allocated. */
function costIn(suite: SuiteResult, key: string): string {
  const m = suite.measures.get(key);
  if (m === undefined) return "not measured";
  return m.slots === 0 && m.chunkBytes === 0 ? String(m.computrons) : `${m.computrons} *${m.slots / m.operations}`;
}
const cost = (key: string): string => costIn(footprint, key);
for (const operation of FOOTPRINT_OPERATIONS) {
  for (const size of FOOTPRINT_PAYLOADS) {
    console.log(row([`${operation}, ${size} B payload`, ...FOOTPRINT_CONFIGS.map((c) => cost(`${footprintPrefix(c)}.p${size}.${operation}`))], footprintWidths));
  }
}
const kept = (prefix: string): string => bytesOf(footprint.notes, prefix, "kept.slots", "kept.chunk-bytes");
console.log(row(["kept while connected, device bytes", ...FOOTPRINT_CONFIGS.map((c) => kept(footprintPrefix(c)).replace(" B)", ")"))], footprintWidths));
console.log("  kept: live after a collection while connected minus the same once the client is closed and dropped,");
console.log("  as 16 x slots + chunk bytes (slots + chunk bytes in brackets).");

// The persistent session store (issue 14): host-tests/xs/flash-store-cases.ts.
const store = await run("host-tests/xs/entries/flash-store.ts");
const storeNote = (sizes: string, key: string): string => String(store.notes.get(`store.flash.${sizes}.${key}`) ?? "not measured");
console.log("\nFlashSessionStore (session on flash) on XS, the firmware's store=true sizes: ESP8266 20 records, ESP32");
console.log("  (default) 32, 8 inbound ids; QoS 1 publish + PUBACK of a 64-byte payload; flash writes cost no computrons");
console.log("  (native on a device); 'memory store instead': the same firmware's client without the store");
heapRow("", "esp8266 sizes", "default sizes");
heapRow("store kept, device bytes", bytesOf(store.notes, "store.flash.esp8266", "kept.slots", "kept.chunk-bytes"), bytesOf(store.notes, "store.flash.default", "kept.slots", "kept.chunk-bytes"));
heapRow("client kept beside it, device bytes", storeNote("esp8266", "client-kept.device-bytes"), storeNote("default", "client-kept.device-bytes"));
heapRow("  over its memory store instead", storeNote("esp8266", "client-kept-memory-store.device-bytes"), storeNote("default", "client-kept-memory-store.device-bytes"));
heapRow("qos1 publish+puback, computrons", costIn(store, "store.flash.esp8266.qos1-publish-puback"), costIn(store, "store.flash.default.qos1-publish-puback"));
heapRow("slots allocated per message (compactions)", storeNote("esp8266", "compaction-slots-per-message"), storeNote("default", "compaction-slots-per-message"));
heapRow("flash bytes written per message", storeNote("esp8266", "flash-bytes-per-message"), storeNote("default", "flash-bytes-per-message"));


// The last lines, in a fixed form: MQTT 3.1.1, 64-byte payload, ESP8266 sizes, beside the figures of
// Moddable's two MQTT clients (SDK 8.2.3) measured on this same xs-host with a fake socket (issue 17).
const summary = footprintPrefix({ version: 4, sizes: "esp8266" });
const computrons = (key: string): string => String(footprint.measures.get(key)?.computrons ?? "not measured");
const keptBytes = (prefix: string): string => String(footprint.notes.get(`${prefix}.kept.device-bytes`) ?? "not measured");
const moddable = (ecma419: string, legacy: string): string => `  (Moddable: ${ecma419} ECMA-419 client / ${legacy} mqtt module)`;
console.log("\nsummary: MQTT 3.1.1, 64-byte payload, ESP8266 sizes for the computron lines; Moddable's clients measured on");
console.log("this xs-host with SDK 8.2.3 and a fake socket (issue 17), as fixed references");
console.log(`xs client qos0 publish: ${computrons(`${summary}.p64.qos0-publish`)} computrons${moddable("607", "661")}`);
console.log(`xs client qos1 publish+puback: ${computrons(`${summary}.p64.qos1-publish-puback`)} computrons${moddable("1,454", "1,387")}`);
console.log(`xs client qos0 receive: ${computrons(`${summary}.p64.qos0-receive`)} computrons${moddable("4,931", "4,990")}`);
console.log(`xs client kept esp8266: ${keptBytes(summary)} bytes${moddable("1,008", "696")}`);
console.log(`xs client kept default: ${keptBytes(footprintPrefix({ version: 4, sizes: "default" }))} bytes${moddable("1,008", "696")}`);
console.log(`xs app heap esp8266: ${n("app.device-heap.at-end")} bytes  (Moddable: no app figure; the ESP8266 heap is 32,768)`);
