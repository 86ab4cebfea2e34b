// The Moddable transports' steady-state callbacks on the XS engine: no allocation per event.
import { describe } from "vitest";
import { transportCases } from "./transport-cases";
import { xsSuite } from "./support/xs-suite";

describe("device transports on XS", () => {
  xsSuite("host-tests/xs/entries/transport.ts", transportCases);
});
