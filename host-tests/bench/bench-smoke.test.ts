// The benchmarks still run and still print what their readers parse: a tiny run of each, its exit status
// and the shape of its output. Nothing here looks at a number's size (timings belong to the benchmarks).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

async function bench(script: string, env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return stdout.trimEnd().split("\n");
}

describe("benchmarks, smallest runs", () => {
  it("bench:e2e publishes with the raw writer, MQTT.js and ours at QoS 0 and 1 (and both over WebSocket at QoS 1), all received, then prints the four ratio lines last", async () => {
    const lines = await bench("bench/e2e.ts", { E2E_N: "300", E2E_ROUNDS: "1" });
    const cases = lines.filter((l) => /^(raw tcp|mqtt\.js|ours|mqtt\.js ws|ours ws) +qos[01]: /.test(l));
    expect(cases).toHaveLength(8);
    for (const line of cases) expect(line, "every message reached the subscriber").not.toMatch(/only \d+\/\d+ arrived/);
    expect(lines.slice(-4).map((l) => l.replace(/\d+\.\d\d/, "N.NN"))).toEqual([
      "e2e qos0 vs mqtt.js: N.NNx",
      "e2e qos1 vs mqtt.js: N.NNx",
      "e2e qos0 vs raw tcp: N.NN",
      "e2e ws qos1 vs mqtt.js: N.NNx",
    ]);
  }, 120_000);

  it("bench:xs measures the client on XS and ends with the six footprint lines, each beside Moddable's figures", async () => {
    const lines = await bench("bench/xs.ts", {});
    const last = lines.slice(-6).map((l) => l.replace(/^([^:]+: )\d+ /, "$1N "));
    expect(last.map((l) => l.replace(/ {2}\(Moddable: .*\)$/, ""))).toEqual([
      "xs client qos0 publish: N computrons",
      "xs client qos1 publish+puback: N computrons",
      "xs client qos0 receive: N computrons",
      "xs client kept esp8266: N bytes",
      "xs client kept default: N bytes",
      "xs app heap esp8266: N bytes",
    ]);
    for (const line of last) expect(line).toMatch(/ {2}\(Moddable: .+\)$/);
  }, 180_000);

  it("bench:codec times twelve encode/decode pairs against mqtt-packet and ends with the speedup line", async () => {
    const lines = await bench("bench/codec.ts", { BENCH_ROUNDS: "1", BENCH_ROUND_MS: "5", BENCH_WARMUP_MS: "5" });
    expect(lines.at(-1)).toMatch(/^codec speedup vs mqtt-packet: \d+\.\d\dx$/);
  }, 120_000);
});
