// The firmware running in the SDK's simulator: mcsim loads the lin build's mc.so and connects to an xsbug
// stand-in. Headless machines get a virtual display from xvfb-run.
import { spawn, type ChildProcess } from "node:child_process";
import { XsbugStandIn } from "./xsbug";

export class SimulatedDevice {
  private constructor(
    private readonly child: ChildProcess,
    readonly xsbug: XsbugStandIn,
  ) {}

  static async start(mcsim: string, app: string): Promise<SimulatedDevice> {
    const xsbug = await XsbugStandIn.listen();
    const command = process.env.DISPLAY ? [mcsim, app] : ["xvfb-run", "-a", mcsim, app];
    // Its own process group: xvfb-run leaves mcsim (and Xvfb) running when only it is signalled.
    const child = spawn(command[0]!, command.slice(1), {
      stdio: "ignore",
      detached: true,
      env: { ...process.env, XSBUG_HOST: "127.0.0.1", XSBUG_PORT: String(xsbug.port) },
    });
    return new SimulatedDevice(child, xsbug);
  }

  /** Pulls the plug: no DISCONNECT is sent, so the broker publishes the device's will. */
  kill(): void {
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    this.xsbug.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
