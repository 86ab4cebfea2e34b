// `mqtt5-xs bench` against a real mosquitto: counts and latency percentiles, progress lines, the stop signal.
// It asserts what was counted, never how fast (performance figures belong in bench/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { cli, startCli } from "./run-cli";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

interface Summary {
  type: "summary";
  sent: number;
  acknowledged: number | null;
  received: number;
  expected: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number } | null;
  errors: { refused: number; queueFull: number; connection: number };
}

function lines(stdout: string): { type: string }[] {
  return stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
}

describe("mqtt5-xs bench", () => {
  it("publishes with N clients at a rate, a subscriber receives every QoS 1 message, and the JSON summary says so with latency percentiles", async () => {
    const result = await cli(["bench", "-h", "127.0.0.1", "-p", String(broker.port), "-n", "3", "-R", "300", "-d", "2", "-q", "1", "-j"]);
    expect(result.status).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toMatchObject({ type: "start", publishers: 3, subscribers: 1, rate: 300, qos: 1 });
    expect(out.filter((l) => l.type === "progress").length).toBeGreaterThanOrEqual(1);
    const summary = out.at(-1) as Summary;
    expect(summary.type).toBe("summary");
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.acknowledged).toBe(summary.sent);
    expect(summary.received).toBe(summary.sent);
    expect(summary.expected).toBe(summary.sent);
    expect(summary.errors).toEqual({ refused: 0, queueFull: 0, connection: 0 });
    const l = summary.latencyMs!;
    expect(l.p50).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
  });

  it("with two subscribers each message arrives twice; the text output has progress lines and a summary", async () => {
    const result = await cli(["bench", "-h", "127.0.0.1", "-p", String(broker.port), "-n", "2", "--subscribers", "2", "-R", "100", "-d", "1", "-q", "1"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^bench \w+: 2 publishers, 2 subscribers, 100 msgs\/s, QoS 1/);
    expect(result.stdout).toMatch(/\n +1s {2}sent \d+\/s {2}received \d+\/s {2}latency p50 [\d.]+ p99 [\d.]+ max [\d.]+ ms {2}errors 0\n/);
    const sent = Number(/sent +(\d+) \(/.exec(result.stdout)![1]);
    expect(result.stdout).toContain(`received  ${2 * sent} of ${2 * sent} expected`);
  });

  it("runs until the stop signal (Ctrl-C) with -d 0, then disconnects and prints its summary", async () => {
    const run = startCli(["bench", "-h", "127.0.0.1", "-p", String(broker.port), "-n", "1", "-R", "50", "-d", "0", "-j"]);
    await run.waitFor(/"type":"progress"/);
    run.stop();
    expect(await run.status).toBe(0);
    expect(lines(run.stdout).at(-1)).toMatchObject({ type: "summary" });
  });

  it("a payload smaller than its 8-byte send time is refused as a bad flag", async () => {
    const result = await cli(["bench", "-s", "4"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: option '-s, --size <bytes>' argument '4' is invalid/);
  });
});
