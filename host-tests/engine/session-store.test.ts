import { describe, expect, it } from "vitest";
import { MemorySessionStore, RecordKind } from "../../src/engine/index";

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function contents(store: MemorySessionStore): number[][] {
  const out: number[][] = [];
  for (let h = store.first(); h >= 0; h = store.next(h)) {
    const b = new Uint8Array(store.byteLength(h));
    store.copyTo(h, b, 0);
    out.push([store.token(h), b[0], b.length]);
  }
  return out;
}

describe("MemorySessionStore", () => {
  it("keeps records in order and their positions when they change state", () => {
    const s = new MemorySessionStore({ records: 4, bytes: 64 });
    const a = s.append(RecordKind.QUEUED, 1, 0, 1, bytes(10, 1), 0, 10);
    s.append(RecordKind.QUEUED, 1, 0, 2, bytes(10, 2), 0, 10);
    s.update(a, RecordKind.PUBREL, 7);
    expect(s.kind(a)).toBe(RecordKind.PUBREL);
    expect(s.packetId(a)).toBe(7);
    expect(contents(s)).toEqual([[1, 1, 10], [2, 2, 10]]);
  });

  it("is bounded in records and bytes, and reuses space once older records are gone (ring wrap)", () => {
    const s = new MemorySessionStore({ records: 8, bytes: 30 });
    const a = s.append(RecordKind.QUEUED, 1, 0, 1, bytes(12, 1), 0, 12);
    s.append(RecordKind.QUEUED, 1, 0, 2, bytes(12, 2), 0, 12);
    expect(s.append(RecordKind.QUEUED, 1, 0, 3, bytes(12, 3), 0, 12)).toBe(-1);
    s.remove(a);
    expect(s.append(RecordKind.QUEUED, 1, 0, 3, bytes(12, 3), 0, 12)).toBeGreaterThanOrEqual(0);
    expect(contents(s)).toEqual([[2, 2, 12], [3, 3, 12]]);
    const small = new MemorySessionStore({ records: 1, bytes: 100 });
    small.append(RecordKind.QUEUED, 0, 0, 1, bytes(1, 1), 0, 1);
    expect(small.append(RecordKind.QUEUED, 0, 0, 2, bytes(1, 1), 0, 1)).toBe(-1);
  });

  it("holds inbound QoS 2 ids up to its capacity and forgets them on clearInbound", () => {
    const s = new MemorySessionStore({ inbound: 2 });
    expect(s.addInbound(1)).toBe(true);
    expect(s.addInbound(2)).toBe(true);
    expect(s.addInbound(3)).toBe(false);
    s.removeInbound(1);
    expect(s.hasInbound(1)).toBe(false);
    expect(s.inboundCount()).toBe(1);
    s.clearInbound();
    expect(s.hasInbound(2)).toBe(false);
  });

  it("remembers subscriptions by filter, replacing and removing them", () => {
    const s = new MemorySessionStore();
    s.putSubscription({ filter: "a", qos: 0 }, 0);
    s.putSubscription({ filter: "a", qos: 1 }, 5);
    s.putSubscription({ filter: "b", qos: 2 }, 0);
    s.removeSubscription("b");
    expect(s.subscriptions()).toEqual([{ subscription: { filter: "a", qos: 1 }, identifier: 5 }]);
  });
});
