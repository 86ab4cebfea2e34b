// The bridge: code on XS talks to a real mosquitto through the host's channel and a Node-owned socket.
import { afterAll, beforeAll, describe } from "vitest";
import { attachBridge } from "../../tools/xs/bridge/node-bridge";
import { Mosquitto } from "../support/mosquitto";
import { bridgeRawCases } from "./bridge-raw-cases";
import { engineBridgeCases, engineBridgeDeviceCases } from "./engine-bridge-cases";
import { APP_DEVICE_ID, APP_READINGS, appBridgeCases } from "./app-bridge-cases";
import mqtt from "mqtt";
import { expect, it } from "vitest";
import { temperatureTopic, statusTopic } from "../../src/app/index";
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

describe("the device app on XS with the ESP8266 sizes, publishing to mosquitto through the bridge", () => {
  const seen: { topic: string; payload: string; retain: boolean }[] = [];
  let subscriber: mqtt.MqttClient | undefined;
  beforeAll(async () => {
    subscriber = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "xs-app-watcher" });
    subscriber.on("message", (topic, payload, packet) => { seen.push({ topic, payload: payload.toString(), retain: packet.retain }); });
    await subscriber.subscribeAsync([temperatureTopic(APP_DEVICE_ID), statusTopic(APP_DEVICE_ID)], { qos: 1 });
  });
  afterAll(async () => { await subscriber?.endAsync(); });
  const app = xsSuite("host-tests/xs/entries/app-bridge.ts", appBridgeCases, () => ({
    deviceHeap: true,
    withChannel: true,
    globals: { brokerPort: broker.port },
    onSpawn: (child) => { attachBridge(child); },
  }));
  // The app case runs inside the 32 KB block (growth past it is refused: "memory full"). What the app keeps
  // (live after collections) plus the stack fits it too, and the growth figure charges at least that much.
  it("keeps less than the ESP8266's 32 KB block, stack included, and grows the heap to no less than that", () => {
    const notes = app.result().notes;
    const grown = notes.get("app.device-heap.at-end");
    const kept = notes.get("app.device-heap.at-end.retained-bytes");
    expect(grown, `no at-end note among ${[...notes.keys()].join(", ")}`).toBeDefined();
    expect(kept, `no retained-bytes note among ${[...notes.keys()].join(", ")}`).toBeDefined();
    expect(kept! + 384 * 16).toBeLessThanOrEqual(32768); // the esp8266 target's 384-slot stack
    expect(kept! + 371 * 16).toBeLessThanOrEqual(grown!);
    expect(kept!).toBeGreaterThan(10_000); // a real measurement, not an empty one
  });
  it("delivers the app's readings and its online status to a Node subscriber", async () => {
    await expect.poll(() => seen.filter((m) => m.topic === temperatureTopic(APP_DEVICE_ID)).length).toBeGreaterThanOrEqual(APP_READINGS);
    const readings = seen.filter((m) => m.topic === temperatureTopic(APP_DEVICE_ID));
    for (const r of readings) expect(() => JSON.parse(r.payload) as unknown).not.toThrow();
    expect(seen.some((m) => m.topic === statusTopic(APP_DEVICE_ID) && m.payload === "online")).toBe(true);
  });
});
