// The bridge: code on XS talks to a real mosquitto through the host's channel and a Node-owned socket.
import { afterAll, beforeAll, describe } from "vitest";
import { attachBridge } from "../../tools/xs/bridge/node-bridge";
import { Mosquitto } from "../support/mosquitto";
import { bridgeRawCases } from "./bridge-raw-cases";
import { engineBridgeCases, engineBridgeDeviceCases } from "./engine-bridge-cases";
import { xsSuite } from "./support/xs-suite";

let broker: Mosquitto;
beforeAll(async () => { broker = await Mosquitto.start(); }, 60_000);
afterAll(async () => { await broker?.close(); });

describe("XS bridge with hand-built packets", () => {
  xsSuite("host-tests/xs/entries/bridge-raw.ts", bridgeRawCases, () => ({
    withChannel: true,
    globals: { brokerPort: broker.port },
    onSpawn: (child) => { attachBridge(child); },
  }));
});

describe("MQTT engine on XS against mosquitto through the bridge", () => {
  xsSuite("host-tests/xs/entries/engine-bridge.ts", engineBridgeCases, () => ({
    withChannel: true,
    globals: { brokerPort: broker.port },
    onSpawn: (child) => { attachBridge(child); },
  }));
});

describe("MQTT engine on XS in an ESP8266 heap against mosquitto through the bridge", () => {
  xsSuite("host-tests/xs/entries/engine-bridge-device.ts", engineBridgeDeviceCases, () => ({
    deviceHeap: true,
    withChannel: true,
    globals: { brokerPort: broker.port },
    onSpawn: (child) => { attachBridge(child); },
  }));
});
