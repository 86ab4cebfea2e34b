// One simulated device running inside the XS engine (`make sim ENGINE=xs`): the firmware's app (src/app) on
// simulated Wi-Fi and a simulated sensor, exactly as tools/sim/simulator.ts builds it on Node, but on XS with
// its TCP connection relayed by the bridge (tools/xs/bridge: the Node parent owns the socket). The parent
// passes the device's settings as the global `simDevice` (JSON, see XsDeviceSettings) and reads its log
// lines from standard output.
//
// With a flash file the session lives in a FlashSessionStore on the XS host's flash stand-in (a file that
// outlives the process, as a board's flash outlives its RAM). With sleepMs the app runs in deep-sleep mode:
// one reading per wake, then "deep sleep", which here ends the process; the parent starts a new one (the
// next wake, with nothing in RAM) after the sleep.
import { ClientSession, TemperatureApp, openFlashStore, sessionExpiryForSleep, type ReadingObserver } from "../../src/app/index";
import type { FlashSessionStore } from "../../src/engine/flash-session-store";
import { SdkFlashArea } from "../../src/platform/moddable/sdk-flash-area";
import { BridgePlatform } from "../xs/bridge/xs-platform";
import { XsHostFlash } from "../xs/host-flash";
import { xsHost } from "../xs/xs-globals";
import { seededRandom } from "../chaos/random";
import { SimulatedSensor } from "./simulated-sensor";
import { SimulatedWifi } from "./simulated-wifi";
import {
  ACCEPTED_LINE, FLASH_BYTES, READY_LINE, REFUSED_LINE, SLEEP_LINE, STORE_INFLIGHT, STORE_LINE, STORE_QUEUE, WIFI_DROPPED,
  type XsDeviceSettings,
} from "./xs-device-settings";

declare const simDevice: string;

function openStore(settings: XsDeviceSettings, log: (line: string) => void): FlashSessionStore | undefined {
  if (settings.flashFile === undefined) return undefined;
  const area = new SdkFlashArea(new XsHostFlash(settings.flashFile, FLASH_BYTES));
  const store = openFlashStore(area, { records: STORE_QUEUE + STORE_INFLIGHT, inbound: 8 }, log);
  log(`${STORE_LINE} ${store.count()} ${store.tornEntry ? 1 : 0}`);
  return store;
}

function main(settings: XsDeviceSettings): void {
  const print = xsHost().print;
  const log = (line: string): void => print(line);
  // Math.random starts from the same seed in every xs-host process: each device (and wake) gets a seed of its own.
  const random = seededRandom(settings.seed);
  const platform = new BridgePlatform(random);
  const wifi = new SimulatedWifi(platform, { meanUptimeMs: settings.dropMs, ...(settings.joinDelayMs !== undefined ? { joinDelayMs: settings.joinDelayMs } : {}) }, random);
  const store = openStore(settings, log);
  const sleepMs = settings.sleepMs ?? 0;
  const session = new ClientSession({
    platform: wifi.platform,
    broker: { host: settings.host, port: settings.port },
    protocolVersion: settings.protocolVersion,
    backoff: { minDelayMs: 500, maxDelayMs: 10_000 },
    ...(store !== undefined ? { store, engine: { queueLimit: STORE_QUEUE, queueByteLimit: STORE_QUEUE * 1024, maxInflight: STORE_INFLIGHT } } : {}),
    ...(sleepMs > 0 ? { sessionExpiry: sessionExpiryForSleep(sleepMs) } : {}),
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    log,
  });
  const readings: ReadingObserver = {
    accepted: (timestamp) => print(`${ACCEPTED_LINE} ${timestamp}`),
    refused: (timestamp) => print(`${REFUSED_LINE} ${timestamp}`),
  };
  const app: TemperatureApp = new TemperatureApp(
    { deviceId: settings.id, intervalMs: settings.intervalMs, qos: settings.qos, queueWhileOffline: store !== undefined, sleepMs, awakeMs: settings.awakeMs ?? 20_000 },
    {
      sensor: new SimulatedSensor(19 + random() * 4, random),
      network: wifi,
      clock: {
        setTimer: (ms, callback) => platform.setTimer(ms, callback),
        clearTimer: (handle) => platform.clearTimer(handle),
        epochMs: () => Date.now(),
      },
      session,
      readings,
      // Deep sleep loses the RAM: this process ends, and the parent starts the next wake after `ms`.
      power: {
        deepSleep: (ms) => {
          const stats = store?.stats;
          print(`${SLEEP_LINE} ${ms} ${app.stats.awakeMs} ${store?.count() ?? 0} ${stats?.bytesWritten ?? 0} ${stats?.erases ?? 0}`);
          wifi.stop();
          xsHost().finish();
        },
      },
    },
  );
  wifi.onChange((up) => log(up ? "Wi-Fi joined" : WIFI_DROPPED));
  app.start();
  wifi.join();
  log(READY_LINE);
}

main(JSON.parse(simDevice) as XsDeviceSettings);
