// `make sim ENGINE=xs`: the simulator's device app running inside XS engines (one xs-host process per
// device, TCP through the bridge) against a real mosquitto, watched by the simulator's subscriber on Node.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { startSimulation, type Simulation } from "../../tools/sim/simulator";
import type { SimOptions } from "../../tools/sim/options";
import type { Arrival } from "../../tools/sim/subscriber";
import { ensureXsHost } from "../../tools/xs/run";

const brokers: Mosquitto[] = [];
const sims: Simulation[] = [];

beforeAll(() => ensureXsHost(), 120_000);
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

function options(overrides: Partial<SimOptions>): SimOptions {
  return { devices: 2, intervalMs: 100, qos: 1, tls: false, dropMs: 0, protocolVersion: 5, readings: 0, quiet: true, engine: "xs", ...overrides };
}

/** Runs the simulation until `enough` says so; returns every arrival and the simulator's log lines. */
async function simulateUntil(o: SimOptions, enough: (arrivals: Arrival[]) => boolean) {
  const broker = await startMosquitto();
  brokers.push(broker);
  const arrivals: Arrival[] = [];
  const log: string[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const sim = await startSimulation({ ...o, url: broker.url }, {
    log: (line) => log.push(line),
    onArrival: (a) => { arrivals.push(a); if (enough(arrivals)) finished(); },
  });
  sims.push(sim);
  await done;
  return { sim, arrivals, log };
}

const liveReadings = (arrivals: Arrival[], id?: string) =>
  arrivals.filter((a) => a.kind === "temperature" && !a.retained && (id === undefined || a.deviceId === id));

describe("host simulator with ENGINE=xs", () => {
  it("runs each device app in its own XS engine and delivers their JSON readings with content type", async () => {
    const { sim, arrivals, log } = await simulateUntil(options({}), (a) =>
      ["sim-1", "sim-2"].every((id) => liveReadings(a, id).length >= 3));
    expect(sim.devices.map((d) => d.engine)).toEqual(["xs", "xs"]);
    const online = arrivals.filter((a) => a.kind === "status" && a.text === "online").map((a) => a.deviceId);
    expect(new Set(online)).toEqual(new Set(["sim-1", "sim-2"]));
    for (const r of liveReadings(arrivals)) {
      const json = JSON.parse(r.text) as { value: number; unit: string; timestamp: number };
      expect(Object.keys(json)).toEqual(["value", "unit", "timestamp"]);
      expect(json.value).toBeGreaterThan(10);
      expect(json.value).toBeLessThan(30);
      expect(r.contentType).toBe("application/json");
    }
    // Seeded per device: two engines do not produce the same sensor series.
    const series = (id: string) => liveReadings(arrivals, id).slice(0, 3).map((r) => r.text.slice(0, 16)).join();
    expect(series("sim-1")).not.toBe(series("sim-2"));
    expect(log.filter((l) => l.includes("XS engine stopped"))).toEqual([]);
  }, 30_000);

  it("announces an XS device offline through its will when its Wi-Fi drops, and it publishes again after rejoining", async () => {
    const pattern = /reading.* offline.* online.* reading/;
    const story = (arrivals: Arrival[], id: string) =>
      arrivals.filter((a) => a.deviceId === id && !a.retained).map((a) => (a.kind === "status" ? a.text : "reading")).join(" ");
    const { sim, arrivals } = await simulateUntil(options({ dropMs: 500, devices: 1 }), (a) => pattern.test(story(a, "sim-1")));
    expect(story(arrivals, "sim-1")).toMatch(pattern);
    expect(sim.devices[0]!.drops).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("refuses TLS with a message that says why, since the XS bridge relays plain TCP", async () => {
    await expect(startSimulation(options({ tls: true }))).rejects.toThrow(/ENGINE=xs.*plain TCP/);
  }, 30_000);

  it("with --sleep, runs each wake as a new XS process that keeps only its flash file: a reading per wake, awake time and flash traffic reported", async () => {
    const lines: string[] = [];
    const { sim, log } = await simulateUntil(options({ devices: 1, sleepMs: 300 }), (a) => liveReadings(a, "sim-1").length >= 3);
    lines.push(...log);
    const life = sim.devices[0]!.life!;
    expect(life.wakes).toBeGreaterThanOrEqual(2);
    expect(life.runs).toBeGreaterThanOrEqual(3);
    expect(life.awakeMs).toBeGreaterThan(0);
    expect(life.bytesWritten).toBeGreaterThan(0);
    // Every wake after the first starts from the flash the last one left.
    expect(lines.filter((l) => /sim-1 \(XS\): booted: \d+ messages kept on flash/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => /asleep for 300 ms after \d+ ms awake/.test(l)).length).toBe(life.wakes);
    expect(lines.filter((l) => l.includes("XS engine stopped"))).toEqual([]);
  }, 60_000);

  it("with --power-cuts, cuts sleeping devices at random moments and inside store writes, and they boot again and go on publishing", async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const arrivals: Arrival[] = [];
    const sim = await startSimulation({ ...options({ devices: 2, sleepMs: 100, powerCuts: true }), url: broker.url }, {
      onArrival: (a) => arrivals.push(a),
    });
    sims.push(sim);
    const total = (pick: (life: NonNullable<(typeof sim.devices)[number]["life"]>) => number) => sim.devices.reduce((n, d) => n + (d.life ? pick(d.life) : 0), 0);
    for (let waited = 0; waited < 45_000 && total((l) => l.cutsInFlash) < 2; waited += 200) await delay(200);
    expect(total((l) => l.cutsInFlash)).toBeGreaterThanOrEqual(2);
    expect(total((l) => l.cuts)).toBeGreaterThan(total((l) => l.cutsInFlash) - 1);
    const before = liveReadings(arrivals).length;
    for (let waited = 0; waited < 20_000 && liveReadings(arrivals).length < before + 2; waited += 200) await delay(200);
    expect(liveReadings(arrivals).length).toBeGreaterThanOrEqual(before + 2);
    expect(total((l) => l.crashes)).toBe(0);
  }, 90_000);
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
