import "../support/xs-prelude";
import { engineBudgetCases } from "../engine-budget-cases";
import { runCasesOnXs } from "../support/xs-case";

await runCasesOnXs(engineBudgetCases);
