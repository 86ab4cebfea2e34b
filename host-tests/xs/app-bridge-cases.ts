// The device app (src/app) on XS: the same TemperatureApp the firmware runs, over ClientSession (the public
// MqttClient) and the bridge platform, inside a 32 KB ESP8266 heap, publishing to a real mosquitto.
import { ClientSession, TemperatureApp } from "../../src/app/index";
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { xsHost } from "../../tools/xs/xs-globals";
import { ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { check, type XsCase } from "./support/xs-case";

declare const brokerPort: number;

export const APP_DEVICE_ID = "xs-esp8266-1";
export const APP_READINGS = 5;

export const appBridgeCases: XsCase[] = [
  {
    name: `runs the temperature app inside a 32 KB ESP8266 heap and publishes ${APP_READINGS} readings to mosquitto`,
    run(context) {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        context.note("app.device-heap.at-start", xsHost().deviceHeap(32768));
        let degrees = 20;
        const session = new ClientSession({
          platform,
          broker: { host: "127.0.0.1", port: brokerPort },
          engine: ESP8266_ENGINE_CONFIG,
          keepAlive: 30,
        });
        const app = new TemperatureApp({ deviceId: APP_DEVICE_ID, intervalMs: 100, qos: 1 }, {
          sensor: { read: () => (degrees += 0.5) },
          network: { up: true, onChange() { /* always up */ } },
          clock: {
            setTimer: (ms, callback) => platform.setTimer(ms, callback),
            clearTimer: (handle) => platform.clearTimer(handle),
            epochMs: () => Date.now(),
          },
          session,
        });
        const guard = platform.setTimer(10_000, () => reject(new Error(`timed out: ${JSON.stringify(app.stats)}`)));
        const watch = (): void => {
          if (app.stats.published < APP_READINGS) { platform.setTimer(50, watch); return; }
          context.note("app.device-heap.at-end", xsHost().deviceHeapBytes());
          context.note("app.published", app.stats.published);
          context.note("app.connects", app.stats.connects);
          platform.clearTimer(guard);
          app.stop();
          try {
            check(app.stats.connects === 1, `one connection, got ${app.stats.connects}`);
            resolve();
          } catch (e) { reject(e as Error); }
        };
        app.start();
        watch();
      });
    },
  },
];
