import { engineBridgeCases } from "../engine-bridge-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(engineBridgeCases);
