import { appBridgeDefaultCases } from "../app-bridge-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(appBridgeDefaultCases);
