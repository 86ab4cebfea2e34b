import "../support/xs-prelude";
import { bridgeRawCases } from "../bridge-raw-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(bridgeRawCases);
