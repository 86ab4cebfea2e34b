// The simulator's devices on the XS engine (`make sim ENGINE=xs`, and --sleep / --power-cuts, which imply it):
// each device is its own xs-host process running tools/sim/xs-device.ts, as each board runs its own VM, and a
// device that sleeps or loses power is a new process at every wake or boot (xs-device-life.ts). Node owns the
// devices' TCP sockets through the bridge (tools/xs/bridge/node-bridge.ts) and shows their log lines.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildXsHost, bundleForXs, ROOT, xsHostOutOfDate } from "../xs/run";
import type { SimBroker } from "./broker";
import type { SimOptions } from "./options";
import type { SimDevice } from "./simulator";
import { XsDeviceLife, type PowerCutPlan } from "./xs-device-life";
import type { XsDeviceSettings } from "./xs-device-settings";

/** Where this process's sleeping and power-cut devices keep their flash files (emptied when a simulation starts). */
export const FLASH_DIR = join(ROOT, "build/sim", `flash-${process.pid}`);

/** The simulator's power cuts: about every other wake of a sleeping device, within 10 s of boot for one that
 * stays awake; half of them aimed inside a store write or erase; the power is back after a second. */
const SIM_CUTS: PowerCutPlan = { probability: 0.5, flashShare: 0.5, offMs: 1000, longestRunMs: 10_000 };

/** Builds the XS host (when needed: it says so, the first build takes a while) and the device bundle; call once
 * before startXsDevice. `signal` stops the build and everything it started. */
export async function prepareXsDevices(options: SimOptions, signal: AbortSignal, log?: (line: string) => void): Promise<string> {
  if (options.tls) throw new Error("ENGINE=xs: the XS bridge relays plain TCP only; run without --tls or use an mqtt:// broker");
  if (options.websocket || /^wss?:/.test(options.url ?? "")) throw new Error("ENGINE=xs: the XS bridge relays plain TCP only; use an mqtt:// broker, not WebSocket");
  if (xsHostOutOfDate()) {
    log?.("ENGINE=xs: building the XS engine host (tools/xs/build.sh; 10 to 40 s the first time, Ctrl-C stops it)");
  }
  await buildXsHost(signal);
  rmSync(FLASH_DIR, { recursive: true, force: true });
  mkdirSync(FLASH_DIR, { recursive: true });
  return bundleForXs("tools/sim/xs-device.ts");
}

export function startXsDevice(bundle: string, index: number, options: SimOptions, broker: SimBroker, log?: (line: string) => void): SimDevice {
  const id = `sim-${index + 1}`;
  const sleepMs = options.sleepMs ?? 0;
  const persistent = sleepMs > 0 || (options.powerCuts ?? false);
  const settings: XsDeviceSettings = {
    id,
    host: broker.transport.host,
    port: broker.transport.port,
    protocolVersion: options.protocolVersion,
    intervalMs: options.intervalMs,
    qos: options.qos,
    dropMs: options.dropMs,
    seed: Math.floor(Math.random() * 0x1_0000_0000),
    ...(persistent ? { flashFile: join(FLASH_DIR, `${id}.flash`) } : {}),
    ...(sleepMs > 0 ? { sleepMs } : {}),
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
  };
  const say = (line: string) => log?.(`${id} (XS): ${line}`);
  const life = new XsDeviceLife(bundle, settings, options.powerCuts ? SIM_CUTS : undefined, {
    line: say,
    booted: (kept, torn) => { if (persistent) say(`booted: ${kept} messages kept on flash${torn ? ", a torn last entry dropped" : ""}`); },
    slept: (w) => say(`asleep for ${w.sleepMs} ms after ${w.awakeMs} ms awake (${w.kept} messages left on flash; ${w.bytesWritten} flash bytes written, ${w.erases} blocks erased)`),
    refused: (timestamp) => say(`reading of ${new Date(timestamp).toISOString().slice(11, 23)} refused: the store is full`),
    powerCut: (where) => say(`power cut (${where === "moment" ? "at a random moment" : `in a ${where}`}); back in ${SIM_CUTS.offMs} ms`),
    crashed: say,
  });
  life.start();
  return {
    id,
    engine: "xs",
    get drops() { return life.stats.drops; },
    // The stats object is updated in place; only devices with a flash file have a life worth reporting.
    ...(persistent ? { life: life.stats } : {}),
    stop: () => life.stop(),
  };
}
