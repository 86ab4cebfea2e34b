import { describe, expect, it } from "vitest";
import { EngineDriver } from "../support/engine-harness";

const withAliases = { clientId: "c", properties: { topicAliasMaximum: 2 } };

describe("inbound topic aliases", () => {
  it("maps an alias set with a topic and resolves it when the topic is empty", () => {
    const d = new EngineDriver();
    d.connected(withAliases);
    d.feed("30 08 00 01 61 03 23 00 01 78");
    d.feed("30 07 00 00 03 23 00 01 79");
    expect(d.events()).toMatchObject([{ event: "message", topic: "a", payload: "x" }, { event: "message", topic: "a", payload: "y" }]);
  });

  it("sends DISCONNECT 0x94 for alias 0 or an alias above our maximum", () => {
    for (const alias of ["00 00", "00 03"]) {
      const d = new EngineDriver();
      d.connected(withAliases);
      d.feed(`30 08 00 01 61 03 23 ${alias} 78`);
      expect(d.takeHex()).toBe("e0 01 94");
    }
  });

  it("treats an unknown alias with an empty topic as a protocol error (0x82)", () => {
    const d = new EngineDriver();
    d.connected(withAliases);
    d.feed("30 07 00 00 03 23 00 02 79");
    expect(d.takeHex()).toBe("e0 01 82");
  });

  it("forgets every inbound alias on a new connection", () => {
    const d = new EngineDriver();
    d.connected(withAliases);
    d.feed("30 08 00 01 61 03 23 00 01 78");
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0 });
    d.feed("30 07 00 00 03 23 00 01 79");
    expect(d.takeHex()).toBe("e0 01 82");
  });
});

describe("outbound topic aliases", () => {
  it("binds an alias on the first publish of a topic and then sends the alias alone", () => {
    const d = new EngineDriver();
    d.connected(undefined, { topicAliasMaximum: 1 });
    d.engine.publish("a", "x", 0, false);
    d.engine.publish("a", "x", 0, false);
    expect(d.takeHex()).toBe("30 08 00 01 61 03 23 00 01 78 30 07 00 00 03 23 00 01 78");
  });

  it("reassigns the least recently used alias when all are taken", () => {
    const d = new EngineDriver();
    d.connected(undefined, { topicAliasMaximum: 2 });
    d.engine.publish("a", "x", 0, false);
    d.engine.publish("b", "x", 0, false);
    d.engine.publish("a", "x", 0, false);
    d.take();
    d.engine.publish("c", "x", 0, false);
    expect(d.takeHex()).toBe("30 08 00 01 63 03 23 00 02 78");
  });

  it("never uses aliases beyond the server's maximum (none when it announced none)", () => {
    const d = new EngineDriver();
    d.connected();
    d.engine.publish("a", "x", 0, false);
    expect(d.takeHex()).toBe("30 05 00 01 61 00 78");
  });

  it("starts over with full topics on a new connection, and resends stored QoS 1 with the full topic", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { sessionExpiryInterval: 60 } }, { topicAliasMaximum: 1 });
    d.engine.publish("a", "x", 0, false);
    d.engine.publish("a", "y", 1, false);
    expect(d.takeHex()).toBe("30 08 00 01 61 03 23 00 01 78 32 09 00 00 00 01 03 23 00 01 79");
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    d.take();
    d.server({ type: 2, sessionPresent: true, reasonCode: 0, properties: { topicAliasMaximum: 1 } });
    expect(d.takeHex()).toBe("3a 07 00 01 61 00 01 00 79");
    d.engine.publish("a", "z", 0, false);
    expect(d.takeHex()).toBe("30 08 00 01 61 03 23 00 01 7a");
  });
});
