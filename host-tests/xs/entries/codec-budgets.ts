import "../support/xs-prelude";
import { codecBudgetCases } from "../codec-budget-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(codecBudgetCases);
