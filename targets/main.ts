// The firmware: the temperature app (src/app) wired to the Moddable platform, the target's sensor, the
// Wi-Fi status and the MQTT session, all configured from mc/config (see README, "Flash to a board").
import config from "mc/config";
import { ClientSession } from "mqtt5/app/client-session";
import { TemperatureApp } from "mqtt5/app/index";
import { ModdableAppClock } from "mqtt5-target/app-clock";
import { brokerOptions, createPlatform } from "mqtt5-target/device-platform";
import { createNetworkStatus } from "mqtt5-target/network";
import { createSensor } from "mqtt5-target/sensor";
import { engineConfig, readSettings } from "mqtt5-target/settings";

const settings = readSettings(config as Readonly<Record<string, unknown>>);
const platform = createPlatform(settings);
const session = new ClientSession({
  platform,
  broker: brokerOptions(settings),
  engine: engineConfig(settings),
  keepAlive: 60,
  username: settings.mqttUser,
  password: settings.mqttPassword,
  log: (line) => trace(`${line}\n`),
});
const app = new TemperatureApp(
  { deviceId: settings.deviceId, intervalMs: settings.interval, qos: settings.qos, queueWhileOffline: settings.queueOffline },
  {
    sensor: createSensor(settings),
    network: createNetworkStatus(String((config as Readonly<Record<string, unknown>>).ssid ?? "")),
    clock: new ModdableAppClock(),
    session,
  },
);
const scheme = settings.websocket ? (settings.tls ? "wss" : "ws") : settings.tls ? "mqtts" : "mqtt";
trace(`mqtt5-xs: ${settings.deviceId} -> ${scheme}://${settings.broker}:${settings.port}${settings.websocket ? settings.path : ""}\n`);
app.start();
