import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PacketIdAllocator } from "../../src/engine/packet-ids";

describe("packet identifier allocator", () => {
  it("hands out identifiers in turn, skipping those in use, and wraps from 65535 to 1", () => {
    const ids = new PacketIdAllocator(4);
    expect([ids.allocate(), ids.allocate(), ids.allocate()]).toEqual([1, 2, 3]);
    ids.release(2);
    for (let i = 4; i < 65535; i++) {
      const id = ids.allocate();
      expect(id).toBe(i);
      ids.release(id);
    }
    expect(ids.allocate()).toBe(65535);
    ids.release(65535);
    expect(ids.allocate()).toBe(2); // 1 and 3 are still in use
  });

  it("returns 0 when capacity identifiers are in use, and one again after a release", () => {
    const ids = new PacketIdAllocator(3);
    ids.allocate(); ids.allocate(); ids.allocate();
    expect(ids.allocate()).toBe(0);
    ids.release(2);
    expect(ids.allocate()).toBe(4);
  });

  it("grows when a session store restores more identifiers than its capacity", () => {
    const ids = new PacketIdAllocator(2);
    for (const id of [100, 7, 65535, 3]) ids.claim(id);
    for (const id of [100, 7, 65535, 3]) expect(ids.isInUse(id)).toBe(true);
    expect(ids.isInUse(8)).toBe(false);
  });

  it("agrees with a reference set over random allocate/claim/release sequences", () => {
    const op = fc.oneof(
      fc.constant({ kind: "allocate" as const, id: 0 }),
      fc.record({ kind: fc.constant("release" as const), id: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant("claim" as const), id: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.array(op, { maxLength: 300 }), (capacity, ops) => {
        const ids = new PacketIdAllocator(capacity);
        const reference = new Set<number>();
        let limit = capacity;
        for (const { kind, id } of ops) {
          if (kind === "allocate") {
            const got = ids.allocate();
            if (reference.size >= limit) expect(got).toBe(0);
            else {
              expect(got).toBeGreaterThan(0);
              expect(reference.has(got)).toBe(false);
              reference.add(got);
            }
          } else if (kind === "claim") {
            if (!reference.has(id) && reference.size >= limit) limit = limit * 2 + 1;
            ids.claim(id);
            reference.add(id);
          } else {
            ids.release(id);
            reference.delete(id);
          }
          for (let k = 1; k <= 40; k++) expect(ids.isInUse(k)).toBe(reference.has(k));
        }
      }),
      { numRuns: 300 },
    );
  });
});
