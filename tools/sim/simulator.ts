// The host simulator: several temperature devices (the firmware's app, src/app) on simulated Wi-Fi and
// sensors, and a subscriber on our own stack that reports each reading as it arrives. The devices run in this
// Node process, or each in an XS engine of its own (options.engine "xs", see xs-devices.ts).
import { ClientSession, TemperatureApp, type AppClock } from "../../src/app/index";
import { NodePlatform } from "../../src/platform/host/index";
import { openBroker, type SimBroker } from "./broker";
import type { SimOptions } from "./options";
import { SimulatedSensor } from "./simulated-sensor";
import { SimulatedWifi } from "./simulated-wifi";
import { startSubscriber, type Arrival } from "./subscriber";
import { prepareXsDevices, startXsDevice } from "./xs-devices";

export interface SimDevice {
  id: string;
  /** Where the device app runs: in this Node process, or in an XS engine of its own. */
  engine: "node" | "xs";
  /** Simulated Wi-Fi drops so far. */
  readonly drops: number;
  stop(): Promise<void>;
}

export interface Simulation {
  broker: SimBroker;
  devices: SimDevice[];
  /** Readings the subscriber has received (status messages not counted). */
  readonly received: number;
  /** Resolves when --readings have arrived (never when it is 0). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface SimHooks {
  onArrival?(arrival: Arrival): void;
  log?(line: string): void;
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

export async function startSimulation(options: SimOptions, hooks: SimHooks = {}): Promise<Simulation> {
  const broker = await openBroker(options.url, options.tls, options.caFile, options.websocket ?? false);
  let xsBundle: string | undefined;
  try {
    if (options.engine === "xs") xsBundle = await prepareXsDevices(broker);
  } catch (error) {
    await broker.close();
    throw error;
  }
  let received = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let subscriberReady!: () => void;
  const ready = new Promise<void>((resolve) => (subscriberReady = resolve));
  const subscriber = startSubscriber({
    broker: broker.transport,
    protocolVersion: options.protocolVersion,
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...(hooks.log ? { log: (line: string) => hooks.log!(`subscriber: ${line}`) } : {}),
    onConnected: () => subscriberReady(),
    onArrival: (arrival) => {
      hooks.onArrival?.(arrival);
      if (arrival.kind !== "temperature" || arrival.retained) return; // retained: an old run's last value
      received++;
      if (options.readings > 0 && received >= options.readings) finish();
    },
  });
  // Devices start once the subscriber listens, so the first readings are seen live.
  await ready;
  const devices = Array.from({ length: options.devices }, (_, i) =>
    xsBundle ? startXsDevice(xsBundle, i, options, broker, hooks.log) : startDevice(i, options, broker, hooks.log));
  return {
    broker,
    devices,
    get received() {
      return received;
    },
    done,
    async stop() {
      await Promise.all(devices.map((device) => device.stop()));
      subscriber.end();
      // Let the DISCONNECTs go out before a private broker goes away.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await broker.close();
    },
  };
}
