// One run of the firmware in mcsim: a private mosquitto on the port the lin build was configured with, a
// watcher subscribed to devices/#, and the device with its xsbug stand-in. Each scenario gets a fresh run.
import { rmSync } from "node:fs";
import { startMosquitto, type Mosquitto } from "../broker/mosquitto";
import { SimulatedDevice, sleep } from "./device";
import { Watcher } from "./watcher";
import type { XsbugStandIn } from "./xsbug";

export interface Firmware {
  mcsim: string;
  app: string;
  /** mc/config port of the build: the broker listens there. */
  port: number;
  /** The build connects over WebSocket (mc/config websocket=true) to that port. */
  websocket: boolean;
  /** mc/config interval of the build, ms between readings. */
  intervalMs: number;
  /** creation.stack of targets/lin, in slots. */
  stackSlots: number;
  /** mc/config storeFile of the build: the file that holds the device's session (its "flash"). */
  storeFile: string;
}

export class DeviceRun {
  private constructor(
    readonly broker: Mosquitto,
    readonly watcher: Watcher,
    public device: SimulatedDevice,
    private readonly firmware: Firmware,
  ) {}

  /** A fresh broker, watcher and device; the device starts with an empty session store (its file removed). */
  static async start(firmware: Firmware, options: { persistence?: boolean } = {}): Promise<DeviceRun> {
    const persistence = options.persistence ?? false;
    rmSync(firmware.storeFile, { force: true });
    const listener = firmware.websocket ? { websockets: true, wsPort: firmware.port } : { port: firmware.port };
    const broker = await startMosquitto({ ...listener, persistence });
    try {
      const watcher = await Watcher.start(broker.url);
      const device = await SimulatedDevice.start(firmware.mcsim, firmware.app);
      return new DeviceRun(broker, watcher, device, firmware);
    } catch (error) {
      await broker.close();
      throw error;
    }
  }

  get xsbug(): XsbugStandIn {
    return this.device.xsbug;
  }

  /** Waits until `done()` holds, checking every 100 ms; false after `timeoutMs`, or at once if the engine failed. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      if (performance.now() > deadline || this.engineFailures().length > 0) return false;
      await sleep(100);
    }
    return true;
  }

  /** Lets the device run for `ms`, or until the engine fails. */
  async runFor(ms: number): Promise<void> {
    await this.until(() => false, ms);
  }

  /** Kills the device without a DISCONNECT and gives the broker time to publish its will. */
  async powerOff(): Promise<void> {
    this.device.kill();
    await this.until(() => this.watcher.status.at(-1) === "offline", 5000);
  }

  /** Pulls the plug in the middle of the run (no DISCONNECT, nothing saved beyond what is on "flash"). */
  cutPower(): void {
    this.device.kill();
  }

  /** Powers the device up again: a new mcsim (and xsbug stand-in) over the same store file. */
  async powerOn(): Promise<void> {
    this.device = await SimulatedDevice.start(this.firmware.mcsim, this.firmware.app);
  }

  async close(): Promise<void> {
    this.device.kill();
    await this.watcher.stop();
    await this.broker.close();
  }

  /** What the engine reported going wrong: aborts (stack overflow, memory full), exceptions, stops. */
  engineFailures(): string[] {
    const log = this.xsbug.log.map((line) => line.text).filter((text) => /XS abort|exception/i.test(text));
    return [...log, ...this.xsbug.unexpectedBreaks.map((reason) => `stopped: ${reason}`)];
  }
}
