// `make sim` as a person runs it: the simulator as its own process (node --import tsx, as the Makefile runs
// it), with a broker it cannot reach or that refuses it, and stopped by SIGTERM, SIGHUP or the death of the
// process that started it. Each run gets its own TMPDIR, so "no temporary directory left" is checkable.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildXsHost, ROOT } from "../../tools/xs/run";
import { freePort, startMosquitto, type Mosquitto } from "../support/mosquitto";

const brokers: Mosquitto[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all(brokers.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface SimProcess {
  child: ChildProcess;
  tmp: string;
  readonly output: string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/** Starts `command` (default: the simulator) with its own TMPDIR; output is stdout and stderr together. */
function startSim(args: string[], command?: string[]): SimProcess {
  const tmp = mkdtempSync(join(tmpdir(), "mqtt5-xs-sim-process-"));
  dirs.push(tmp);
  const argv = command ?? ["node", "--import", "tsx", "tools/sim/main.ts", "--quiet", ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, MQTT_URL: "" }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    tmp,
    get output() { return output; },
    exited,
    waitFor: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/** Running (a zombie waiting for its new parent to reap it has ended: it is not). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0] !== "Z";
  } catch {
    return false;
  }
}

/** What the run left in its TMPDIR, less tsx's compile cache (tsx-<uid>, kept across runs by design). */
function leftIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith("tsx-"));
}

const countOf = (text: string, part: string) => text.split(part).length - 1;

describe("make sim as a process", () => {
  it("an unreachable broker: the banner, one line saying what failed and what to check, retries, and a summary on SIGTERM", async () => {
    const port = await freePort();
    const sim = startSim(["--url", `mqtt://127.0.0.1:${port}`]);
    await sim.waitFor(new RegExp(`broker mqtt://127\\.0\\.0\\.1:${port}\\. Ctrl-C stops\\.`));
    await sim.waitFor(/cannot reach the broker at .*ECONNREFUSED.*; check MQTT_URL \(mqtt:\/\/host:port\), that the broker runs/);
    // The backoff goes on (1 s, then about 2 s): the explanation is not repeated for each attempt.
    await new Promise((r) => setTimeout(r, 2500));
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
    expect(countOf(sim.output, "cannot reach the broker")).toBe(1);
    const attempts = Number(/was never reached \((\d+) attempts; last error: .*ECONNREFUSED/.exec(sim.output)?.[1]);
    expect(attempts).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it("wrong credentials: the broker refused the connection, why, and to check the user name and password", async () => {
    const broker = await startMosquitto({ users: { alice: "secret" } });
    brokers.push(broker);
    const sim = startSim(["--url", `mqtt://alice:wrong@127.0.0.1:${broker.port}`]);
    await sim.waitFor(/refused the connection: Not authorized \(0x87\); check the user name and password in MQTT_URL/);
    sim.child.kill("SIGINT");
    expect(await sim.exited).toBe(0);
    expect(sim.output).toMatch(/was never reached \(\d+ attempts; last error: connection refused: 0x87 Not authorized\)/);
  }, 30_000);

  it.each(["SIGTERM", "SIGHUP"] as const)("%s stops it like Ctrl-C: summary, its mosquitto stopped, no temporary directory left", async (signal) => {
    const sim = startSim(["--devices", "1", "--interval", "200", "--tls", "--drops", "0"]);
    const port = Number((await sim.waitFor(/private mosquitto at mqtts:\/\/127\.0\.0\.1:(\d+)/))[1]);
    expect(leftIn(sim.tmp).length).toBeGreaterThan(0); // its broker's directory and certificates
    await sim.waitFor(/sim-1: Wi-Fi joined/);
    sim.child.kill(signal);
    expect(await sim.exited).toBe(0);
    expect(sim.output).toMatch(/simulator: \d+ readings received; Wi-Fi drops: sim-1 0/);
    expect(await listening(port)).toBe(false);
    expect(leftIn(sim.tmp)).toEqual([]);
  }, 30_000);

  it("stops by itself when the process that started it dies (make killed by SIGTERM passes nothing on)", async () => {
    // sh stands in for make: killing it leaves the simulator orphaned, which it notices.
    const sh = startSim([], ["sh", "-c", "node --import tsx tools/sim/main.ts --quiet --devices 1 --drops 0 & echo \"sim pid $!\"; wait"]);
    const pid = Number((await sh.waitFor(/sim pid (\d+)/))[1]);
    const port = Number((await sh.waitFor(/private mosquitto at mqtt:\/\/127\.0\.0\.1:(\d+)/))[1]);
    sh.child.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    expect(await listening(port)).toBe(false);
    expect(leftIn(sh.tmp)).toEqual([]);
  }, 30_000);

  it("stopping during the XS build ends the whole build (its process group), leaving no process behind", async () => {
    const stop = new AbortController();
    const marker = `mqtt5-xs-build-stand-in-${process.pid}`;
    // A stand-in for tools/xs/build.sh whose grandchild (like make's cc) must die with it.
    const build = buildXsHost(stop.signal, ["sh", "-c", `sleep 30 & echo $! > ${join(tmpdir(), marker)}; wait`]);
    const pidFile = join(tmpdir(), marker);
    const deadline = Date.now() + 5000;
    let grandchild = 0;
    while (Date.now() < deadline && grandchild === 0) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        grandchild = Number(readFileSync(pidFile, "utf8").trim());
      } catch {
        // Not written yet.
      }
    }
    rmSync(pidFile, { force: true });
    expect(alive(grandchild)).toBe(true);
    stop.abort();
    await expect(build).rejects.toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(grandchild)).toBe(false);
  });
});
