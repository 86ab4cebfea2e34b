// The full client and the device app on XS with the default sizes (1024-byte buffers, what the ESP32
// firmware uses), against mosquitto through the bridge, under the same device-heap accounting as the
// ESP8266 runs (client-bridge.test.ts, bridge.test.ts), so that bench:xs and the README can compare the two.
// Each runs in a fresh XS machine: the device-heap figure counts the heap's growth from the start.
import { afterAll, beforeAll, describe } from "vitest";
import { attachBridge } from "../../tools/xs/bridge/node-bridge";
import { Mosquitto } from "../support/mosquitto";
import { appBridgeDefaultCases } from "./app-bridge-cases";
import { clientBridgeDefaultCases } from "./client-bridge-cases";
import { xsSuite } from "./support/xs-suite";

let broker: Mosquitto;
beforeAll(async () => { broker = await Mosquitto.start(); }, 60_000);
afterAll(async () => { await broker?.close(); });

const bridged = () => ({
  deviceHeap: true,
  withChannel: true,
  globals: { brokerPort: broker.port },
  onSpawn: (child: Parameters<typeof attachBridge>[0]) => { attachBridge(child); },
});

describe("MQTT client on XS with the default 1024-byte buffers, heap measured, against mosquitto", () => {
  xsSuite("host-tests/xs/entries/client-bridge-default.ts", clientBridgeDefaultCases, bridged);
});

describe("the device app on XS with the default 1024-byte buffers, heap measured, publishing to mosquitto", () => {
  xsSuite("host-tests/xs/entries/app-bridge-default.ts", appBridgeDefaultCases, bridged);
});
