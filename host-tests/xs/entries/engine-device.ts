// No test prelude here: the device run carries only the library and its scripted server.
import { engineDeviceCases } from "../engine-device-cases";
import { runCasesOnXs } from "../support/xs-case";

void runCasesOnXs(engineDeviceCases);
