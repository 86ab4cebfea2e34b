// Keepalive under silence: the link to a real mosquitto turns into a black hole (no FIN, no RST, nothing
// delivered) and only keepalive can notice. Time is virtual (the sockets are real), so the bounds are exact:
// detection within 1.5x the keepalive, then reconnection attempts that follow the backoff with its jitter,
// no faster, until the link heals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/mqtt-client";
import { EngineState } from "../../src/engine/index";
import { NodePlatform } from "../../src/platform/host/index";
import { seededRandom } from "../../tools/chaos/random";
import { brokerBehindProxy, type BrokerBehindProxy } from "./support/broker-behind-proxy";
import { VirtualClock } from "./support/clock";
import { RecordingPlatform } from "./support/recording-platform";

const KEEPALIVE_S = 4;
const KEEPALIVE_MS = KEEPALIVE_S * 1000;
const BACKOFF = { min: 1000, max: 8000, jitter: 0.5 };

let link: BrokerBehindProxy;

beforeAll(async () => {
  link = await brokerBehindProxy();
});
afterAll(() => link?.close());

describe("keepalive under silence", () => {
  it("detects a black-holed link within 1.5x the keepalive, then reconnects on the backoff schedule", async () => {
    const clock = new VirtualClock(seededRandom(42));
    // The public client on the real Node platform; the probe supplies virtual time and records each attempt.
    const platform = new RecordingPlatform(new NodePlatform({ closeTimeoutMs: 200 }), { clock });
    const client = new MqttClient({
      platform, host: "127.0.0.1", port: link.port, clientId: "keepalive-silence", keepalive: KEEPALIVE_S,
      connectTimeout: 3000, reconnectPeriod: BACKOFF.min, backoff: BACKOFF,
    });
    const errors: { at: number; message: string }[] = [];
    const closes: number[] = [];
    let connacks = 0;
    client.on("error", (error) => errors.push({ at: clock.now(), message: error.message }));
    client.on("close", () => closes.push(clock.now()));
    client.on("connect", () => connacks++);
    client.connect();
    await clock.until(() => client.connected, 5000, "first connection");

    // Healthy: three keepalive periods of PINGREQ/PINGRESP keep the connection.
    await clock.advance(3 * KEEPALIVE_MS);
    expect(errors).toEqual([]);
    expect(platform.connections.length).toBe(1);

    link.proxy.blackHole(true);
    const silentFrom = clock.now();
    // The engine gives up on the connection at detection; the app hears it once the transport has closed.
    await clock.until(() => client.state !== EngineState.CONNECTED, 10 * KEEPALIVE_MS, "keepalive detection");
    const detectedAt = clock.now();
    expect(detectedAt - silentFrom).toBeLessThanOrEqual(1.5 * KEEPALIVE_MS);
    await clock.until(() => errors.length === 1, 1000, "the error reported");
    expect(errors[0].message).toMatch(/no PINGRESP within the keepalive timeout/);

    // Still black-holed: each attempt opens TCP, its CONNECT vanishes, the CONNACK times out.
    const outageMs = 40_000;
    await clock.advance(outageMs);
    const attempts = platform.connections.map((c) => c.openedAt);
    const gaps = attempts.slice(1).map((t, i) => t - closes[i]);
    let expectedMax = BACKOFF.min;
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(expectedMax * (1 - BACKOFF.jitter) - 1);
      expect(gap).toBeLessThanOrEqual(expectedMax + 25);
      expectedMax = Math.min(BACKOFF.max, expectedMax * 2);
    }
    // 40 s at 3 s connect timeout plus 0.5..8 s backoff: a handful of attempts, never a storm.
    expect(attempts.length - 1).toBeGreaterThanOrEqual(3);
    expect(attempts.length - 1).toBeLessThanOrEqual(12);
    for (const e of errors.slice(1)) expect(e.message).toMatch(/no CONNACK within the connect timeout/);

    console.info(`keepalive ${KEEPALIVE_MS} ms: detected after ${detectedAt - silentFrom} ms; reconnect gaps ${gaps.join(", ")} ms`);
    link.proxy.heal();
    await clock.until(() => client.connected, 20_000, "reconnection after healing");
    expect(connacks).toBe(2);
    client.end();
  }, 60_000);
});
