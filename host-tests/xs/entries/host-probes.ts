import "../support/xs-prelude";
// Runs on XS: the host's counters and meter behave as the budget tests rely on.
import { hostProbeCases } from "../host-probe-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(hostProbeCases);
