// The codec on the XS engine: round trips over the same arbitraries as host-tests/codec, and agreement
// with Node byte for byte. XS as Moddable builds it for devices indexes strings by code point (no CESU-8):
// characters above U+FFFF come out of charCodeAt whole, which these cases cover.
import { describe } from "vitest";
import { codecCases, codecDigestsForXs } from "./codec-cases";
import { xsSuite } from "./support/xs-suite";

describe("codec on XS", () => {
  xsSuite("host-tests/xs/entries/codec.ts", codecCases, () => ({ globals: { codecDigests: codecDigestsForXs() } }));
});
