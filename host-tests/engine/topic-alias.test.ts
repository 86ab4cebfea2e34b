import { describe, expect, it } from "vitest";
import { decodeAll, EngineDriver } from "../support/engine-harness";

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

describe("outbound topic aliases: configuration and limits (issue 13)", () => {
  const payload18 = "0123456789abcdefgh";

  it("sends no alias when ours are off (outboundTopicAliases 0), even when the server grants some", () => {
    const d = new EngineDriver({ outboundTopicAliases: 0 });
    d.connected(undefined, { topicAliasMaximum: 5 });
    expect(d.engine.publish("a", "x", 0, false)).toBe(0);
    expect(d.engine.publish("a", "y", 1, false, { contentType: "t" })).toBe(1);
    expect(d.takeHex()).toBe("30 05 00 01 61 00 78 32 0b 00 01 61 00 01 04 03 00 01 74 79");
    expect(d.engine.inflightCount).toBe(1);
  });

  it("never writes to the app's properties object, with or without an alias", () => {
    for (const outboundTopicAliases of [0, 2]) {
      const d = new EngineDriver({ outboundTopicAliases });
      d.connected(undefined, { topicAliasMaximum: 5 });
      const properties = Object.freeze({ contentType: "t" });
      d.engine.publish("a", "x", 1, false, properties);
      d.engine.publish("a", "x", 0, false, properties);
      expect(Object.keys(properties)).toEqual(["contentType"]);
    }
  });

  it("sends a publish without the alias when the alias would take it over the server's Maximum Packet Size", () => {
    const d = new EngineDriver();
    d.connected(undefined, { topicAliasMaximum: 5, maximumPacketSize: 30 });
    // 29 bytes with the full topic; topic + alias would be 32 (QoS 1: 2 bytes of packet id, 2 less payload).
    expect(d.engine.publish("abcdef", payload18, 0, false)).toBe(0);
    expect(d.engine.publish("abcdef", payload18.slice(2), 1, false)).toBe(1);
    const packets = d.takePackets();
    expect(packets).toMatchObject([{ type: 3, topic: "abcdef", properties: undefined }, { type: 3, topic: "abcdef", packetId: 1 }]);
  });

  it("still binds aliases for topics whose aliased form fits", () => {
    const d = new EngineDriver();
    d.connected(undefined, { topicAliasMaximum: 5, maximumPacketSize: 30 });
    d.engine.publish("abcdef", payload18, 0, false); // does not fit with the alias
    d.engine.publish("abc", "x", 0, false);
    d.engine.publish("abc", "y", 0, false);
    expect(d.takeHex()).toContain("30 0a 00 03 61 62 63 03 23 00 01 78 30 07 00 00 03 23 00 01 79");
  });

  it("refuses only what fits in no form, and then takes nothing", () => {
    const d = new EngineDriver();
    d.connected(undefined, { topicAliasMaximum: 5, maximumPacketSize: 30 });
    expect(() => d.engine.publish("abcdef", payload18 + "xy", 1, false)).toThrow(/Maximum Packet Size/);
    expect(d.engine.inflightCount).toBe(0);
    expect(d.engine.publish("abcdef", payload18.slice(2), 1, false)).toBe(1);
    const bytes = d.take();
    expect(bytes.length).toBe(29);
    expect(decodeAll(bytes)).toMatchObject([{ type: 3, packetId: 1 }]);
  });
});
