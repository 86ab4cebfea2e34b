// Reconnect storms: when a broker restarts, every device loses its connection at the same moment. The
// backoff's jitter must spread their reconnections over the window instead of a single burst, and each
// device must slow down while the broker stays away. 500 simulated devices, each with its own random source.
import { describe, expect, it } from "vitest";
import { ReconnectBackoff } from "../../src/engine/index";
import { seededRandom } from "../../tools/chaos/random";

const DEVICES = 500;
const OPTIONS = { minDelayMs: 1000, maxDelayMs: 60_000, factor: 2, jitter: 0.5 };

function fleet(): ReconnectBackoff[] {
  return Array.from({ length: DEVICES }, (_, i) => new ReconnectBackoff(OPTIONS, seededRandom(1000 + i)));
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

describe("reconnect spread after a broker restart", () => {
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
    const device = new ReconnectBackoff(OPTIONS, seededRandom(7));
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
