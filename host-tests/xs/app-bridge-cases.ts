// The device app (src/app) on XS: the same TemperatureApp the firmware runs, over ClientSession (the public
// MqttClient) and the bridge platform, publishing to a real mosquitto: with the ESP8266 sizes and with the
// default sizes (1024-byte buffers, the ESP32 firmware), both under the ESP8266 device-heap accounting.
import { ClientSession, TemperatureApp } from "../../src/app/index";
import type { Platform } from "../../src/client/transport";
import type { EngineConfig } from "../../src/engine/index";
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { DEFAULT_CONFIG_HEAP_LIMIT, ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { startHeapNotes } from "./heap-notes";
import { check, type XsCase } from "./support/xs-case";

declare const brokerPort: number;

export const APP_DEVICE_ID = "xs-esp8266-1";
export const APP_READINGS = 5;

/**
 * True once the bridge has no open connection (after the app's stop(), its client's DISCONNECT and close).
 * Module-level on purpose: a closure made inside the case would keep the app alive (see heap-notes.ts).
 */
function bridgeClosed(platform: Platform): boolean {
  return (platform as unknown as { current: unknown }).current === null;
}

interface AppRun {
  name: string;
  deviceId: string;
  limit: number;
  engine: EngineConfig | undefined;
  notes: string;
  /** Measured device bytes after the readings; the case fails above it + 10 %. */
  ceiling?: number;
}

function appCase(run: AppRun): XsCase {
  return {
    name: run.name,
    run(context) {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        const notes = startHeapNotes(context, run.notes, run.limit);
        let degrees = 20;
        const session = new ClientSession({
          platform,
          broker: { host: "127.0.0.1", port: brokerPort },
          engine: run.engine,
          keepAlive: 30,
        });
        // 300 ms between readings: a reading's PUBACK is back before the next one even on a busy machine, as on a
        // device (5 s); at 100 ms they overlapped under load and the heap figure moved by about 1 KB.
        const app = new TemperatureApp({ deviceId: run.deviceId, intervalMs: 300, qos: 1 }, {
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
          const used = notes.at("at-end");
          context.note(`${run.notes}.published`, app.stats.published);
          context.note(`${run.notes}.connects`, app.stats.connects);
          platform.clearTimer(guard);
          try {
            check(app.stats.connects === 1, `one connection, got ${app.stats.connects}`);
            if (run.ceiling !== undefined) check(used <= run.ceiling * 1.1, `app uses ${used} device bytes, measured ${run.ceiling} (+10 % allowed)`);
          } catch (e) { reject(e as Error); }
          app.stop();
          // Once the connection has closed the app is unreferenced, and what it kept can be counted.
          notes.retainedAfterRelease(platform, resolve, bridgeClosed);
        };
        app.start();
        watch();
      });
    },
  };
}

/** The ESP8266's static VM block (Moddable's `creation.static`): the app must run inside it. */
export const ESP8266_HEAP = 32768;

// With the ESP8266 sizes the app grows the heap to 22,848-23,384 device bytes by its fifth reading (31,232
// before issue 17's footprint work), the esp8266 target's 384-slot stack included (Moddable's engine needs more than the default 256 for the app: measured
// in its simulator), when it has the machine to itself; a busy machine overlaps its readings and
// acknowledgements more and adds up to about 1 KB. See docs/MEASUREMENTS.md, "Memory and cost on XS".
export const appBridgeCases: XsCase[] = [appCase({
  name: `runs the temperature app inside the ESP8266's 32 KB heap with its sizes, within 10 % of its measured heap, and publishes ${APP_READINGS} readings to mosquitto`,
  deviceId: APP_DEVICE_ID, limit: ESP8266_HEAP, engine: ESP8266_ENGINE_CONFIG, notes: "app.device-heap", ceiling: 23384,
})];

/** Its own XS run: the device-heap figure counts the heap's growth, so it needs a fresh machine. */
export const appBridgeDefaultCases: XsCase[] = [appCase({
  name: `runs the temperature app with the default 1024-byte buffers (ESP32) within 10 % of its measured heap and publishes ${APP_READINGS} readings`,
  deviceId: "xs-default-1", limit: DEFAULT_CONFIG_HEAP_LIMIT, engine: undefined, notes: "app.default.device-heap", ceiling: 30016,
})];
