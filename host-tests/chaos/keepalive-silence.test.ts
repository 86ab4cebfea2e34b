// Keepalive under silence: the link to a real mosquitto turns into a black hole (no FIN, no RST, nothing
// delivered) and only keepalive can notice. Time is virtual (the sockets are real), so the bounds are exact:
// detection within 1.5x the keepalive, then reconnection attempts that follow the backoff with its jitter,
// no faster, until the link heals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalReason } from "../../src/engine/index";
import { FaultProxy } from "../../tools/chaos/fault-proxy";
import { seededRandom } from "../../tools/chaos/random";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { VirtualClock } from "./support/clock";
import { TcpSession } from "./support/tcp-session";

const KEEPALIVE_S = 4;
const KEEPALIVE_MS = KEEPALIVE_S * 1000;
const BACKOFF = { minDelayMs: 1000, maxDelayMs: 8000, jitter: 0.5 };

let broker: Mosquitto;
let proxy: FaultProxy;

beforeAll(async () => {
  broker = await startMosquitto();
  proxy = new FaultProxy({ targetPort: broker.port });
  await proxy.listen();
});
afterAll(async () => {
  await proxy?.close();
  await broker?.close();
});

describe("keepalive under silence", () => {
  it("detects a black-holed link within 1.5x the keepalive, then reconnects on the backoff schedule", async () => {
    const clock = new VirtualClock(seededRandom(42));
    const session = new TcpSession({
      port: proxy.port,
      clock,
      connect: { clientId: "keepalive-silence", keepAlive: KEEPALIVE_S },
      engine: { connectTimeoutMs: 3000 },
      backoff: BACKOFF,
    });
    session.start();
    await clock.until(() => session.connected, 5000, "first connection");

    // Healthy: three keepalive periods of PINGREQ/PINGRESP keep the connection.
    await clock.advance(3 * KEEPALIVE_MS);
    expect(session.closes).toEqual([]);

    proxy.blackHole(true);
    const silentFrom = clock.now();
    await clock.until(() => session.closes.length === 1, 10 * KEEPALIVE_MS, "keepalive detection");
    const detected = session.closes[0];
    expect(detected.reasonCode).toBe(LocalReason.KEEPALIVE_TIMEOUT);
    expect(detected.at - silentFrom).toBeLessThanOrEqual(1.5 * KEEPALIVE_MS);

    // Still black-holed: each attempt opens TCP, its CONNECT vanishes, the CONNACK times out.
    const outageMs = 40_000;
    await clock.advance(outageMs);
    const gaps = session.attemptTimes.slice(1).map((t, i) => t - session.closes[i].at);
    let expectedMax = BACKOFF.minDelayMs;
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(expectedMax * (1 - BACKOFF.jitter) - 1);
      expect(gap).toBeLessThanOrEqual(expectedMax + 25);
      expectedMax = Math.min(BACKOFF.maxDelayMs, expectedMax * 2);
    }
    // 40 s at 3 s connect timeout plus 0.5..8 s backoff: a handful of attempts, never a storm.
    expect(session.attemptTimes.length - 1).toBeGreaterThanOrEqual(3);
    expect(session.attemptTimes.length - 1).toBeLessThanOrEqual(12);
    for (const c of session.closes.slice(1)) expect(c.reasonCode).toBe(LocalReason.CONNECT_TIMEOUT);

    console.info(`keepalive ${KEEPALIVE_MS} ms: detected after ${detected.at - silentFrom} ms; reconnect gaps ${gaps.join(", ")} ms`);
    proxy.heal();
    await clock.until(() => session.connected, 20_000, "reconnection after healing");
    expect(session.connacks.length).toBe(2);
    session.stop();
  }, 60_000);
});
