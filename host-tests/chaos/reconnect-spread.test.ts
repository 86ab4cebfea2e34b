// Reconnect storms: when a broker restarts, every device loses its connection at the same moment. The
// backoff's jitter must spread their reconnections over the window instead of a single burst, and each
// device must slow down while the broker stays away. A fleet of public MqttClients (real sockets, virtual
// time) against a real mosquitto that goes away, then the backoff alone for 500 devices and many attempts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/mqtt-client";
import { ReconnectBackoff } from "../../src/engine/index";
import { NodePlatform } from "../../src/platform/host/index";
import { seededRandom } from "../../tools/chaos/random";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { VirtualClock, type Clock } from "./support/clock";
import { RecordingPlatform } from "./support/recording-platform";

const DEVICES = 500;
const OPTIONS = { minDelayMs: 1000, maxDelayMs: 60_000, factor: 2, jitter: 0.5 };

function fleet(): ReconnectBackoff[] {
  return Array.from({ length: DEVICES }, (_, i) => new ReconnectBackoff(OPTIONS, { random: seededRandom(1000 + i) }));
}

/** Largest share of the fleet whose delays fall within any window of `width` ms. */
function peakShare(delays: number[], width: number): number {
  const sorted = [...delays].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] > width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best / sorted.length;
}

const CLIENTS = 100;
/** The fleet's backoff: shorter than OPTIONS so the outage takes little real time (virtual ms run ~10x faster). */
const FLEET = { minDelayMs: 500, maxDelayMs: 60_000, factor: 2, jitter: 0.5 };

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

/** The shared virtual clock with a random source of the device's own (every device draws its own jitter). */
function deviceClock(clock: VirtualClock, seed: number): Clock {
  const random = seededRandom(seed);
  return { now: () => clock.now(), setTimer: (ms, f) => clock.setTimer(ms, f), clearTimer: (h) => clock.clearTimer(h), random };
}

describe("reconnect spread of MqttClients after the broker goes away", () => {
  it(`spreads the reconnections of ${CLIENTS} clients over each jitter window, with no burst and fewer tries as the outage lasts`, async () => {
    const clock = new VirtualClock();
    const devices = Array.from({ length: CLIENTS }, (_, i) => {
      const platform = new RecordingPlatform(new NodePlatform({ closeTimeoutMs: 200 }), { clock: deviceClock(clock, 1000 + i), decodeDown: false });
      const client = new MqttClient({
        platform, host: "127.0.0.1", port: broker.port, clientId: `spread-${i}`, keepalive: 0,
        reconnectPeriod: FLEET.minDelayMs, backoff: { min: FLEET.minDelayMs, max: FLEET.maxDelayMs, factor: FLEET.factor, jitter: FLEET.jitter },
      });
      const closes: number[] = [];
      client.on("close", () => closes.push(clock.now()));
      client.on("error", () => {}); // refused attempts while the broker is away
      return { platform, client, closes };
    });
    for (const d of devices) d.client.connect();
    await clock.until(() => devices.every((d) => d.client.connected), 10_000, "fleet connected");

    await broker.stop();
    await clock.until(() => devices.every((d) => d.closes.length === 1), 1_000, "every connection dropped");
    const dropped = Math.max(...devices.map((d) => d.closes[0]));
    expect(dropped - Math.min(...devices.map((d) => d.closes[0]))).toBeLessThanOrEqual(20);

    // 6 s away: attempt n of each device comes within its own window [base/2, base] after the last refusal.
    await clock.advance(6_000);
    for (let attempt = 0; attempt < 3; attempt++) {
      const base = FLEET.minDelayMs * FLEET.factor ** attempt;
      const delays = devices.map((d) => d.platform.connections[attempt + 1].openedAt - d.closes[attempt]);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(base / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(base + 20); // + a virtual step and a refusal's round trip
      // Uniform over base/2: a window of base/20 holds about 10% of the fleet; a burst would hold far more.
      expect(peakShare(delays, base / 20)).toBeLessThan(0.25);
      expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(0.4 * base);
    }
    // Even the shortest draws (0.25+0.5+1+2 s) leave room for a fifth try in 6 s, never a sixth: no storm.
    for (const d of devices) expect(d.platform.connections.length - 1).toBeLessThanOrEqual(5);

    await broker.restart();
    await clock.until(() => devices.every((d) => d.client.connected), 70_000, "fleet back after the broker returned");
    console.info(`reconnect spread: ${CLIENTS} clients, ${Math.max(...devices.map((d) => d.platform.connections.length - 1))} attempts at most each, all back`);
    for (const d of devices) d.client.end();
  }, 60_000);
});

describe("reconnect backoff of 500 devices", () => {
  it("spreads the first reconnection of 500 devices over the jitter window with no burst", () => {
    const devices = fleet();
    for (const d of devices) d.disconnected(0);
    const delays = devices.map((d) => d.nextDelay());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    // Uniform over 500 ms: any 50 ms holds about 10% of the fleet; a burst would put far more in one window.
    expect(peakShare(delays, 50)).toBeLessThan(0.2);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(400);
  });

  it("keeps every later attempt inside its doubled window, so retries never come faster while the broker is away", () => {
    const devices = fleet();
    for (let attempt = 0; attempt < 8; attempt++) {
      const base = Math.min(OPTIONS.maxDelayMs, OPTIONS.minDelayMs * 2 ** attempt);
      const delays = devices.map((d) => d.nextDelay());
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(base / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(base);
      // The jitter range is base/2, so a window of base/20 holds about 10% of the fleet when spread evenly.
      expect(peakShare(delays, base / 20)).toBeLessThan(0.2);
    }
  });

  it("bounds the attempts of a device during a 10-minute outage (no storm)", () => {
    const device = new ReconnectBackoff(OPTIONS, { random: seededRandom(7) });
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 600_000) {
      elapsed += device.nextDelay();
      attempts++;
    }
    // 1+2+4+...+32 s then at most one try per 30-60 s: well under 30 attempts in 10 minutes.
    expect(attempts).toBeLessThan(30);
    expect(attempts).toBeGreaterThan(10);
  });
});
