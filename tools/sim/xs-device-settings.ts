// What the simulator's Node side and an XS device (xs-device.ts) agree on: the settings passed in the global
// `simDevice`, and the log lines the parent recognises.
import type { QoS } from "../../src/codec/packet";

export interface XsDeviceSettings {
  id: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
  intervalMs: number;
  qos: QoS;
  dropMs: number;
  /** Seed for the device's sensor, Wi-Fi and backoff jitter. */
  seed: number;
}

/** Printed when the simulated Wi-Fi drops (the parent counts drops from it). */
export const WIFI_DROPPED = "Wi-Fi dropped";
/** Printed once the app has started (the parent knows the bundle loaded). */
export const READY_LINE = "@sim-xs ready";
