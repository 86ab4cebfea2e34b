// make soak-power (and, short, the XS tier): sleeping device apps on the XS engine with their sessions on the
// XS host's flash stand-in, against mosquitto with persistence, through random power cuts and deep-sleep
// cycles, half of the devices publishing QoS 1 readings and half QoS 2.
//
// Each wake is a new xs-host process (RAM lost) over the device's flash file; a share of the wakes is cut
// short, by SIGKILL at a random moment or at a random flash step, in the middle of a store write or erase
// (tools/sim/xs-device-life.ts). A reading counts as accepted when the device said its session took it (it
// is on flash then). Once `cuts` cuts happened the cuts stop, every device runs until a wake ends with
// nothing left in its store, and the subscriber (connected all along, QoS 2) must have received every
// accepted reading, and each QoS 2 reading once.
import { connect } from "../../src/platform/host/connect";
import type { MqttClient } from "../../src/client/mqtt-client";
import { payloadView } from "../../src/codec/index";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startMosquitto } from "../broker/mosquitto";
import { bundleForXs, ensureXsHost, ROOT } from "../xs/run";
import { XsDeviceLife, type PowerCutPlan } from "../sim/xs-device-life";
import type { XsDeviceSettings } from "../sim/xs-device-settings";

export interface PowerSoakOptions {
  /** Power cuts to make before the devices are let finish. */
  cuts: number;
  devices?: number;
  /** A line now and then (progress); none when absent. */
  log?: (line: string) => void;
}

export interface PowerSoakResult {
  cuts: number;
  cutsInFlash: number;
  accepted: number;
  /** Distinct readings the subscriber received. */
  delivered: number;
  /** Accepted readings that never arrived. */
  lost: number;
  /** Deliveries of a QoS 2 reading beyond its first. */
  qos2Duplicates: number;
  refused: number;
  wakes: number;
  crashes: string[];
  /** Over the wakes that ran to their sleep: flash bytes written and blocks erased per reading, ms awake per wake. */
  flashBytesPerReading: number;
  erasesPerReading: number;
  awakeMsPerWake: number;
  seconds: number;
}

/** The figure's line, exactly as make soak-power prints it last. */
export function resultLine(r: PowerSoakResult): string {
  return `power cuts: ${r.cuts}, readings accepted: ${r.accepted}, delivered: ${r.delivered}, lost: ${r.lost}, qos2 duplicates: ${r.qos2Duplicates}`;
}

export function passed(r: PowerSoakResult): boolean {
  return r.lost === 0 && r.qos2Duplicates === 0 && r.crashes.length === 0;
}

/** Cut at about every other wake, half of the cuts inside a flash write or erase; the power is back at once. */
const CUTS: PowerCutPlan = { probability: 0.5, flashShare: 0.5, offMs: 20, longestRunMs: 5000 };
const SLEEP_MS = 100;
/** A wake that cannot get its reading acknowledged in this time goes back to sleep with it on flash. */
const AWAKE_MS = 4000;
/** Once the cuts stop: how long the devices may take to empty their stores and the subscriber to hear it all. */
const DRAIN_MS = 60_000;

export async function runPowerSoak(o: PowerSoakOptions): Promise<PowerSoakResult> {
  const started = Date.now();
  ensureXsHost();
  const bundle = await bundleForXs("tools/sim/xs-device.ts");
  const flashDir = mkdtempSync(join(ROOT, "build/xs/soak-power-"));
  const broker = await startMosquitto({ persistence: true });
  const heard = new Map<string, number>();
  let subscriber: MqttClient | undefined;
  const lives: XsDeviceLife[] = [];
  try {
    subscriber = await subscribe(broker.url, heard);
    const devices = o.devices ?? 4;
    const accepted: string[][] = [];
    const qos = (i: number) => (i % 2 === 0 ? 1 : 2);
    const qos2Devices = new Set<string>();
    const drained: boolean[] = [];
    const crashes: string[] = [];
    let cutsMade = 0;
    for (let i = 0; i < devices; i++) {
      const id = `soak-${i + 1}`;
      const settings: XsDeviceSettings = {
        id, host: broker.host, port: broker.port, protocolVersion: 5, intervalMs: 1000, qos: qos(i), dropMs: 0,
        seed: (i + 1) * 104729, flashFile: join(flashDir, `${id}.flash`), sleepMs: SLEEP_MS, awakeMs: AWAKE_MS, joinDelayMs: 20,
      };
      if (qos(i) === 2) qos2Devices.add(id);
      accepted.push([]);
      drained.push(false);
      const life: XsDeviceLife = new XsDeviceLife(bundle, settings, CUTS, {
        accepted: (timestamp) => accepted[i]!.push(`${id} ${timestamp}`),
        powerCut: () => {
          if (++cutsMade === o.cuts) for (const l of lives) l.cutsOff();
          if (cutsMade % 100 === 0) o.log?.(`power cuts: ${cutsMade} of ${o.cuts}, readings accepted: ${accepted.flat().length}, received: ${heard.size}`);
        },
        // Once the cuts are over, a wake that leaves nothing on flash is the device's last.
        slept: (wake) => {
          if (cutsMade >= o.cuts && wake.kept === 0 && !drained[i]) {
            drained[i] = true;
            void life.stop();
          }
        },
        crashed: (description) => crashes.push(`${id}: ${description}`),
      });
      lives.push(life);
      life.start();
    }
    const limit = started + 3000 * o.cuts + 120_000;
    while (cutsMade < o.cuts && crashes.length === 0 && Date.now() < limit) await delay(100);
    if (cutsMade < o.cuts) crashes.push(`only ${cutsMade} of ${o.cuts} power cuts in ${Math.round((Date.now() - started) / 1000)} s`);
    const drainLimit = Date.now() + DRAIN_MS;
    const all = () => accepted.flat();
    while (Date.now() < drainLimit && crashes.length === 0 && (drained.includes(false) || all().some((r) => !heard.has(r)))) await delay(100);
    if (drained.includes(false)) crashes.push(`devices still holding messages ${DRAIN_MS / 1000} s after the last cut: ${drained.flatMap((d, i) => (d ? [] : [`soak-${i + 1}`])).join(", ")}`);
    await Promise.all(lives.map((l) => l.stop()));
    const acceptedAll = all();
    const qos2Duplicates = [...heard].filter(([reading]) => qos2Devices.has(reading.split(" ")[0]!)).reduce((n, [, count]) => n + count - 1, 0);
    const sum = (pick: (l: XsDeviceLife) => number) => lives.reduce((n, l) => n + pick(l), 0);
    const wakes = sum((l) => l.stats.wakes);
    return {
      cuts: sum((l) => l.stats.cuts),
      cutsInFlash: sum((l) => l.stats.cutsInFlash),
      accepted: acceptedAll.length,
      delivered: heard.size,
      lost: acceptedAll.filter((r) => !heard.has(r)).length,
      qos2Duplicates,
      refused: sum((l) => l.stats.refused),
      wakes,
      crashes,
      flashBytesPerReading: Math.round(sum((l) => l.stats.bytesWritten) / Math.max(1, wakes)),
      erasesPerReading: Math.round((sum((l) => l.stats.erases) / Math.max(1, wakes)) * 1000) / 1000,
      awakeMsPerWake: Math.round(sum((l) => l.stats.awakeMs) / Math.max(1, wakes)),
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await Promise.all(lives.map((l) => l.stop()));
    subscriber?.end();
    await broker.close();
    rmSync(flashDir, { recursive: true, force: true });
  }
}

// Counts every reading received, by "<device> <timestamp>"; retained ones (an earlier run's last) aside.
async function subscribe(url: string, heard: Map<string, number>): Promise<MqttClient> {
  const client = connect(url, { clientId: `soak-power-subscriber-${process.pid}`, clean: true, engine: { receiveBufferSize: 4096, maxInflight: 64 } });
  const decoder = new TextDecoder();
  client.on("message", (topic, _payload, packet) => {
    if (packet.retain) return;
    const device = topic.split("/")[1]!;
    const { timestamp } = JSON.parse(decoder.decode(payloadView(packet))) as { timestamp: number };
    const key = `${device} ${timestamp}`;
    heard.set(key, (heard.get(key) ?? 0) + 1);
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  await new Promise<void>((resolve) => {
    client.once("subscribed", () => resolve());
    client.subscribe("devices/+/sensors/temperature", { qos: 2 });
  });
  return client;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
