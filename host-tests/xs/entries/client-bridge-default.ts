import { clientBridgeDefaultCases } from "../client-bridge-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(clientBridgeDefaultCases);
