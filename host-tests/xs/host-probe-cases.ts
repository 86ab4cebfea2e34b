// What the XS host's counters report for code whose allocation is known: the budget tests trust them.
import { measure } from "../../tools/xs/measure";
import { check, checkEqual, type XsCase } from "./support/xs-case";

export const hostProbeCases: XsCase[] = [
  {
    name: "a loop writing into a preallocated Uint8Array measures 0 slots and 0 chunk bytes",
    run(context) {
      const buffer = new Uint8Array(64);
      const cost = measure((i) => { buffer[i & 63] = i; });
      checkEqual(cost.slots, 0, "slots");
      checkEqual(cost.chunkBytes, 0, "chunk bytes");
      check(cost.computrons > 0, "some computrons");
      context.record("probe.write-preallocated", cost);
    },
  },
  {
    name: "allocating a Uint8Array per operation shows in both slots and chunk bytes",
    run(context) {
      let keep: Uint8Array | undefined;
      const cost = measure((i) => { keep = new Uint8Array(16); keep[0] = i; }, 100);
      check(cost.slots >= 100, `at least one slot per operation, got ${cost.slots}`);
      check(cost.chunkBytes >= 1600, `at least 16 chunk bytes per operation, got ${cost.chunkBytes}`);
      context.record("probe.allocate-uint8array", cost);
    },
  },
  {
    name: "building a string per operation shows as allocation",
    run() {
      let keep = "";
      const cost = measure((i) => { keep = "topic/" + i; }, 100);
      check(keep.length > 0, "kept");
      check(cost.slots > 0 || cost.chunkBytes > 0, "the string allocated");
    },
  },
  {
    name: "string literals and typeof comparisons allocate nothing (module code stays put, as in flash)",
    run() {
      let kind = "";
      let value: unknown = 3;
      const cost = measure((i) => { value = i; kind = typeof value === "number" ? "number" : "other"; });
      checkEqual(kind, "number", "kind");
      checkEqual(cost.slots, 0, "slots");
      checkEqual(cost.chunkBytes, 0, "chunk bytes");
    },
  },
  {
    name: "reading a property of a primitive string allocates a wrapper (2 slots), as XS does on devices",
    run() {
      const topic = "sensors/device-1/temperature";
      let n = 0;
      const cost = measure(() => { n = topic.length; }, 100);
      checkEqual(n, 28, "length");
      checkEqual(cost.slots, 200, "slots over 100 reads");
    },
  },
  {
    name: "the same work costs the same computrons twice in a row",
    run() {
      const buffer = new Uint8Array(32);
      const work = (i: number): void => { for (let j = 0; j < 32; j++) buffer[j] = (i + j) & 0xff; };
      checkEqual(measure(work).computrons, measure(work).computrons, "computrons");
    },
  },
];
