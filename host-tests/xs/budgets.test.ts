// The computron budget check itself (support/budgets.ts): what passes, what fails.
import { describe, expect, it } from "vitest";
import { compareWithBudgets } from "./support/budgets";

describe("computron budgets", () => {
  const budgets = { "codec.encode": 1000 };
  it("accepts a measurement up to 5% above its ceiling", () => {
    expect(compareWithBudgets(budgets, [{ key: "codec.encode", computrons: 1050 }])).toEqual([]);
  });
  it("fails a measurement more than 5% above its ceiling", () => {
    expect(compareWithBudgets(budgets, [{ key: "codec.encode", computrons: 1051 }])).toEqual([
      "codec.encode: 1051 computrons, budget 1000 (+5.1%)",
    ]);
  });
  it("fails an operation measured without a ceiling and a ceiling nothing measured", () => {
    expect(compareWithBudgets(budgets, [{ key: "codec.decode", computrons: 10 }])).toEqual([
      "codec.decode: no budget (measured 10)",
      "codec.encode: budgeted but not measured",
    ]);
  });
});
