// Computron budgets: ceilings per operation, kept in tools/xs/budgets/<area>.json and checked against
// what the XS run measured. Computrons are deterministic for a given XS build, so a ceiling only moves
// when the code does. A measurement more than MARGIN above its ceiling fails.
//
// To accept new numbers (after a deliberate change), run:
//   UPDATE_XS_BUDGETS=1 npx vitest run host-tests/xs
// and commit the budget files with the change that explains them.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, type Measured } from "./run-xs";
import type { XsSuite } from "./xs-suite";

export const MARGIN = 0.05;

interface BudgetFile {
  note: string;
  margin: number;
  computrons: Record<string, number>;
}

function budgetPath(area: string): string {
  return join(ROOT, "tools/xs/budgets", `${area}.json`);
}

export function readBudgets(area: string): BudgetFile {
  return JSON.parse(readFileSync(budgetPath(area), "utf8")) as BudgetFile;
}

function writeBudgets(area: string, measures: Measured[]): void {
  const computrons: Record<string, number> = {};
  for (const m of [...measures].sort((a, b) => (a.key < b.key ? -1 : 1))) computrons[m.key] = m.computrons;
  const file: BudgetFile = {
    note: "Computrons per operation on build/xs/xs-host (tools/xs). Regenerate: UPDATE_XS_BUDGETS=1 npx vitest run host-tests/xs",
    margin: MARGIN,
    computrons,
  };
  mkdirSync(dirname(budgetPath(area)), { recursive: true });
  writeFileSync(budgetPath(area), JSON.stringify(file, null, 2) + "\n");
}

/** Problems with measured costs against the area's ceilings; empty when all is within budget. */
export function budgetViolations(area: string, measures: Measured[]): string[] {
  return compareWithBudgets(readBudgets(area).computrons, measures);
}

/** Each measurement must have a ceiling and stay within it + MARGIN; each ceiling must be measured. */
export function compareWithBudgets(budgets: Record<string, number>, measures: readonly Pick<Measured, "key" | "computrons">[]): string[] {
  const problems: string[] = [];
  const measuredKeys = new Set(measures.map((m) => m.key));
  for (const m of measures) {
    const ceiling = budgets[m.key];
    if (ceiling === undefined) problems.push(`${m.key}: no budget (measured ${m.computrons})`);
    else if (m.computrons > ceiling * (1 + MARGIN)) {
      problems.push(`${m.key}: ${m.computrons} computrons, budget ${ceiling} (+${(Math.round((m.computrons / ceiling - 1) * 1000) / 10)}%)`);
    }
  }
  for (const key of Object.keys(budgets)) if (!measuredKeys.has(key)) problems.push(`${key}: budgeted but not measured`);
  return problems;
}

/** One test that checks (or, with UPDATE_XS_BUDGETS=1, rewrites) the area's budget file. */
export function computronBudgetTest(area: string, suite: XsSuite): void {
  it(`keeps every ${area} operation within its computron budget (tools/xs/budgets/${area}.json, +${MARGIN * 100}%)`, () => {
    const measures = [...suite.result().measures.values()];
    expect(measures.length).toBeGreaterThan(0);
    if (process.env.UPDATE_XS_BUDGETS === "1") writeBudgets(area, measures);
    expect(budgetViolations(area, measures), "update with UPDATE_XS_BUDGETS=1 npx vitest run host-tests/xs if intended").toEqual([]);
  });
}
