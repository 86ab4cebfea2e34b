// `make lin-check` (and the last step of `make test` when a Moddable SDK is at hand; lin-check.sh finds it):
// the firmware on Moddable's own engine, and the ESP builds as far as they go without their toolchains.
//
//   1. targets/lin, built as `make lin` builds it (debug), configured for a port picked here.
//   2. targets/esp32 and targets/esp8266 through TypeScript, xsc and the xsl preload (esp-preload.ts).
//   3. Scenarios in the SDK's simulator, mcsim, against a private mosquitto (scenarios.ts): readings and
//      status, a broker restart, a power cut (the session kept on "flash", a file), the heap over a longer
//      run, the stack peak.
// Each step prints its verdict and time; any TypeScript error, xsl warning about our modules, engine abort or
// failed scenario fails the check. The XS tier runs the same code on @agoric/xsnap's XS, which cannot tell how
// deep Moddable's engine nests or what its preload does (tools/xs/README.md): that is proven here.
//
// LIN_CHECK_SECONDS (12) and LIN_CHECK_HEAP_SECONDS (30) set how long the readings and heap runs last;
// LIN_CHECK_WEBSOCKET=1 has the device connect over WebSocket (the SDK's ECMA-419 WebSocket client) to
// mosquitto's `protocol websockets` listener.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../broker/mosquitto";
import type { Firmware } from "./device-run";
import { espPreload } from "./esp-preload";
import { ROOT, linApp, mcconfigLin, moddableRoot, remove, tmpDir, type BuildResult } from "./firmware-build";
import { brokerRestart, heap, powerCut, readings, stack, type Verdict } from "./scenarios";

const WEBSOCKET = process.env.LIN_CHECK_WEBSOCKET === "1";
const timings: string[] = [];
let failed = false;

async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step();
  timings.push(`${name} ${Math.round((performance.now() - started) / 1000)} s`);
  return result;
}

function judgeBuild(label: string, result: BuildResult, seconds: string): boolean {
  if (result.ok) {
    console.log(`${label}: OK (${seconds})`);
    return true;
  }
  failed = true;
  console.log(result.output.split("\n").slice(-40).join("\n"));
  for (const problem of result.problems) console.log(`${label}: FAIL ${problem}`);
  return false;
}

function judgeScenario(verdict: Verdict): void {
  const time = verdict.seconds > 0 ? ` (${verdict.seconds} s)` : "";
  if (verdict.report) console.log(`lin-check: ${verdict.report}`);
  if (verdict.problems.length === 0) {
    console.log(`lin-check ${verdict.name}: OK${time}: ${verdict.summary}`);
    return;
  }
  failed = true;
  for (const line of verdict.log) console.log(`  device: ${line}`);
  if (verdict.summary) console.log(`lin-check ${verdict.name}: ${verdict.summary}`);
  for (const problem of verdict.problems) console.log(`lin-check ${verdict.name}: FAIL ${problem}`);
}

function lastTiming(): string {
  return timings.at(-1)!.replace(/^.* (\d+ s)$/, "$1");
}

interface LinManifest {
  creation?: { stack?: number };
  platforms?: { lin?: { config?: { interval?: number } } };
}

async function buildLin(port: number): Promise<Firmware | undefined> {
  const manifest = JSON.parse(readFileSync(join(ROOT, "targets/lin/manifest.json"), "utf8")) as LinManifest;
  remove(join(tmpDir("lin", true), "mc.xs.c")); // xsl runs every time, so its warnings are seen
  const storeFile = join(ROOT, "build/moddable/lin-session.flash");
  const config = [`port=${port}`, `storeFile=${storeFile}`, ...(WEBSOCKET ? ["websocket=true"] : [])];
  const result = await timed("lin build", () => mcconfigLin(["-d", "-m", "-t", "build"], config));
  if (!judgeBuild("lin-check build", result, lastTiming())) return undefined;
  return {
    mcsim: join(moddableRoot(), "build/bin/lin/release/mcsim"),
    app: linApp(),
    port,
    websocket: WEBSOCKET,
    intervalMs: manifest.platforms?.lin?.config?.interval ?? 5000,
    stackSlots: manifest.creation?.stack ?? 0,
    storeFile,
  };
}

function headless(): boolean {
  if (process.env.DISPLAY) return true;
  try {
    execFileSync("sh", ["-c", "command -v xvfb-run"], { stdio: "ignore" });
    return true;
  } catch {
    console.log("lin-check: FAIL mcsim needs a display: apt-get install xvfb xauth (xvfb-run), or set DISPLAY");
    return false;
  }
}

async function espPreloads(): Promise<void> {
  for (const board of ["esp32", "esp8266"] as const) {
    const result = await timed(`${board} preload`, () => espPreload(board));
    judgeBuild(`${board} preload`, result, lastTiming());
  }
}

async function scenarios(firmware: Firmware): Promise<void> {
  const verdicts: Verdict[] = [];
  for (const [name, run] of [["readings", readings], ["broker restart", brokerRestart], ["power cut", powerCut], ["heap", heap]] as const) {
    console.log(`lin-check: running the device: ${name}`);
    const verdict = await timed(name, () => run(firmware));
    judgeScenario(verdict);
    verdicts.push(verdict);
  }
  judgeScenario(stack(firmware, verdicts));
}

async function main(): Promise<void> {
  const started = performance.now();
  const sdkSeconds = process.env.LIN_CHECK_SDK_SECONDS;
  if (sdkSeconds !== undefined) timings.push(`sdk ${sdkSeconds} s`);
  if (!headless()) process.exit(1);
  const port = await freePort();
  console.log(`lin-check: building targets/lin (debug, broker ${WEBSOCKET ? "WebSocket " : ""}port ${port}) into build/moddable`);
  const firmware = await buildLin(port);
  // The device mostly waits on its timers and the broker: the ESP builds use the CPU meanwhile.
  await Promise.all([espPreloads(), firmware ? scenarios(firmware) : Promise.resolve()]);
  const total = Math.round((performance.now() - started) / 1000);
  console.log(`lin-check: times: ${timings.join(", ")} (the ESP preloads ran beside the device); total ${total} s`);
  if (failed) {
    console.log("lin-check: FAIL");
    process.exitCode = 1;
  } else {
    console.log("lin-check: OK");
  }
}

await main();
