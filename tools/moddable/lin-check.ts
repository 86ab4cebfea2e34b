// `make lin-check`: the firmware on Moddable's own engine, end to end. It builds targets/lin with the SDK
// (debug, as `make lin`), runs it in the SDK's simulator (mcsim, under xvfb-run when there is no display)
// against a private mosquitto, and checks what a user would: the status goes online, readings arrive as JSON
// with content type and message expiry, the will says "offline" once the device dies, and the engine neither
// aborts (stack overflow, memory full) nor throws. A small stand-in for xsbug on a free port collects the app's trace() lines and the engine's reports.
//
// The XS tier runs the same code on the XS engine of @agoric/xsnap, which cannot tell how deep Moddable's
// engine nests (tools/xs/README.md); this check is where stack depth and the SDK's TypeScript and preload
// steps are proven. It needs the Moddable SDK ($MODDABLE, mcconfig on PATH) and is not part of `make test`.
//
//   make lin-check                 LIN_CHECK_SECONDS (default 12) sets how long the device runs;
//                                  LIN_CHECK_WEBSOCKET=1: the device connects over WebSocket (the SDK's
//                                  ECMA-419 WebSocket client) to mosquitto's `protocol websockets` listener
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import mqtt from "mqtt";
import { startMosquitto } from "../broker/mosquitto";

const SECONDS = Number(process.env.LIN_CHECK_SECONDS ?? 12);
const WEBSOCKET = process.env.LIN_CHECK_WEBSOCKET === "1";
const ROOT = join(import.meta.dirname, "../..");

function sdk(): { mcsim: string; app: string } {
  const moddable = process.env.MODDABLE;
  if (!moddable || !existsSync(moddable)) throw new Error("lin-check needs the Moddable SDK: set MODDABLE (README, Flash to a board)");
  return {
    mcsim: join(moddable, "build/bin/lin/release/mcsim"),
    app: join(moddable, "build/bin/lin/mc/debug/lin/mc.so"),
  };
}

/** Listens as xsbug would and keeps every <log> line; answers the login so the machine runs. */
async function xsbugLogger(): Promise<{ port: number; lines: string[]; close(): void }> {
  const lines: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.setEncoding("utf8");
    let pending = "";
    socket.on("data", (data: string) => {
      if (pending === "" && data.includes("<login ")) socket.write("\r\n<go/>\r\n");
      pending += data;
      for (const match of pending.matchAll(/<log>([\s\S]*?)<\/log>/g)) lines.push(unescape(match[1]!).trimEnd());
      if (pending.includes("<break ")) socket.write("\r\n<go/>\r\n");
      const end = pending.lastIndexOf("</xsbug>");
      if (end >= 0) pending = pending.slice(end + 8);
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    lines,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function unescape(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

async function main(): Promise<void> {
  const { mcsim, app } = sdk();
  const broker = await startMosquitto({ websockets: WEBSOCKET });
  const xsbug = await xsbugLogger();
  const seen: { topic: string; payload: string; contentType?: string; expiry?: number }[] = [];
  const watcher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "lin-check" });
  watcher.on("message", (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString(), contentType: packet.properties?.contentType, expiry: packet.properties?.messageExpiryInterval });
  });
  await watcher.subscribeAsync("devices/#", { qos: 1 });
  try {
    const config = WEBSOCKET ? `port=${broker.wsPort} websocket=true` : `port=${broker.port}`;
    console.log(`lin-check: building targets/lin for mosquitto (${config})`);
    execFileSync("bash", ["targets/mcconfig.sh", "lin"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CONFIG: config } });
    const command = process.env.DISPLAY ? [mcsim, app] : ["xvfb-run", "-a", mcsim, app];
    console.log(`lin-check: running the device for ${SECONDS} s`);
    // Its own process group: xvfb-run leaves mcsim (and Xvfb) running when only it is signalled.
    const device = spawn(command[0]!, command.slice(1), {
      stdio: "ignore", detached: true, env: { ...process.env, XSBUG_HOST: "127.0.0.1", XSBUG_PORT: String(xsbug.port) },
    });
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    process.kill(-device.pid!, "SIGKILL");
    // The process dies without DISCONNECT: the broker publishes the device's will ("offline").
    await new Promise((resolve) => setTimeout(resolve, 2000));
  } finally {
    await watcher.endAsync();
    xsbug.close();
    await broker.close();
  }
  report(seen, xsbug.lines);
}

function report(seen: { topic: string; payload: string; contentType?: string; expiry?: number }[], log: string[]): void {
  for (const line of log) console.log(`  device: ${line}`);
  const problems: string[] = [];
  const failures = log.filter((line) => /XS abort|exception|Error/.test(line));
  if (failures.length > 0) problems.push(`the engine reported: ${failures.join(" | ")}`);
  const status = seen.filter((m) => m.topic.endsWith("/status")).map((m) => m.payload);
  if (!status.includes("online")) problems.push(`no "online" status (saw ${JSON.stringify(status)})`);
  else if (status.at(-1) !== "offline") problems.push(`no "offline" will after the device died (saw ${JSON.stringify(status)})`);
  const readings = seen.filter((m) => m.topic.endsWith("/sensors/temperature"));
  const good = readings.filter((m) => m.contentType === "application/json" && m.expiry !== undefined && typeof (JSON.parse(m.payload) as { value?: unknown }).value === "number");
  const wanted = Math.max(2, Math.floor(SECONDS / 4));
  if (good.length < wanted) problems.push(`${good.length} JSON readings with content type and expiry, wanted at least ${wanted}`);
  console.log(`lin-check: ${status.length} status messages, ${readings.length} readings (${good.length} complete)`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`lin-check: FAIL ${p}`);
    process.exitCode = 1;
  } else {
    console.log("lin-check: OK");
  }
}

await main();
