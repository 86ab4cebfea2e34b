// A Node client whose session lives in a file (FlashSessionStore over FileFlashArea), killed with SIGKILL at
// random moments while it publishes: each new process opens the same file, resumes the session (Clean Start
// 0) and sends what is still owed. Every message it reported accepted arrives at a subscriber, QoS 2 ones once.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, delay, endAll, uniqueId } from "./helpers";

let broker: Mosquitto;
let dir: string;
beforeAll(async () => {
  broker = await startMosquitto();
  dir = mkdtempSync(join(tmpdir(), "mqtt5-file-store-"));
});
afterAll(async () => {
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PUBLISHER = join(import.meta.dirname, "file-store-publisher.ts");

/** Runs the publisher until it has accepted `kill` messages (then SIGKILL), or in drain mode until it says so. */
function runPublisher(args: string[], accepted: Set<number>, kill?: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", PUBLISHER, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let count = 0;
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^accepted (\d+)$/.exec(line);
      if (match) {
        accepted.add(Number(match[1]));
        if (kill !== undefined && ++count === kill) child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => (signal === "SIGKILL" || code === 0 ? resolve() : reject(new Error(`publisher exited ${code ?? signal}`))));
  });
}

describe("FlashSessionStore over a file (Node)", () => {
  for (const qos of [1, 2] as const) {
    it(`loses no QoS ${qos} message it accepted when its process is killed at random moments${qos === 2 ? ", and delivers each once" : ""}`, async () => {
      const topic = uniqueId("file-store");
      const clientId = uniqueId("file-store-client");
      const file = join(dir, `${clientId}.flash`);
      const sub = await connected(broker, { clean: true });
      await sub.async.subscribeAsync(topic, { qos: 2 });
      const accepted = new Set<number>();
      for (let run = 0; run < 3; run++) {
        const first = accepted.size === 0 ? 1 : Math.max(...accepted) + 1;
        await runPublisher([String(broker.port), clientId, file, topic, String(first), String(qos)], accepted, 20 + Math.floor(Math.random() * 60));
      }
      await runPublisher([String(broker.port), clientId, file, topic, "0", String(qos), "drain"], accepted);
      const delivered = () => sub.inbox.messages.map((m) => Number(m.text));
      const missing = () => [...accepted].filter((seq) => !delivered().includes(seq));
      for (let waited = 0; missing().length > 0 && waited < 10_000; waited += 50) await delay(50);
      expect(accepted.size).toBeGreaterThan(60);
      expect(missing()).toEqual([]);
      if (qos === 2) expect(delivered().length).toBe(new Set(delivered()).size);
      await endAll(sub);
    }, 60_000);
  }
});
