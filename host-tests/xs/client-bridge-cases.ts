// The full client (src/client MqttClient) on XS against a real mosquitto through the bridge: connect,
// subscribe, publish QoS 0/1/2 to its own subscription, receive all three, end. Once in the host's default
// heap, once inside a 32 KB ESP8266 heap with 512-byte buffers, and once with the default sizes (1024-byte
// buffers, the ESP32 firmware) under the same device-heap accounting, to measure what that configuration needs.
import { MqttClient } from "../../src/client/index";
import type { EngineConfig } from "../../src/engine/index";
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { DEFAULT_CONFIG_HEAP_LIMIT, ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { checkEqual, type CaseContext, type XsCase } from "./support/xs-case";
import { startHeapNotes, type HeapNotes } from "./heap-notes";

declare const brokerPort: number;

function ascii(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** A device heap to run in: its limit, the engine sizes, and the prefix of the notes it leaves. */
interface HeapRun {
  limit: number;
  engine: EngineConfig | undefined;
  clientId: string;
  notes: string;
  /** Measured device bytes once connected and done (what must fit); the case fails above it + 10 %. */
  ceiling?: number;
}

function clientCase(name: string, heap: HeapRun | undefined): XsCase {
  return {
    name,
    run(context: CaseContext) {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        const notes: HeapNotes | undefined = heap && startHeapNotes(context, heap.notes, heap.limit);
        const received: string[] = [];
        const completed: number[] = [];
        const guard = platform.setTimer(10_000, () => reject(new Error(`timed out; received ${JSON.stringify(received)}`)));
        const client = new MqttClient({
          platform,
          host: "127.0.0.1",
          port: brokerPort,
          clientId: heap ? heap.clientId : "xs-client",
          keepalive: 30,
          engine: heap?.engine,
        });
        const finish = (): void => {
          if (received.length < 3 || completed.length < 2) return;
          if (notes) {
            const used = notes.at("connected");
            if (heap?.ceiling !== undefined && used > heap.ceiling * 1.1) {
              reject(new Error(`connected client uses ${used} device bytes, measured ${heap.ceiling} (+10 % allowed)`));
            }
          }
          client.end();
        };
        client.on("error", (error) => reject(error));
        client.on("connect", () => { client.subscribe("xs/client/#", { qos: 2 }); });
        client.on("subscribed", (_token, codes) => {
          try { checkEqual(codes[0], 2, "granted QoS"); } catch (e) { reject(e as Error); return; }
          for (const qos of [0, 1, 2] as const) client.publish(`xs/client/q${qos}`, `hello qos ${qos}`, { qos });
        });
        client.on("publishDone", (_token, code) => { completed.push(code); finish(); });
        client.on("message", (topic, payload, packet) => { received.push(`${topic} ${packet.qos} ${ascii(payload)}`); finish(); });
        client.on("end", () => {
          platform.clearTimer(guard);
          try {
            checkEqual(JSON.stringify(received.sort()), JSON.stringify([
              "xs/client/q0 0 hello qos 0", "xs/client/q1 1 hello qos 1", "xs/client/q2 2 hello qos 2"]), "messages received");
            checkEqual(JSON.stringify(completed), JSON.stringify([0, 0]), "QoS 1 and 2 completion codes");
            // The client is closed and, once this handler returns, unreferenced.
            if (notes) notes.retainedAfterRelease(platform, resolve);
            else resolve();
          } catch (e) { reject(e as Error); }
        });
        client.connect();
      });
    },
  };
}

export const clientBridgeCases: XsCase[] = [
  clientCase("the MQTT.js-style client connects, subscribes, publishes QoS 0/1/2 and receives them back", undefined),
];
export const clientBridgeDeviceCases: XsCase[] = [
  clientCase("the client does the same inside a 32 KB ESP8266 heap with 512-byte buffers", {
    limit: 32768, engine: ESP8266_ENGINE_CONFIG, clientId: "xs-client-esp8266", notes: "client.device-heap",
  }),
];
/** Its own XS run: the device-heap figure counts the heap's growth, so it needs a fresh machine. */
export const clientBridgeDefaultCases: XsCase[] = [
  clientCase("the client does the same with the default 1024-byte buffers (ESP32), within 10 % of its measured heap", {
    limit: DEFAULT_CONFIG_HEAP_LIMIT, engine: undefined, clientId: "xs-client-default", notes: "client.default.device-heap", ceiling: 26280,
  }),
];
