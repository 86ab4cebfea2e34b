// Deep sleep on an ESP8266: the io `system` module that targets/manifest_device.json includes (through
// $(MODDABLE)/modules/io/manifest.json) preloads a global System whose deepSleep(us, mode) posts
// system_deep_sleep_instant to run after the current turn. The chip wakes through its reset pin, so GPIO16
// must be wired to RST (as on most sensor boards built for it). The SDK takes the time as a 32-bit integer of
// microseconds: sleeps are capped at 35 minutes.

import type { PowerControl } from "mqtt5/app/ports";

const LONGEST_MS = 2_147_483;
/** RF calibration as the SDK's default option sets it. */
const MODE = 0;

interface SystemModule {
  deepSleep(us: number, mode: number): void;
}

export function createPower(): PowerControl {
  const system = (globalThis as { System?: SystemModule }).System;
  if (system === undefined) throw new Error("deep sleep: the io system module (System) is not in this build");
  return { deepSleep: (ms) => system.deepSleep(Math.min(ms, LONGEST_MS) * 1000, MODE) };
}
