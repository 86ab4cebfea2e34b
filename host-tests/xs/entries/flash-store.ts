import "../support/xs-prelude";
import { flashStoreCases } from "../flash-store-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(flashStoreCases);
