// make soak-power, short (50 power cuts, as make test runs it): sleeping XS device apps with their sessions on
// flash, against mosquitto with persistence, cut at random moments and inside store writes; no accepted QoS 1
// or QoS 2 reading is lost and no QoS 2 reading arrives twice. POWER_CUTS=1000 make soak-power is the long one.
import { describe, expect, it } from "vitest";
import { passed, resultLine, runPowerSoak } from "../../tools/soak-power/power-soak";

describe("soak-power (short)", () => {
  it("loses no accepted reading and duplicates no QoS 2 reading through 50 power cuts, a share of them inside flash writes", async () => {
    const result = await runPowerSoak({ cuts: 50 });
    expect(result.crashes).toEqual([]);
    expect(result.cuts).toBeGreaterThanOrEqual(50);
    expect(result.cutsInFlash).toBeGreaterThan(5);
    expect(result.accepted).toBeGreaterThan(50);
    expect(resultLine(result)).toMatch(/^power cuts: \d+, readings accepted: \d+, delivered: \d+, lost: 0, qos2 duplicates: 0$/);
    expect(passed(result)).toBe(true);
  }, 180_000);
});
