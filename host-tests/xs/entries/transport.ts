import "../support/xs-prelude";
import { transportCases } from "../transport-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(transportCases);
