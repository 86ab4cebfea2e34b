// The codec's hot paths on the XS engine: no allocation after warm-up, computrons within budget.
import { describe } from "vitest";
import { codecBudgetCases } from "./codec-budget-cases";
import { computronBudgetTest } from "./support/budgets";
import { xsSuite } from "./support/xs-suite";

describe("codec hot paths on XS", () => {
  const suite = xsSuite("host-tests/xs/entries/codec-budgets.ts", codecBudgetCases);
  computronBudgetTest("codec", suite);
});
