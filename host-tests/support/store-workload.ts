// Random session-store workloads, and the power-cut check run over them (pure TypeScript: the flash store
// cases run it on Node and on the XS host).
//
// The check: run a workload on a FlashSessionStore over FakeSdkFlash with a power cut after k flash steps
// (bytes programmed or blocks erased), for every k; bring the power back and open the store again. It must
// open, and hold exactly what the operations that returned before the cut left, or that plus the operation
// the cut interrupted (which completes or not, never half). A MemorySessionStore given the same operations is
// the reference. Then the reopened store must go on working: more operations, another reopen, same contents.

import type { QoS, Subscription } from "../../src/codec/packet";
import { FlashSessionStore, type FlashSessionStoreOptions } from "../../src/engine/flash-session-store";
import { MemorySessionStore } from "../../src/engine/memory-session-store";
import { RecordKind, type RecordKindValue, type SessionStore } from "../../src/engine/session-store";
import { SdkFlashArea } from "../../src/platform/moddable/sdk-flash-area";
import { FakeSdkFlash, PowerCut } from "./fake-sdk-flash";

export type StoreOp =
  | { op: "append"; kind: RecordKindValue; qos: QoS; packetId: number; token: number; bytes: Uint8Array }
  | { op: "update"; index: number; kind: RecordKindValue; packetId: number }
  | { op: "remove"; index: number }
  | { op: "addInbound"; id: number }
  | { op: "removeInbound"; id: number }
  | { op: "clearInbound" }
  | { op: "putSubscription"; subscription: Subscription; identifier: number }
  | { op: "removeSubscription"; filter: string }
  | { op: "clearSession" };

/** Applies `op`; false when the store refused it (an append with no room, an inbound id beyond capacity). */
export function applyOp(store: SessionStore, op: StoreOp): boolean {
  switch (op.op) {
    case "append": return store.append(op.kind, op.qos, op.packetId, op.token, op.bytes, 0, op.bytes.length) >= 0;
    case "update": store.update(handleAt(store, op.index), op.kind, op.packetId); return true;
    case "remove": store.remove(handleAt(store, op.index)); return true;
    case "addInbound": return store.addInbound(op.id);
    case "removeInbound": store.removeInbound(op.id); return true;
    case "clearInbound": store.clearInbound(); return true;
    case "putSubscription": store.putSubscription(op.subscription, op.identifier); return true;
    case "removeSubscription": store.removeSubscription(op.filter); return true;
    case "clearSession": store.clearSession(); return true;
  }
}

function handleAt(store: SessionStore, index: number): number {
  let h = store.first();
  for (let i = 0; i < index; i++) h = store.next(h);
  return h;
}

/** A store's contents as one string: records in order (state, ids, token, bytes), inbound ids, subscriptions. */
export function snapshot(store: SessionStore): string {
  const records: string[] = [];
  for (let h = store.first(); h >= 0; h = store.next(h)) {
    const bytes = new Uint8Array(store.byteLength(h));
    store.copyTo(h, bytes, 0);
    records.push(`${store.kind(h)}/${store.qos(h)}/${store.packetId(h)}/${store.token(h)}/${hex(bytes)}`);
  }
  const inbound: number[] = [];
  for (let i = 0; i < store.inboundCount(); i++) inbound.push(store.inboundId(i));
  inbound.sort((a, b) => a - b);
  const subscriptions = store.subscriptions().map((s) => JSON.stringify([s.subscription.filter, s.subscription.qos, s.subscription.noLocal ?? false,
    s.subscription.retainAsPublished ?? false, s.subscription.retainHandling ?? 0, s.identifier])).sort();
  return `${records.join(",")}|${inbound.join(",")}|${subscriptions.join(",")}`;
}

/** A MemorySessionStore holding what `store` holds (the reference after a reopen). */
export function copyToMemory(store: SessionStore): MemorySessionStore {
  const memory = new MemorySessionStore({ records: 256, bytes: 65536, inbound: 256 });
  for (let h = store.first(); h >= 0; h = store.next(h)) {
    const bytes = new Uint8Array(store.byteLength(h));
    store.copyTo(h, bytes, 0);
    memory.append(store.kind(h), store.qos(h), store.packetId(h), store.token(h), bytes, 0, bytes.length);
  }
  for (let i = 0; i < store.inboundCount(); i++) memory.addInbound(store.inboundId(i));
  for (const s of store.subscriptions()) memory.putSubscription(s.subscription, s.identifier);
  return memory;
}

/** Deterministic random numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

export interface WorkloadOptions {
  seed: number;
  ops: number;
  /** Record bytes, [min, max]. */
  sizes: [number, number];
  /** Records the workload keeps at most (it removes more often near this). */
  records: number;
}

/** Operations as a session makes them: records appended, moved on (QUEUED -> PUBLISH -> PUBREL) and removed
 * mostly oldest first, inbound QoS 2 ids held and released, now and then a subscription or a clean start. */
export function workload(o: WorkloadOptions): StoreOp[] {
  const random = seeded(o.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const model = new MemorySessionStore({ records: 256, bytes: 65536, inbound: 256 });
  const ops: StoreOp[] = [];
  let token = 1;
  let packetId = 0;
  const nextId = () => (packetId = packetId === 65535 ? 1 : packetId + 1);
  while (ops.length < o.ops) {
    const r = random();
    const count = model.count();
    let op: StoreOp | undefined;
    if (r < 0.4 && count < o.records) {
      const size = o.sizes[0] + pick(o.sizes[1] - o.sizes[0] + 1);
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = pick(256);
      const queued = random() < 0.3;
      op = { op: "append", kind: queued ? RecordKind.QUEUED : RecordKind.PUBLISH, qos: random() < 0.5 ? 1 : 2, packetId: queued ? 0 : nextId(), token: token++, bytes };
    } else if (r < 0.65 && count > 0) {
      op = { op: "remove", index: random() < 0.8 ? 0 : pick(count) };
    } else if (r < 0.8 && count > 0) {
      const index = pick(count);
      let h = model.first();
      for (let i = 0; i < index; i++) h = model.next(h);
      const kind = model.kind(h);
      if (kind === RecordKind.QUEUED) op = { op: "update", index, kind: RecordKind.PUBLISH, packetId: nextId() };
      else if (kind === RecordKind.PUBLISH && model.qos(h) === 2) op = { op: "update", index, kind: RecordKind.PUBREL, packetId: model.packetId(h) };
      else if (kind === RecordKind.PUBLISH) op = { op: "update", index, kind: RecordKind.QUEUED, packetId: 0 };
    } else if (r < 0.88) {
      op = { op: "addInbound", id: 1 + pick(40) };
    } else if (r < 0.94) {
      op = { op: "removeInbound", id: 1 + pick(40) };
    } else if (r < 0.95) {
      op = { op: "clearInbound" };
    } else if (r < 0.98) {
      const filter = ["a/b", "sensors/#", "cmd/+/x", "ü/ß"][pick(4)]!;
      op = { op: "putSubscription", subscription: { filter, qos: pick(3) as QoS, noLocal: random() < 0.5, retainHandling: pick(3) as 0 | 1 | 2 }, identifier: pick(3) };
    } else if (r < 0.995) {
      op = { op: "removeSubscription", filter: ["a/b", "sensors/#"][pick(2)]! };
    } else {
      op = { op: "clearSession" };
    }
    if (op === undefined) continue;
    applyOp(model, op);
    ops.push(op);
  }
  return ops;
}

export interface CutRunOptions {
  workload: StoreOp[];
  /** The flash: its size and erase block (small blocks make compactions frequent). */
  areaBytes: number;
  blockSize: number;
  store: FlashSessionStoreOptions;
  /** Every `stride`-th cut point (1: every byte of every write and every erase). */
  stride?: number;
  /** Operations run after each recovery before the last reopen. */
  after?: number;
}

export interface CutRunResult {
  /** Flash steps the uninterrupted workload took (bytes programmed + blocks erased, the format included). */
  steps: number;
  cuts: number;
  /** Recoveries that found a torn entry and dropped it. */
  tornEntries: number;
  /** Cuts where the interrupted operation was found done / not done after the reopen. */
  completed: number;
  rolledBack: number;
  compactions: number;
}

/** The power-cut check described at the top of this file; throws on the first cut that breaks it. */
export function cutEverywhere(o: CutRunOptions): CutRunResult {
  const area = (flash: FakeSdkFlash) => new SdkFlashArea(flash);
  // The uninterrupted run: what each operation did, and the contents after each.
  const dry = new FakeSdkFlash(o.areaBytes, o.blockSize, 7);
  const store = FlashSessionStore.open(area(dry), o.store);
  const model = new MemorySessionStore({ records: 256, bytes: 65536, inbound: 256 });
  const accepted: boolean[] = [];
  const states: string[] = [snapshot(model)];
  const stepsBefore: number[] = [];
  for (const op of o.workload) {
    stepsBefore.push(dry.steps);
    const ok = applyOp(store, op);
    accepted.push(ok);
    if (ok) applyOp(model, op);
    states.push(snapshot(model));
  }
  const result: CutRunResult = { steps: dry.steps, cuts: 0, tornEntries: 0, completed: 0, rolledBack: 0, compactions: store.stats.compactions };
  const stride = o.stride ?? 1;
  for (let k = 0; k < dry.steps; k += stride) {
    const flash = new FakeSdkFlash(o.areaBytes, o.blockSize, 1000 + k);
    flash.cutAfter(k);
    // The operation the cut interrupts (-1: the opening format).
    let interrupted = -1;
    for (let i = 0; i < stepsBefore.length && stepsBefore[i]! <= k; i++) interrupted = i;
    try {
      const cut = FlashSessionStore.open(area(flash), o.store);
      for (let i = 0; i < o.workload.length; i++) applyOp(cut, o.workload[i]!);
      throw new Error(`cut at step ${k}: the workload finished without reaching it`);
    } catch (e) {
      if (!(e instanceof PowerCut)) throw e;
    }
    result.cuts++;
    const powered = flash.reopen();
    const reopened = FlashSessionStore.open(area(powered), o.store);
    if (reopened.tornEntry) result.tornEntries++;
    const got = snapshot(reopened);
    const before = states[interrupted < 0 ? 0 : interrupted]!;
    const after = states[interrupted + 1]!;
    if (got === after && (interrupted < 0 || accepted[interrupted])) result.completed++;
    else if (got === before) result.rolledBack++;
    else throw new Error(`cut at step ${k} (in operation ${interrupted}: ${describe(o.workload[interrupted])}): reopened store holds\n  ${got}\nexpected\n  ${before}\nor\n  ${after}`);
    checkGoesOn(reopened, powered, o, k);
  }
  return result;
}

// After a recovery the store takes more operations and keeps them through one more reopen.
function checkGoesOn(store: FlashSessionStore, flash: FakeSdkFlash, o: CutRunOptions, k: number): void {
  const reference = copyToMemory(store);
  const more = workload({ seed: k + 1, ops: o.after ?? 6, sizes: [4, 40], records: 4 });
  for (const op of more) {
    // Operations of the fresh workload name records by position: skip those the recovered store lacks.
    if ((op.op === "update" || op.op === "remove") && op.index >= store.count()) continue;
    if (op.op === "update") {
      const h = handleAt(store, op.index);
      if (store.kind(h) === RecordKind.PUBREL) continue;
    }
    if (applyOp(store, op)) applyOp(reference, op);
  }
  const again = FlashSessionStore.open(new SdkFlashArea(flash.reopen()), o.store);
  const got = snapshot(again);
  const want = snapshot(reference);
  if (got !== want) throw new Error(`cut at step ${k}: after recovery and more operations, a reopen holds\n  ${got}\nexpected\n  ${want}`);
}

function describe(op: StoreOp | undefined): string {
  if (op === undefined) return "format";
  return JSON.stringify(op, (key, value: unknown) => (value instanceof Uint8Array ? `${value.length} bytes` : value));
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  return s;
}
