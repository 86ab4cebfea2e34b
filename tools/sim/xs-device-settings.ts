// What the simulator's Node side and an XS device (xs-device.ts) agree on: the settings passed in the global
// `simDevice`, and the lines the parent recognises on the device's standard output.
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
  /** The device keeps its session in this file (the XS host's flash stand-in): it outlives the process. */
  flashFile?: string;
  /** Deep-sleep mode: ms asleep between wakes; each wake is a process of its own (0: stay awake). */
  sleepMs?: number;
  /** Deep-sleep mode: the longest a wake lasts. */
  awakeMs?: number;
  /** Time to join the simulated Wi-Fi (default 500-1500 ms). */
  joinDelayMs?: number;
}

/** The store's flash: 4 blocks of 4 KB (two regions of 8 KB), as the firmware's default storeBlocks. */
export const FLASH_BYTES = 4 * 4096;
/** Readings that may wait in the store (the firmware's default storeQueue) and publishes in flight. */
export const STORE_QUEUE = 16;
export const STORE_INFLIGHT = 4;

/** Printed when the simulated Wi-Fi drops (the parent counts drops from it). */
export const WIFI_DROPPED = "Wi-Fi dropped";
/** Printed once the app has started (the parent knows the bundle loaded). */
export const READY_LINE = "@sim-xs ready";
/** "@store <messages kept> <torn entry dropped: 0|1>": what the store held when the device started. */
export const STORE_LINE = "@store";
/** "@accepted <timestamp>" / "@refused <timestamp>": a reading the session took (stored) or refused (full). */
export const ACCEPTED_LINE = "@accepted";
export const REFUSED_LINE = "@refused";
/** "@sleep <ms asleep> <ms awake> <messages kept> <flash bytes written> <blocks erased>": the wake ends. */
export const SLEEP_LINE = "@sleep";
