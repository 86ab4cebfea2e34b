// The simulator's --sleep and --power-cuts: they need devices that lose their RAM, so they run on XS.
import { describe, expect, it } from "vitest";
import { parseSimOptions, type SimOptions } from "../../tools/sim/options";

describe("simulator options", () => {
  it("--sleep and --power-cuts run the devices on the XS engine", () => {
    expect(parseSimOptions(["--sleep", "5000"], {})).toMatchObject({ sleepMs: 5000, powerCuts: false, engine: "xs" });
    expect(parseSimOptions(["--power-cuts"], {})).toMatchObject({ sleepMs: 0, powerCuts: true, engine: "xs" });
    expect(parseSimOptions([], { SIM_SLEEP: "100", SIM_POWER_CUTS: "1" })).toMatchObject({ sleepMs: 100, powerCuts: true, engine: "xs" });
    expect((parseSimOptions([], {}) as SimOptions).engine).toBe("node");
  });

  it("refuses them with devices on Node, and a sleep that is not a whole number of ms", () => {
    expect(() => parseSimOptions(["--sleep", "5000", "--engine", "node"], {})).toThrow(/XS engine/);
    expect(() => parseSimOptions(["--sleep", "1.5"], {})).toThrow(/sleep/);
  });
});
