// The host simulator: several temperature devices (the firmware's app, src/app) on simulated Wi-Fi and
// sensors, and a subscriber on our own stack that reports each reading as it arrives. The devices run in this
// Node process, or each in an XS engine of its own (options.engine "xs", see xs-devices.ts).
import { rmSync } from "node:fs";
import { ClientSession, TemperatureApp, type AppClock } from "../../src/app/index";
import { NodePlatform } from "../../src/platform/host/index";
import { openBroker, type SimBroker } from "./broker";
import type { SimOptions } from "./options";
import { SimulatedSensor } from "./simulated-sensor";
import { SimulatedWifi } from "./simulated-wifi";
import { startSubscriber, type Arrival } from "./subscriber";
import { explainBrokerProblem } from "./broker-problem";
import { FLASH_DIR, prepareXsDevices, startXsDevice } from "./xs-devices";
import type { DeviceLifeStats } from "./xs-device-life";

export interface SimDevice {
  id: string;
  /** Where the device app runs: in this Node process, or in an XS engine of its own. */
  engine: "node" | "xs";
  /** Simulated Wi-Fi drops so far. */
  readonly drops: number;
  /** Runs, wakes, power cuts and flash traffic of an XS device (xs-device-life.ts). */
  readonly life?: DeviceLifeStats;
  stop(): Promise<void>;
}

export interface Simulation {
  broker: SimBroker;
  /** Filled once the subscriber is connected (devices start only then, so their first readings are seen). */
  devices: SimDevice[];
  /** Readings the subscriber has received (status messages not counted). */
  readonly received: number;
  /** The subscriber has been connected at least once. */
  readonly reachedBroker: boolean;
  /** Failed connection attempts of the subscriber, and the last error. */
  readonly failures: number;
  readonly lastError: Error | undefined;
  /** Resolves when --readings have arrived (never when it is 0). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface SimHooks {
  onArrival?(arrival: Arrival): void;
  log?(line: string): void;
  /** The first time the broker cannot be reached or refuses us: what failed and what to check. */
  onBrokerProblem?(explanation: string): void;
}

const platform = new NodePlatform();
const clock: AppClock = {
  setTimer: (ms, cb) => platform.setTimer(ms, cb),
  clearTimer: (h) => platform.clearTimer(h),
  epochMs: () => Date.now(),
};

function startDevice(index: number, options: SimOptions, broker: SimBroker, log?: (line: string) => void): SimDevice {
  const id = `sim-${index + 1}`;
  const wifi = new SimulatedWifi(platform, { meanUptimeMs: options.dropMs });
  const session = new ClientSession({
    platform: wifi.platform,
    broker: broker.transport,
    protocolVersion: options.protocolVersion,
    backoff: { minDelayMs: 500, maxDelayMs: 10_000 },
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...(log ? { log: (line: string) => log(`${id}: ${line}`) } : {}),
  });
  const app = new TemperatureApp(
    { deviceId: id, intervalMs: options.intervalMs, qos: options.qos },
    { sensor: new SimulatedSensor(), network: wifi, clock, session },
  );
  wifi.onChange((up) => log?.(`${id}: Wi-Fi ${up ? "joined" : "dropped"}`));
  app.start();
  wifi.join();
  return {
    id,
    engine: "node",
    get drops() { return wifi.drops; },
    async stop() {
      app.stop();
      wifi.stop();
    },
  };
}

/**
 * Opens the broker (a private mosquitto unless options.url), starts the subscriber and returns at once; the
 * devices start when the subscriber first connects. With ENGINE=xs the XS host is built first (before any
 * broker runs). `signal` aborts the start (Ctrl-C during the XS build); stop() works at any time after.
 */
export async function startSimulation(options: SimOptions, hooks: SimHooks = {}, signal: AbortSignal = new AbortController().signal): Promise<Simulation> {
  const xsBundle = options.engine === "xs" ? await prepareXsDevices(options, signal, hooks.log) : undefined;
  signal.throwIfAborted();
  const broker = await openBroker(options.url, options.tls, options.caFile, options.websocket ?? false);
  if (signal.aborted) {
    await broker.close();
    signal.throwIfAborted();
  }
  let received = 0;
  let failures = 0;
  let lastError: Error | undefined;
  let reachedBroker = false;
  let stopped = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const devices: SimDevice[] = [];
  const subscriber = startSubscriber({
    broker: broker.transport,
    protocolVersion: options.protocolVersion,
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...(hooks.log ? { log: (line: string) => hooks.log!(`subscriber: ${line}`) } : {}),
    onError: (error) => {
      if (reachedBroker) return;
      if (failures++ === 0) hooks.onBrokerProblem?.(explainBrokerProblem(error, broker.description, options.protocolVersion));
      lastError = error;
    },
    onConnected: () => {
      if (reachedBroker || stopped) return;
      reachedBroker = true;
      // Devices start once the subscriber listens, so the first readings are seen live.
      for (let i = 0; i < options.devices; i++) {
        devices.push(xsBundle ? startXsDevice(xsBundle, i, options, broker, hooks.log) : startDevice(i, options, broker, hooks.log));
      }
    },
    onArrival: (arrival) => {
      hooks.onArrival?.(arrival);
      if (arrival.kind !== "temperature" || arrival.retained) return; // retained: an old run's last value
      received++;
      if (options.readings > 0 && received >= options.readings) finish();
    },
  });
  return {
    broker,
    devices,
    get received() {
      return received;
    },
    get reachedBroker() {
      return reachedBroker;
    },
    get failures() {
      return failures;
    },
    get lastError() {
      return lastError;
    },
    done,
    async stop() {
      stopped = true;
      await Promise.all(devices.map((device) => device.stop()));
      if (xsBundle) rmSync(FLASH_DIR, { recursive: true, force: true });
      subscriber.end();
      // Let the DISCONNECTs go out before a private broker goes away.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await broker.close();
    },
  };
}
