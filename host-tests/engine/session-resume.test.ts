import { describe, expect, it } from "vitest";
import type { ConnectPacket, SubscribePacket } from "../../src/codec/packet";
import { LocalReason, MemorySessionStore } from "../../src/engine/index";
import { STALE_AFTER } from "../../src/engine/unconfirmed-inbound";
import { EngineDriver } from "../support/engine-harness";

const persistent = { clientId: "c", properties: { sessionExpiryInterval: 600 } };

function reconnect(d: EngineDriver, sessionPresent: boolean): void {
  d.engine.connectionClosed(d.now);
  d.engine.connectionOpened(d.now);
  d.take();
  d.server({ type: 2, sessionPresent, reasonCode: 0 });
}

describe("session resume", () => {
  it("reconnects with Clean Start 0 when the session outlives the connection", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    const [connect] = d.takePackets() as ConnectPacket[];
    expect(connect.cleanStart).toBe(false);
  });

  it("resends every unacknowledged PUBLISH with DUP=1 and every PUBREL, in the original order", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.engine.publish("t", "b", 2, false);
    d.engine.publish("t", "a", 1, false);
    d.take();
    d.feed("50 02 00 01");
    expect(d.takeHex()).toBe("62 02 00 01");
    reconnect(d, true);
    expect(d.takeHex()).toBe("62 02 00 01 3a 07 00 01 74 00 02 00 61");
  });

  it("completes resent messages normally after the resume", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    const token = d.engine.publish("t", "a", 1, false);
    d.take();
    reconnect(d, true);
    d.take();
    d.events();
    d.feed("40 02 00 01");
    expect(d.events()).toEqual([{ event: "publishDone", token, reasonCode: 0 }]);
  });

  it("sends in-flight messages again as new ones when the server lost the session (policy resend)", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    const a = d.engine.publish("t", "a", 1, false);
    const b = d.engine.publish("t", "b", 2, false);
    d.take();
    d.feed("50 02 00 02");
    d.take();
    reconnect(d, false);
    const events = d.events();
    expect(events).toContainEqual({ event: "publishDone", token: b, reasonCode: LocalReason.SESSION_LOST });
    expect(d.takeHex()).toBe("32 07 00 01 74 00 03 00 61");
    d.feed("40 02 00 03");
    expect(d.events()).toEqual([{ event: "publishDone", token: a, reasonCode: 0 }]);
  });

  it("fails in-flight messages back to the app when the server lost the session (policy fail)", () => {
    const d = new EngineDriver();
    d.connected({ ...persistent, sessionLostPolicy: "fail" });
    const a = d.engine.publish("t", "a", 1, false);
    d.take();
    reconnect(d, false);
    expect(d.events()).toContainEqual({ event: "publishDone", token: a, reasonCode: LocalReason.SESSION_LOST });
    expect(d.take().length).toBe(0);
  });

  it("keeps an inbound QoS 2 id across a reconnect so the resent PUBLISH is not delivered twice", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.feed("34 07 00 01 74 00 06 00 78");
    d.take();
    reconnect(d, true);
    d.events();
    d.feed("3c 07 00 01 74 00 06 00 78");
    expect(d.takeHex()).toBe("50 02 00 06");
    expect(d.events()).toEqual([]);
    d.feed("62 02 00 06");
    expect(d.takeHex()).toBe("70 02 00 06");
  });

  it(`frees inbound QoS 2 ids the server left unconfirmed through ${STALE_AFTER} resumed sessions once the store is full, so new QoS 2 messages still arrive`, () => {
    const d = new EngineDriver({ store: new MemorySessionStore({ inbound: 4 }) });
    d.connected(persistent);
    for (const id of [1, 2, 3, 4]) d.feed(`34 07 00 01 74 00 0${id} 00 78`);
    expect(d.takeHex()).toBe("50 02 00 01 50 02 00 02 50 02 00 03 50 02 00 04");
    // The server owes four PUBRELs and never sends them: something new is refused until the ids are stale.
    for (let resumes = 1; resumes <= STALE_AFTER; resumes++) {
      reconnect(d, true);
      d.take();
      d.events();
      d.feed("34 07 00 01 74 00 05 00 78");
      const taken = d.takeHex();
      if (resumes < STALE_AFTER) expect(taken).toBe("");
      else expect(taken).toBe("50 02 00 05");
    }
    expect(d.events()).toMatchObject([{ event: "message", topic: "t", payload: "x" }]);
  });

  it("keeps a held id the server confirms after a resume (PUBREL or the PUBLISH again), and forgets none too early", () => {
    const d = new EngineDriver({ store: new MemorySessionStore({ inbound: 4 }) });
    d.connected(persistent);
    for (const id of [1, 2, 3, 4]) d.feed(`34 07 00 01 74 00 0${id} 00 78`);
    d.take();
    for (let resumes = 1; resumes < STALE_AFTER; resumes++) reconnect(d, true);
    d.take();
    d.events();
    d.feed("3c 07 00 01 74 00 01 00 78"); // id 1 resent: confirmed, not delivered again
    expect(d.takeHex()).toBe("50 02 00 01");
    reconnect(d, true); // 2, 3 and 4 are now stale; 1 starts again
    d.take();
    d.events();
    d.feed("34 07 00 01 74 00 05 00 78");
    d.feed("34 07 00 01 74 00 06 00 78");
    expect(d.takeHex()).toBe("50 02 00 05 50 02 00 06");
    expect(d.events()).toHaveLength(2);
    // 1 (confirmed), 5 and 6 (new) are still held: sent again, they are not delivered twice.
    for (const id of [1, 5, 6]) d.feed(`3c 07 00 01 74 00 0${id} 00 78`);
    expect(d.takeHex()).toBe("50 02 00 01 50 02 00 05 50 02 00 06");
    expect(d.events()).toEqual([]);
  });

  it("lets the session outlive the engine: a new engine on the same store resends with DUP=1", () => {
    const store = new MemorySessionStore();
    const first = new EngineDriver({ store });
    first.connected(persistent);
    first.engine.publish("t", "a", 1, false);
    first.take();
    const second = new EngineDriver({ store });
    second.open({ ...persistent, cleanStart: false });
    second.take();
    second.server({ type: 2, sessionPresent: true, reasonCode: 0 });
    expect(second.takeHex()).toBe("3a 07 00 01 74 00 01 00 61");
    second.events();
    second.feed("40 02 00 01");
    expect(second.events()).toMatchObject([{ event: "publishDone", reasonCode: 0 }]);
  });

  it("subscribes again, with the subscription identifier, when the server lost the session", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.engine.subscribe([{ filter: "a/#", qos: 1 }], { subscriptionIdentifiers: [42] });
    d.take();
    d.feed("90 04 00 01 00 01");
    reconnect(d, false);
    const [sub] = d.takePackets() as SubscribePacket[];
    expect(sub).toMatchObject({ type: 8, subscriptions: [{ filter: "a/#", qos: 1 }], properties: { subscriptionIdentifiers: [42] } });
  });

  it("makes every subscription again when they outnumber the pending-request table, as SUBACKs free it", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    const hex = (n: number) => n.toString(16).padStart(2, "0");
    for (let i = 0; i < 12; i++) {
      d.engine.subscribe([{ filter: `f/${i}`, qos: 1 }]);
      d.take();
      d.feed(`90 04 00 ${hex(i + 1)} 00 01`);
    }
    reconnect(d, false);
    let batch = d.takePackets() as SubscribePacket[];
    expect(batch.length).toBeLessThan(12); // the table of pending requests holds 8
    const filters: string[] = [];
    while (batch.length > 0) {
      for (const p of batch) filters.push(p.subscriptions[0]!.filter);
      for (const p of batch) d.feed(`90 04 00 ${hex(p.packetId)} 00 01`);
      batch = d.takePackets() as SubscribePacket[];
    }
    expect(filters).toEqual(Array.from({ length: 12 }, (_, i) => `f/${i}`));
  });

  it("does not subscribe again when the session is present", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.engine.subscribe([{ filter: "a", qos: 1 }]);
    d.take();
    d.feed("90 04 00 01 00 01");
    reconnect(d, true);
    expect(d.take().length).toBe(0);
  });

  it("does not subscribe again to a filter the server refused", () => {
    const d = new EngineDriver();
    d.connected(persistent);
    d.engine.subscribe([{ filter: "ok", qos: 1 }, { filter: "denied", qos: 1 }]);
    d.take();
    d.feed("90 05 00 01 00 01 87");
    reconnect(d, false);
    const subs = d.takePackets() as SubscribePacket[];
    expect(subs.map((s) => s.subscriptions.map((x) => x.filter))).toEqual([["ok"]]);
  });
});
