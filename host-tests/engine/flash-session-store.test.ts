// FlashSessionStore over the SDK flash stand-in (FakeSdkFlash: NOR semantics, power cuts at any step): what
// survives a reopen, compaction and its wear, power cuts at every byte of every write, and the typed errors
// of an area that cannot be read back. The same power-cut check runs on the XS engine (host-tests/xs).
import type { ConnectPacket, PublishPacket } from "../../src/codec/packet";
import { describe, expect, it } from "vitest";
import { FlashSessionStore, RecordKind, SessionStoreError, type FlashSessionStoreOptions } from "../../src/engine/index";
import { SdkFlashArea } from "../../src/platform/moddable/sdk-flash-area";
import { EngineDriver } from "../support/engine-harness";
import { FakeSdkFlash, PowerCut } from "../support/fake-sdk-flash";
import { cutEverywhere, snapshot, workload } from "../support/store-workload";

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function fresh(blocks = 4, blockSize = 4096, options: FlashSessionStoreOptions = {}) {
  const flash = new FakeSdkFlash(blocks * blockSize, blockSize);
  return { flash, store: FlashSessionStore.open(new SdkFlashArea(flash), options) };
}

function reopen(flash: FakeSdkFlash, options: FlashSessionStoreOptions = {}) {
  const powered = flash.reopen();
  return { flash: powered, store: FlashSessionStore.open(new SdkFlashArea(powered), options) };
}

describe("FlashSessionStore", () => {
  it("formats a blank area and reopens it empty", () => {
    const { flash, store } = fresh();
    expect(store.formatted).toBe(true);
    expect(store.count()).toBe(0);
    const again = reopen(flash).store;
    expect(again.formatted).toBe(false);
    expect(snapshot(again)).toBe(snapshot(store));
  });

  it("keeps records in order with their state, the inbound QoS 2 ids and the subscriptions across a reopen", () => {
    const { flash, store } = fresh();
    const a = store.append(RecordKind.QUEUED, 1, 0, 1, bytes(30, 1), 0, 30);
    store.append(RecordKind.PUBLISH, 2, 7, 2, bytes(20, 2), 0, 20);
    const c = store.append(RecordKind.PUBLISH, 1, 8, 3, bytes(10, 3), 0, 10);
    store.update(a, RecordKind.PUBLISH, 9);
    store.remove(c);
    store.addInbound(41);
    store.addInbound(42);
    store.removeInbound(41);
    store.putSubscription({ filter: "cmd/ü/#", qos: 2, noLocal: true, retainHandling: 2 }, 12);
    store.putSubscription({ filter: "x", qos: 0 }, 0);
    store.removeSubscription("x");
    const { store: again } = reopen(flash);
    expect(snapshot(again)).toBe(snapshot(store));
    expect([again.count(), again.inboundCount(), again.subscriptions().length, again.tornEntry]).toEqual([2, 1, 1, false]);
    const first = again.first();
    expect([again.kind(first), again.qos(first), again.packetId(first), again.token(first)]).toEqual([RecordKind.PUBLISH, 1, 9, 1]);
    expect(again.subscriptions()).toEqual([{ subscription: { filter: "cmd/ü/#", qos: 2, noLocal: true, retainHandling: 2 }, identifier: 12 }]);
  });

  it("compacts a full region into the other one: each compaction erases one region, whatever the traffic", () => {
    const { flash, store } = fresh(4, 4096);
    for (let i = 1; i <= 400; i++) {
      const h = store.append(RecordKind.PUBLISH, 1, i, i, bytes(100, i & 0xff), 0, 100);
      expect(h).toBeGreaterThanOrEqual(0);
      if (i % 3 !== 0) store.remove(h); // a third stay a while
      if (store.count() > 5) store.remove(store.first());
    }
    const stats = store.stats;
    expect(stats.compactions).toBeGreaterThan(5);
    // Two regions of two blocks: the format erased all four, each compaction erases two.
    expect(stats.erases).toBe(4 + 2 * stats.compactions);
    expect(snapshot(reopen(flash).store)).toBe(snapshot(store));
  });

  it("continues packet ids after the last one assigned, through compactions and reopens", () => {
    const { flash, store } = fresh(2, 4096);
    for (let i = 1; i <= 100; i++) store.remove(store.append(RecordKind.PUBLISH, 1, 1000 + i, i, bytes(60, 1), 0, 60));
    const q = store.append(RecordKind.QUEUED, 1, 0, 101, bytes(60, 1), 0, 60);
    store.update(q, RecordKind.PUBLISH, 2000);
    store.remove(q);
    expect(store.stats.compactions).toBeGreaterThan(0);
    expect(reopen(flash).store.lastPacketId()).toBe(2000);
  });

  it("refuses an append it has no room for (-1), writing nothing, and takes it once records are gone", () => {
    const { store } = fresh(2, 4096, { records: 200, inbound: 4 });
    const handles: number[] = [];
    for (;;) {
      const h = store.append(RecordKind.QUEUED, 1, 0, handles.length + 1, bytes(200, 1), 0, 200);
      if (h < 0) break;
      handles.push(h);
    }
    expect(handles.length).toBeGreaterThan(10);
    const written = store.stats.bytesWritten;
    expect(store.append(RecordKind.QUEUED, 1, 0, 999, bytes(200, 1), 0, 200)).toBe(-1);
    expect(store.stats.bytesWritten).toBe(written);
    store.remove(handles[0]!);
    store.remove(handles[1]!);
    expect(store.append(RecordKind.QUEUED, 1, 0, 999, bytes(200, 1), 0, 200)).toBeGreaterThanOrEqual(0);
  });

  it("refuses an append when its record table is full", () => {
    const { store } = fresh(2, 4096, { records: 2 });
    store.append(RecordKind.QUEUED, 1, 0, 1, bytes(5, 1), 0, 5);
    store.append(RecordKind.QUEUED, 1, 0, 2, bytes(5, 1), 0, 5);
    expect(store.append(RecordKind.QUEUED, 1, 0, 3, bytes(5, 1), 0, 5)).toBe(-1);
  });

  it("writes nothing when asked to forget what it does not hold", () => {
    const { store } = fresh();
    const written = store.stats.bytesWritten;
    store.clearInbound();
    store.removeInbound(5);
    store.removeSubscription("none");
    store.clearSession();
    expect(store.stats.bytesWritten).toBe(written);
  });

  it("drops an append torn by a power cut, reports it, and compacts before writing again", () => {
    const { flash, store } = fresh();
    store.append(RecordKind.PUBLISH, 1, 1, 1, bytes(40, 1), 0, 40);
    flash.cutAfter(30);
    expect(() => store.append(RecordKind.PUBLISH, 1, 2, 2, bytes(40, 2), 0, 40)).toThrow(PowerCut);
    const { flash: powered, store: again } = reopen(flash);
    expect(again.tornEntry).toBe(true);
    expect(again.count()).toBe(1);
    expect(again.stats.compactions).toBe(1);
    again.append(RecordKind.PUBLISH, 1, 3, 3, bytes(40, 3), 0, 40);
    expect(snapshot(reopen(powered).store)).toBe(snapshot(again));
  });

  it("loses nothing that completed, whatever step a power cut interrupts (every byte of every write, every erase)", () => {
    for (const seed of [3, 11]) {
      const result = cutEverywhere({
        workload: workload({ seed, ops: 150, sizes: [10, 60], records: 12 }),
        areaBytes: 2048,
        blockSize: 512,
        store: { records: 16, inbound: 8 },
      });
      expect(result.cuts).toBe(result.steps);
      expect(result.compactions).toBeGreaterThan(3);
      expect(result.tornEntries).toBeGreaterThan(result.cuts / 4);
      expect(result.completed + result.rolledBack).toBe(result.cuts);
    }
  }, 120_000);

  it("says an area whose log has an unreadable entry followed by more data is corrupt (SessionStoreError), not open without it", () => {
    const { flash, store } = fresh();
    store.append(RecordKind.PUBLISH, 1, 1, 1, bytes(40, 1), 0, 40);
    store.append(RecordKind.PUBLISH, 1, 2, 2, bytes(40, 2), 0, 40);
    flash.bytes[16 + 20] ^= 0x10; // a bit of the first record's message flips
    const error = openError(flash);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error.reason).toBe("corrupt");
    expect(error.offset).toBe(16);
  });

  it("says an area that holds data but no valid header is corrupt, and format() starts it empty", () => {
    const flash = new FakeSdkFlash(4 * 4096);
    flash.bytes.fill(0x5a, 100, 200); // another program's data
    expect(openError(flash).reason).toBe("corrupt");
    const store = FlashSessionStore.format(new SdkFlashArea(flash.reopen()));
    expect(store.count()).toBe(0);
    expect(reopen(flash).store.count()).toBe(0);
  });

  it("formats an area whose first format was cut in its header write (nothing else written)", () => {
    const flash = new FakeSdkFlash(2 * 4096);
    flash.cutAfter(2 + 5); // two erases, then 5 header bytes
    expect(() => FlashSessionStore.open(new SdkFlashArea(flash))).toThrow(PowerCut);
    expect(reopen(flash).store.formatted).toBe(true);
  });

  it("says a store reopened with room for fewer records than it holds is too-small", () => {
    const { flash, store } = fresh();
    for (let i = 0; i < 5; i++) store.append(RecordKind.QUEUED, 1, 0, i + 1, bytes(10, 1), 0, 10);
    expect(openError(flash, { records: 4 }).reason).toBe("too-small");
  });

  it("refuses sizes that cannot work with MqttArgumentError naming the option", () => {
    const flash = new FakeSdkFlash(2 * 4096);
    expect(() => FlashSessionStore.open(new SdkFlashArea(flash), { records: 0 })).toThrow(/options.records/);
    expect(() => FlashSessionStore.open(new SdkFlashArea(flash), { inbound: 1000 })).toThrow(/options.inbound/);
    expect(() => new SdkFlashArea(flash, { blocks: 3 })).toThrow(/options.blocks/);
  });
});

describe("an engine over a FlashSessionStore", () => {
  const persistent = { clientId: "c", cleanStart: false, properties: { sessionExpiryInterval: 3600 } };

  it("after a reboot, resumes the session (Clean Start 0) and resends what was in flight and queued, in order, with new ids after the old", () => {
    const flash = new FakeSdkFlash(4 * 4096);
    const d = new EngineDriver({ store: FlashSessionStore.open(new SdkFlashArea(flash)) });
    d.connected(persistent);
    d.engine.publish("t", "one", 1, false);
    d.engine.publish("t", "two", 2, false);
    d.take();
    d.engine.connectionClosed(d.now);
    d.engine.publish("t", "three", 1, false); // queued while offline
    // The power goes: a new engine over the same flash.
    const rebooted = new EngineDriver({ store: FlashSessionStore.open(new SdkFlashArea(flash.reopen())) });
    rebooted.open(persistent);
    const [connect] = rebooted.takePackets() as ConnectPacket[];
    expect(connect.cleanStart).toBe(false);
    rebooted.server({ type: 2, sessionPresent: true, reasonCode: 0 });
    const sent = rebooted.takePackets() as PublishPacket[];
    expect(sent.map((p) => [new TextDecoder().decode(p.payload as Uint8Array), p.packetId, p.dup])).toEqual([["one", 1, true], ["two", 2, true], ["three", 3, false]]);
  });

  it("stores a QoS 1 publish before it is written and reads nothing back from flash to send it", () => {
    const flash = new FakeSdkFlash(4 * 4096);
    const store = FlashSessionStore.open(new SdkFlashArea(flash));
    const d = new EngineDriver({ store });
    d.connected(persistent);
    let reads = 0;
    const read = flash.read.bind(flash);
    flash.read = (offset, length) => { reads++; return read(offset, length); };
    const written = store.stats.bytesWritten;
    d.engine.publish("t", "x", 1, false);
    expect(store.count()).toBe(1);
    expect(store.stats.bytesWritten).toBeGreaterThan(written);
    expect(reads).toBe(0);
    expect((d.takePackets()[0] as PublishPacket).packetId).toBe(1);
  });
});

function openError(flash: FakeSdkFlash, options: FlashSessionStoreOptions = {}): SessionStoreError {
  try {
    FlashSessionStore.open(new SdkFlashArea(flash.reopen()), options);
  } catch (e) {
    if (e instanceof SessionStoreError) return e;
    throw e;
  }
  throw new Error("the store opened");
}
