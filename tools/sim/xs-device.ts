// One simulated device running inside the XS engine (`make sim ENGINE=xs`): the firmware's app (src/app) on
// simulated Wi-Fi and a simulated sensor, exactly as tools/sim/simulator.ts builds it on Node, but on XS with
// its TCP connection relayed by the bridge (tools/xs/bridge: the Node parent owns the socket). The parent
// passes the device's settings as the global `simDevice` (JSON, see XsDeviceSettings) and reads its log
// lines from standard output.
import { ClientSession, TemperatureApp } from "../../src/app/index";
import { BridgePlatform } from "../xs/bridge/xs-platform";
import { xsHost } from "../xs/xs-globals";
import { seededRandom } from "../chaos/random";
import { SimulatedSensor } from "./simulated-sensor";
import { SimulatedWifi } from "./simulated-wifi";
import { READY_LINE, WIFI_DROPPED, type XsDeviceSettings } from "./xs-device-settings";

declare const simDevice: string;

function main(settings: XsDeviceSettings): void {
  const log = (line: string): void => xsHost().print(line);
  // Math.random starts from the same seed in every xs-host process: each device gets a seed of its own.
  const random = seededRandom(settings.seed);
  const platform = new BridgePlatform(random);
  const wifi = new SimulatedWifi(platform, { meanUptimeMs: settings.dropMs }, random);
  const session = new ClientSession({
    platform: wifi.platform,
    broker: { host: settings.host, port: settings.port },
    protocolVersion: settings.protocolVersion,
    backoff: { minDelayMs: 500, maxDelayMs: 10_000 },
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    log,
  });
  const app = new TemperatureApp(
    { deviceId: settings.id, intervalMs: settings.intervalMs, qos: settings.qos },
    {
      sensor: new SimulatedSensor(19 + random() * 4, random),
      network: wifi,
      clock: {
        setTimer: (ms, callback) => platform.setTimer(ms, callback),
        clearTimer: (handle) => platform.clearTimer(handle),
        epochMs: () => Date.now(),
      },
      session,
    },
  );
  wifi.onChange((up) => log(up ? "Wi-Fi joined" : WIFI_DROPPED));
  app.start();
  wifi.join();
  log(READY_LINE);
}

main(JSON.parse(simDevice) as XsDeviceSettings);
