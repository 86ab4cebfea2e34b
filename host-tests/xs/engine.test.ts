// The engine on the XS engine: allocation-free steady state, computron budgets, and an ESP8266-sized heap.
// (The engine tier's own flow tests run on XS through tiers.test.ts.)
import { describe } from "vitest";
import { engineBudgetCases } from "./engine-budget-cases";
import { engineDeviceCases } from "./engine-device-cases";
import { computronBudgetTest } from "./support/budgets";
import { xsSuite } from "./support/xs-suite";

describe("engine hot paths on XS", () => {
  const suite = xsSuite("host-tests/xs/entries/engine-budgets.ts", engineBudgetCases);
  computronBudgetTest("engine", suite);
});

describe("engine in an ESP8266 heap on XS", () => {
  xsSuite("host-tests/xs/entries/engine-device.ts", engineDeviceCases, { deviceHeap: true });
});
