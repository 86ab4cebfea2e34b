// One simulated device on the XS engine over its whole life: each run is an xs-host process (tools/sim/
// xs-device.ts) with the TCP connection relayed by the bridge. A plain device runs once, until stopped. A
// device that sleeps ends each wake itself ("@sleep"), and the next wake is a new process after the sleep,
// with nothing kept but its flash file. With power cuts, runs are also ended at random: either a SIGKILL at
// a random moment, or a cut at a random flash step (XS_HOST_FLASH_CUT: in the middle of a store write or
// erase, tools/xs/host.c); the power comes back after a moment and the device boots again.
// Used by the simulator (--sleep, --power-cuts) and by make soak-power.
import { spawn, type ChildProcess } from "node:child_process";
import { unlinkSync } from "node:fs";
import { createInterface } from "node:readline";
import { attachBridge } from "../xs/bridge/node-bridge";
import { wrapWithGlobals, XS_HOST } from "../xs/run";
import { ACCEPTED_LINE, READY_LINE, REFUSED_LINE, SLEEP_LINE, STORE_LINE, WIFI_DROPPED, type XsDeviceSettings } from "./xs-device-settings";

export interface PowerCutPlan {
  /** Chance that a run is cut (a wake of a sleeping device; every run of one that stays awake). */
  probability: number;
  /** Of the cuts, the share aimed at a flash step (inside a store write or erase) rather than a moment. */
  flashShare: number;
  /** How long the power stays off before the device boots again. */
  offMs: number;
  /** A device that stays awake is cut at most this long after it booted. */
  longestRunMs: number;
}

/** How one wake ended, from its "@sleep" line. */
export interface WakeReport {
  sleepMs: number;
  awakeMs: number;
  /** Messages still kept in the store when it went to sleep. */
  kept: number;
  bytesWritten: number;
  erases: number;
}

export interface DeviceLifeEvents {
  /** A log line of the device's (not one of the parent's protocol lines). */
  line?(line: string): void;
  accepted?(timestamp: number): void;
  refused?(timestamp: number): void;
  /** The store opened holding `kept` messages (a torn last entry dropped, when `torn`). */
  booted?(kept: number, torn: boolean): void;
  slept?(report: WakeReport): void;
  /** The power was cut: "flash write" / "flash erase" (inside the store), or "moment" (anywhere). */
  powerCut?(where: string): void;
  /** The engine stopped by itself, not by a cut or a sleep (a failure). */
  crashed?(description: string): void;
}

export interface DeviceLifeStats {
  /** Readings the device's session took (stored) and refused (full). */
  accepted: number;
  refused: number;
  runs: number;
  wakes: number;
  cuts: number;
  cutsInFlash: number;
  crashes: number;
  drops: number;
  awakeMs: number;
  bytesWritten: number;
  erases: number;
}

export class XsDeviceLife {
  readonly stats: DeviceLifeStats = { accepted: 0, refused: 0, runs: 0, wakes: 0, cuts: 0, cutsInFlash: 0, crashes: 0, drops: 0, awakeMs: 0, bytesWritten: 0, erases: 0 };
  /** False once power cuts are switched off (cutsOff()): the device runs to completion. */
  private cutting: boolean;
  private child: ChildProcess | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private exited: Promise<void> = Promise.resolve();
  /** Flash steps (bytes written + blocks erased) and ms a clean wake took, averaged: where cuts are aimed. */
  private stepsPerWake = 400;
  private msPerRun = 1500;

  constructor(
    private readonly bundle: string,
    private readonly settings: XsDeviceSettings,
    private readonly cuts: PowerCutPlan | undefined,
    private readonly events: DeviceLifeEvents,
    private readonly random: () => number = Math.random,
  ) {
    this.cutting = cuts !== undefined;
  }

  start(): void {
    this.boot();
  }

  /** No more power cuts from now on. */
  cutsOff(): void {
    this.cutting = false;
  }

  /** Like pulling a board's power for good: the broker publishes the device's will, if it has one. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.child !== undefined) kill(this.child);
    await this.exited;
  }

  private boot(): void {
    if (this.stopped) return;
    const run = this.stats.runs++;
    const plan = this.planCut();
    const wrapper = wrapWithGlobals(this.bundle, { simDevice: JSON.stringify({ ...this.settings, seed: (this.settings.seed + run * 7919) >>> 0 }) });
    const child = spawn(XS_HOST, [wrapper], {
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
      env: plan.flashStep === undefined ? process.env : { ...process.env, XS_HOST_FLASH_CUT: String(plan.flashStep) },
    });
    this.child = child;
    attachBridge(child);
    const startedAt = Date.now();
    let wake: WakeReport | undefined;
    let stderr = "";
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const report = this.onLine(line);
      if (report !== undefined) wake = report;
    });
    child.stderr!.setEncoding("utf8").on("data", (s: string) => { stderr += s; });
    const killer = plan.atMs === undefined ? undefined : setTimeout(() => kill(child), plan.atMs);
    this.exited = new Promise((resolve) => child.on("close", (status, signal) => {
      if (killer !== undefined) clearTimeout(killer);
      unlinkSync(wrapper);
      this.child = undefined;
      this.ended(status, signal, stderr, wake, Date.now() - startedAt);
      resolve();
    }));
  }

  // A sleeping device is cut in some wakes; one that stays awake in every run, by longestRunMs at the latest.
  private planCut(): { flashStep?: number; atMs?: number } {
    const cuts = this.cuts;
    const sleeps = (this.settings.sleepMs ?? 0) > 0;
    if (!this.cutting || cuts === undefined || (sleeps && this.random() >= cuts.probability)) return {};
    const atMs = Math.floor(this.random() * (sleeps ? this.msPerRun : cuts.longestRunMs));
    if (this.random() >= cuts.flashShare) return { atMs };
    // Aimed at a flash step; a device that stays awake is still cut at a moment if it never gets there.
    return { flashStep: Math.floor(this.random() * this.stepsPerWake), ...(sleeps ? {} : { atMs: cuts.longestRunMs }) };
  }

  private onLine(line: string): WakeReport | undefined {
    const [word, ...values] = line.split(" ");
    const numbers = values.map(Number);
    switch (word) {
      case ACCEPTED_LINE: this.stats.accepted++; this.events.accepted?.(numbers[0]!); return undefined;
      case REFUSED_LINE: this.stats.refused++; this.events.refused?.(numbers[0]!); return undefined;
      case STORE_LINE: this.events.booted?.(numbers[0]!, numbers[1] === 1); return undefined;
      case SLEEP_LINE: return { sleepMs: numbers[0]!, awakeMs: numbers[1]!, kept: numbers[2]!, bytesWritten: numbers[3]!, erases: numbers[4]! };
      default:
        if (line === WIFI_DROPPED) this.stats.drops++;
        if (line !== READY_LINE) this.events.line?.(line);
        return undefined;
    }
  }

  private ended(status: number | null, signal: NodeJS.Signals | null, stderr: string, wake: WakeReport | undefined, ms: number): void {
    if (this.stopped) return;
    if (wake !== undefined && status === 0) {
      this.stats.wakes++;
      this.stats.awakeMs += wake.awakeMs;
      this.stats.bytesWritten += wake.bytesWritten;
      this.stats.erases += wake.erases;
      this.stepsPerWake = Math.max(50, Math.round(0.8 * this.stepsPerWake + 0.2 * (wake.bytesWritten + wake.erases)));
      this.msPerRun = Math.round(0.8 * this.msPerRun + 0.2 * ms);
      this.events.slept?.(wake);
      this.timer = setTimeout(() => this.boot(), wake.sleepMs);
      return;
    }
    if (signal === "SIGKILL") {
      const inFlash = /power cut in a flash (write|erase)/.exec(stderr);
      this.stats.cuts++;
      if (inFlash) this.stats.cutsInFlash++;
      this.events.powerCut?.(inFlash ? `flash ${inFlash[1]}` : "moment");
      this.timer = setTimeout(() => this.boot(), this.cuts?.offMs ?? 0);
      return;
    }
    this.stats.crashes++;
    this.events.crashed?.(`the XS engine stopped (exit ${status ?? signal}) ${stderr.trim()}`);
  }
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
