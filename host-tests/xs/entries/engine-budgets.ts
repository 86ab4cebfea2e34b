import "../support/xs-prelude";
import { engineBudgetCases } from "../engine-budget-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(engineBudgetCases);
