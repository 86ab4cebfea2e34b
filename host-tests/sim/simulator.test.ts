// The simulator end to end against a real mosquitto: devices running the app publish through our Node
// transport and engine, and the simulator's own subscriber (also ours) receives the readings.
import { afterEach, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { startSimulation, type Simulation } from "../../tools/sim/simulator";
import type { SimOptions } from "../../tools/sim/options";
import type { Arrival } from "../../tools/sim/subscriber";

const brokers: Mosquitto[] = [];
const sims: Simulation[] = [];

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

function options(overrides: Partial<SimOptions>): SimOptions {
  return { devices: 3, intervalMs: 100, qos: 1, tls: false, dropMs: 0, protocolVersion: 5, readings: 9, quiet: true, engine: "node", ...overrides };
}

async function simulate(o: SimOptions, onArrival?: (a: Arrival) => void): Promise<{ sim: Simulation; arrivals: Arrival[] }> {
  const arrivals: Arrival[] = [];
  const sim = await startSimulation(o, { onArrival: (a) => { arrivals.push(a); onArrival?.(a); } });
  sims.push(sim);
  return { sim, arrivals };
}

function readingsOf(arrivals: Arrival[]) {
  return arrivals.filter((a) => a.kind === "temperature" && !a.retained);
}

describe("host simulator", () => {
  it("delivers JSON readings from every device to the subscriber, as MQTT 5 with content type", async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    // Devices join their Wi-Fi at random moments: wait until each has delivered two readings.
    let everyone!: () => void;
    const allDelivered = new Promise<void>((resolve) => (everyone = resolve));
    const perDevice = new Map<string, number>();
    const { arrivals } = await simulate(options({ url: broker.url, readings: 0 }), (a) => {
      if (a.kind !== "temperature" || a.retained) return;
      perDevice.set(a.deviceId, (perDevice.get(a.deviceId) ?? 0) + 1);
      if (perDevice.size === 3 && [...perDevice.values()].every((n) => n >= 2)) everyone();
    });
    await allDelivered;
    const readings = readingsOf(arrivals);
    expect(new Set(readings.map((r) => r.deviceId))).toEqual(new Set(["sim-1", "sim-2", "sim-3"]));
    for (const r of readings) {
      const json = JSON.parse(r.text) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(["value", "unit", "timestamp"]);
      expect(json.value).toBeTypeOf("number");
      expect(json.value as number).toBeGreaterThan(10);
      expect(json.value as number).toBeLessThan(30);
      expect(r.contentType).toBe("application/json");
    }
    const online = arrivals.filter((a) => a.kind === "status" && a.text === "online").map((a) => a.deviceId);
    expect(new Set(online)).toEqual(new Set(["sim-1", "sim-2", "sim-3"]));
  });

  it("starts its own broker with TLS when no URL is given, and speaks MQTT 3.1.1 on request", async () => {
    const { sim, arrivals } = await simulate(options({ tls: true, protocolVersion: 4, devices: 2, readings: 4 }));
    expect(sim.broker.description).toMatch(/^private mosquitto at mqtts:\/\/127\.0\.0\.1:\d+$/);
    await sim.done;
    const readings = readingsOf(arrivals);
    expect(readings.length).toBeGreaterThanOrEqual(4);
    // 3.1.1 carries no properties: no content type arrives.
    expect(readings.every((r) => r.contentType === undefined)).toBe(true);
  });

  it("runs over WebSocket: devices and subscriber on a ws:// URL (MQTT_URL=ws://...), or a private broker's wss listener", async () => {
    const broker = await startMosquitto({ websockets: true });
    brokers.push(broker);
    const overUrl = await simulate(options({ url: `ws://127.0.0.1:${broker.wsPort}`, devices: 2, readings: 4 }));
    expect(overUrl.sim.broker.transport).toMatchObject({ port: broker.wsPort, websocket: { path: "/mqtt" } });
    await overUrl.sim.done;
    expect(readingsOf(overUrl.arrivals).length).toBeGreaterThanOrEqual(4);
    const own = await simulate(options({ tls: true, websocket: true, devices: 2, readings: 4 }));
    expect(own.sim.broker.description).toMatch(/^private mosquitto at wss:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    await own.sim.done;
    expect(readingsOf(own.arrivals).length).toBeGreaterThanOrEqual(4);
  });

  it("announces a device offline through its will when its Wi-Fi drops, and it publishes again after rejoining", async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const seen = new Map<string, string[]>();
    let recovered!: (id: string) => void;
    const recovery = new Promise<string>((resolve) => (recovered = resolve));
    await simulate(options({ url: broker.url, dropMs: 500, readings: 0, devices: 2 }), (a) => {
      const events = seen.get(a.deviceId) ?? [];
      events.push(a.kind === "status" ? a.text : "reading");
      seen.set(a.deviceId, events);
      // reading, offline (the will), online again, reading: a full drop and recovery
      const text = events.join(" ");
      if (/reading.* offline.* online.* reading/.test(text)) recovered(a.deviceId);
    });
    const id = await recovery;
    expect(seen.get(id)).toContain("offline");
  }, 25_000);
});
