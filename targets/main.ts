// The firmware: the temperature app (src/app) wired to the Moddable platform, the target's sensor, the
// Wi-Fi status and the MQTT session, all configured from mc/config (see README, "Flash to a board").
// With store=true (or sleep > 0) the session lives on flash (FlashSessionStore, flash-sdk.ts / flash-lin.ts):
// readings accepted before a reboot, a deep sleep or a power cut are sent after it.
import config from "mc/config";
import { ClientSession } from "mqtt5/app/client-session";
import { TemperatureApp, openFlashStore, sessionExpiryForSleep } from "mqtt5/app/index";
import type { ReadingObserver } from "mqtt5/app/ports";
import { ModdableAppClock } from "mqtt5-target/app-clock";
import { brokerOptions, createPlatform } from "mqtt5-target/device-platform";
import { createFlashArea } from "mqtt5-target/flash";
import { createNetworkStatus } from "mqtt5-target/network";
import { createPower } from "mqtt5-target/power";
import { createSensor } from "mqtt5-target/sensor";
import { engineConfig, readSettings, storeOptions } from "mqtt5-target/settings";

const settings = readSettings(config as Readonly<Record<string, unknown>>);
const log = (line: string) => trace(`${line}\n`);
const platform = createPlatform(settings);
const store = settings.store ? openFlashStore(createFlashArea(settings), storeOptions(settings), log) : undefined;
if (store !== undefined) log(`session store: ${store.count()} messages kept${store.tornEntry ? ", a torn last entry dropped" : ""}`);
const session = new ClientSession({
  platform,
  broker: brokerOptions(settings),
  engine: engineConfig(settings),
  ...(store !== undefined ? { store } : {}),
  ...(settings.sleep > 0 ? { sessionExpiry: sessionExpiryForSleep(settings.sleep) } : {}),
  keepAlive: 60,
  username: settings.mqttUser,
  password: settings.mqttPassword,
  log,
});
const readings: ReadingObserver = {
  accepted: (timestamp) => log(`reading accepted ${timestamp}`),
  refused: (timestamp) => log(`reading refused ${timestamp}`),
};
const app = new TemperatureApp(
  {
    deviceId: settings.deviceId, intervalMs: settings.interval, qos: settings.qos, queueWhileOffline: settings.queueOffline,
    sleepMs: settings.sleep, awakeMs: settings.awake,
  },
  {
    sensor: createSensor(settings),
    network: createNetworkStatus(String((config as Readonly<Record<string, unknown>>).ssid ?? "")),
    clock: new ModdableAppClock(),
    session,
    ...(settings.sleep > 0 ? { power: createPower() } : {}),
    ...(settings.traceReadings ? { readings } : {}),
  },
);
const scheme = settings.websocket ? (settings.tls ? "wss" : "ws") : settings.tls ? "mqtts" : "mqtt";
trace(`mqtt5-xs: ${settings.deviceId} -> ${scheme}://${settings.broker}:${settings.port}${settings.websocket ? settings.path : ""}\n`);
app.start();
