// The simulator's devices on the XS engine (`make sim ENGINE=xs`): each device is its own xs-host process
// running tools/sim/xs-device.ts, as each board runs its own VM. Node owns the devices' TCP sockets through the
// bridge (tools/xs/bridge/node-bridge.ts) and shows their log lines.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { attachBridge } from "../xs/bridge/node-bridge";
import { unlinkSync } from "node:fs";
import { buildXsHost, bundleForXs, wrapWithGlobals, XS_HOST, xsHostOutOfDate } from "../xs/run";
import type { SimBroker } from "./broker";
import type { SimOptions } from "./options";
import type { SimDevice } from "./simulator";
import { READY_LINE, WIFI_DROPPED, type XsDeviceSettings } from "./xs-device-settings";

/** Builds the XS host (when needed: it says so, the first build takes a while) and the device bundle; call once
 * before startXsDevice. `signal` stops the build and everything it started. */
export async function prepareXsDevices(options: SimOptions, signal: AbortSignal, log?: (line: string) => void): Promise<string> {
  if (options.tls) throw new Error("ENGINE=xs: the XS bridge relays plain TCP only; run without --tls or use an mqtt:// broker");
  if (options.websocket || /^wss?:/.test(options.url ?? "")) throw new Error("ENGINE=xs: the XS bridge relays plain TCP only; use an mqtt:// broker, not WebSocket");
  if (xsHostOutOfDate()) {
    log?.("ENGINE=xs: building the XS engine host (tools/xs/build.sh; 10 to 40 s the first time, Ctrl-C stops it)");
  }
  await buildXsHost(signal);
  return bundleForXs("tools/sim/xs-device.ts");
}

export function startXsDevice(bundle: string, index: number, options: SimOptions, broker: SimBroker, log?: (line: string) => void): SimDevice {
  const id = `sim-${index + 1}`;
  const settings: XsDeviceSettings = {
    id,
    host: broker.transport.host,
    port: broker.transport.port,
    protocolVersion: options.protocolVersion,
    intervalMs: options.intervalMs,
    qos: options.qos,
    dropMs: options.dropMs,
    seed: Math.floor(Math.random() * 0x1_0000_0000),
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
  };
  const wrapper = wrapWithGlobals(bundle, { simDevice: JSON.stringify(settings) });
  const child = spawn(XS_HOST, [wrapper], {
    stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
  });
  attachBridge(child);
  let drops = 0;
  let stopping = false;
  let stderr = "";
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line === WIFI_DROPPED) drops++;
    if (line !== READY_LINE) log?.(`${id} (XS): ${line}`);
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => { stderr += s; });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  child.on("close", (status, signal) => {
    if (!stopping) log?.(`${id} (XS): the XS engine stopped (exit ${status ?? signal}) ${stderr.trim()}`);
  });
  return {
    id,
    engine: "xs",
    get drops() { return drops; },
    async stop() {
      // Like pulling a board's power: the broker publishes the device's will ("offline").
      stopping = true;
      kill(child);
      await exited;
      unlinkSync(wrapper);
    },
  };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
