import { describe, expect, it } from "vitest";
import { ReconnectBackoff } from "../../src/engine/index";

describe("reconnect backoff", () => {
  it("grows exponentially from the minimum up to the maximum (no jitter)", () => {
    const b = new ReconnectBackoff({ minDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 }, { random: () => 0.5 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.nextDelay())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("takes jitter from the injected random source", () => {
    const b = new ReconnectBackoff({ minDelayMs: 1000, jitter: 0.5 }, { random: () => 1 });
    expect(b.nextDelay()).toBe(500);
    const c = new ReconnectBackoff({ minDelayMs: 1000, jitter: 0.5 }, { random: () => 0 });
    expect(c.nextDelay()).toBe(1000);
  });

  it("resets after a connection stayed up for the threshold, not after a short one", () => {
    const b = new ReconnectBackoff({ minDelayMs: 100, factor: 2, jitter: 0, stableAfterMs: 5000 }, { random: () => 0 });
    b.nextDelay();
    b.nextDelay();
    b.connected(0);
    b.disconnected(4999);
    expect(b.nextDelay()).toBe(400);
    b.connected(10_000);
    b.disconnected(15_000);
    expect(b.nextDelay()).toBe(100);
  });

  it("measures the stable time across a wrapping millisecond counter", () => {
    const b = new ReconnectBackoff({ minDelayMs: 100, jitter: 0, stableAfterMs: 5000 }, { random: () => 0 });
    b.nextDelay();
    b.nextDelay();
    b.connected(0xffffffff - 1000);
    b.disconnected(4500);
    expect(b.nextDelay()).toBe(100);
  });

  it("tries a redirected server at once, then continues the backoff", () => {
    const b = new ReconnectBackoff({ minDelayMs: 100, jitter: 0 }, { random: () => 0 });
    b.nextDelay();
    b.redirected();
    expect(b.nextDelay()).toBe(0);
    expect(b.nextDelay()).toBe(200);
  });
});
