import { clientFootprintCases } from "../client-footprint-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(clientFootprintCases);
