// FlashSessionStore on the XS engine (issue 14): power cuts over the SDK flash stand-in, a QoS 1 publish
// through the client over the store (computrons, allocation-free between compactions) and the store's RAM.
import { describe, expect, it } from "vitest";
import { flashStoreCases, storeNoteKeys } from "./flash-store-cases";
import { computronBudgetTest } from "./support/budgets";
import { xsSuite } from "./support/xs-suite";

/** Device bytes (16-byte slots + chunk bytes) an open store may keep: measured plus about 5 % (measured
 * 1,464 with the device app's esp8266 sizes, 20 records and 4 inbound ids; 2,160 with 48 and 16). */
const STORE_CEILING = { esp8266: 1540, default: 2270 };

describe("FlashSessionStore on XS", () => {
  const suite = xsSuite("host-tests/xs/entries/flash-store.ts", flashStoreCases);
  computronBudgetTest("store", suite);
  for (const sizes of ["esp8266", "default"] as const) {
    it(`an open store with ${sizes} sizes keeps at most ${STORE_CEILING[sizes]} device bytes, and a client over it keeps less than over its memory store`, () => {
      const notes = suite.result().notes;
      for (const key of storeNoteKeys(sizes)) expect(notes.get(key), `${key} noted`).toBeDefined();
      expect(notes.get(`store.flash.${sizes}.kept.device-bytes`)!).toBeLessThanOrEqual(STORE_CEILING[sizes]);
      expect(notes.get(`store.flash.${sizes}.client-kept.device-bytes`)!).toBeLessThan(notes.get(`store.flash.${sizes}.client-kept-memory-store.device-bytes`)!);
    });
  }
});
