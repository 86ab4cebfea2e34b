import "../support/xs-prelude";
import { codecCases } from "../codec-cases";
import { runCasesOnXs } from "../support/xs-case";

await runCasesOnXs(codecCases);
