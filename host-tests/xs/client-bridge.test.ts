// The full client on the XS engine against a real mosquitto, through the bridge (Node owns the socket).
import { afterAll, beforeAll, describe } from "vitest";
import { attachBridge } from "../../tools/xs/bridge/node-bridge";
import { Mosquitto } from "../support/mosquitto";
import { clientBridgeCases, clientBridgeDeviceCases } from "./client-bridge-cases";
import { xsSuite } from "./support/xs-suite";

let broker: Mosquitto;
beforeAll(async () => { broker = await Mosquitto.start(); }, 60_000);
afterAll(async () => { await broker?.close(); });

const bridged = (deviceHeap: boolean) => () => ({
  deviceHeap,
  withChannel: true,
  globals: { brokerPort: broker.port },
  onSpawn: (child: Parameters<typeof attachBridge>[0]) => { attachBridge(child); },
});

describe("MQTT client on XS against mosquitto through the bridge", () => {
  xsSuite("host-tests/xs/entries/client-bridge.ts", clientBridgeCases, bridged(false));
});

describe("MQTT client on XS in an ESP8266 heap against mosquitto through the bridge", () => {
  xsSuite("host-tests/xs/entries/client-bridge-device.ts", clientBridgeDeviceCases, bridged(true));
});
