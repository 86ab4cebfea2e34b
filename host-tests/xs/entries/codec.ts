import "../support/xs-prelude";
import { codecCases } from "../codec-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(codecCases);
