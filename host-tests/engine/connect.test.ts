import { describe, expect, it } from "vitest";
import { EngineState, LocalReason, MqttLimitError } from "../../src/engine/index";
import type { ConnectPacket } from "../../src/codec/packet";
import { EngineDriver } from "../support/engine-harness";

describe("CONNECT", () => {
  it("writes a minimal MQTT 5 CONNECT announcing our Receive Maximum and Maximum Packet Size", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c" });
    expect(d.takeHex()).toBe("10 16 00 04 4d 51 54 54 05 02 00 3c 08 21 00 10 27 00 00 04 00 00 01 63");
    expect(d.engine.state).toBe(EngineState.CONNECTING);
  });

  it("carries every field and property: credentials, will with all will properties, user properties", () => {
    const d = new EngineDriver({ receiveBufferSize: 2048 });
    const will = {
      topic: "w/t", payload: "bye", qos: 1 as const, retain: true,
      properties: {
        willDelayInterval: 5, payloadFormatIndicator: 1, messageExpiryInterval: 60, contentType: "text/plain",
        responseTopic: "r/t", correlationData: new Uint8Array([1, 2]), userProperties: [["k", "v"]] as [string, string][],
      },
    };
    d.open({
      clientId: "dev", cleanStart: false, keepAlive: 30, username: "u", password: "p", will,
      properties: {
        sessionExpiryInterval: 3600, receiveMaximum: 5, maximumPacketSize: 1500, topicAliasMaximum: 4,
        requestResponseInformation: 1, requestProblemInformation: 0, userProperties: [["a", "b"]],
      },
    });
    const [connect] = d.takePackets() as ConnectPacket[];
    expect(connect).toMatchObject({
      type: 1, protocolVersion: 5, clientId: "dev", cleanStart: false, keepAlive: 30, username: "u",
      will: { topic: "w/t", qos: 1, retain: true, properties: will.properties },
      properties: {
        sessionExpiryInterval: 3600, receiveMaximum: 5, maximumPacketSize: 1500, topicAliasMaximum: 4,
        requestResponseInformation: 1, requestProblemInformation: 0, userProperties: [["a", "b"]],
      },
    });
  });

  it("caps the announced Maximum Packet Size at the receive buffer", () => {
    const d = new EngineDriver({ receiveBufferSize: 512 });
    d.open({ clientId: "c", properties: { maximumPacketSize: 100000 } });
    const [connect] = d.takePackets() as ConnectPacket[];
    expect(connect.properties?.maximumPacketSize).toBe(512);
  });
});

describe("CONNACK", () => {
  it("reports success, session present, and adopts an assigned client identifier", () => {
    const d = new EngineDriver();
    d.open({ clientId: "", cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    d.take();
    d.server({ type: 2, sessionPresent: true, reasonCode: 0, properties: { assignedClientIdentifier: "auto-1" } });
    expect(d.events()).toEqual([{ event: "connack", reasonCode: 0, sessionPresent: true, properties: { assignedClientIdentifier: "auto-1" } }]);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    expect(d.engine.clientId).toBe("auto-1");
  });

  it("reuses the assigned client identifier on the next connection", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "", properties: { sessionExpiryInterval: 60 } }, { assignedClientIdentifier: "auto-1" });
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    const [connect] = d.takePackets() as ConnectPacket[];
    expect(connect.clientId).toBe("auto-1");
    expect(connect.cleanStart).toBe(false);
  });

  it("surfaces a refusal reason code, then asks to close", () => {
    const d = new EngineDriver();
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0x86 });
    const events = d.events();
    expect(events[0]).toMatchObject({ event: "connack", reasonCode: 0x86 });
    expect(events[1]).toMatchObject({ event: "close", reasonCode: 0x86 });
    expect(d.engine.state).toBe(EngineState.CLOSING);
  });

  it("surfaces the Server Reference of a CONNACK 0x9C (use another server)", () => {
    const d = new EngineDriver();
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0x9c, properties: { serverReference: "other:1883" } });
    expect(d.engine.serverReference).toBe("other:1883");
  });

  it("lets the Server Keep Alive override ours", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", keepAlive: 60 }, { serverKeepAlive: 5 });
    expect(d.advance(4999)).toBe(1);
    d.advance(1);
    expect(d.takeHex()).toBe("c0 00");
  });

  it("treats a second CONNACK as a protocol error (DISCONNECT 0x82)", () => {
    const d = new EngineDriver();
    d.connected();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0 });
    expect(d.takeHex()).toBe("e0 01 82");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x82 }]);
  });

  it("closes with DISCONNECT 0x82 on Session Present 1 after Clean Start 1 [MQTT-3.2.2-2] [MQTT-3.2.2-4]", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c" });
    d.take();
    d.feed("20 03 01 00 00");
    expect(d.takeHex()).toBe("e0 01 82");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x82, error: "CONNACK.sessionPresent: Session Present 1 in answer to Clean Start 1" }]);
    expect(d.engine.state).toBe(EngineState.CLOSING);
  });

  it("accepts Session Present 1 after Clean Start 0 (the server kept the session)", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c", cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    d.take();
    d.feed("20 03 01 00 00");
    expect(d.events()).toMatchObject([{ event: "connack", sessionPresent: true }]);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
  });

  it("declares a connect timeout when no CONNACK comes", () => {
    const d = new EngineDriver({ connectTimeoutMs: 5000 });
    d.open();
    expect(d.advance(4000)).toBe(1000);
    d.advance(1000);
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: LocalReason.CONNECT_TIMEOUT }]);
  });
});

describe("CONNACK limits are enforced locally", () => {
  it("refuses a publish above the server's Maximum QoS without writing anything", () => {
    const d = new EngineDriver();
    d.connected(undefined, { maximumQoS: 1 });
    expect(() => d.engine.publish("t", "x", 2, false)).toThrow(MqttLimitError);
    expect(d.engine.pending()).toBe(0);
  });

  it("refuses a retained publish when Retain Available is 0", () => {
    const d = new EngineDriver();
    d.connected(undefined, { retainAvailable: 0 });
    expect(() => d.engine.publish("t", "x", 0, true)).toThrow(/retain/);
    expect(d.engine.pending()).toBe(0);
  });

  it("refuses wildcard, shared and subscription-identifier subscriptions the server does not support", () => {
    const d = new EngineDriver();
    d.connected(undefined, { wildcardSubscriptionAvailable: 0, sharedSubscriptionAvailable: 0, subscriptionIdentifierAvailable: 0 });
    expect(() => d.engine.subscribe([{ filter: "a/+", qos: 0 }])).toThrow(/wildcard/);
    expect(() => d.engine.subscribe([{ filter: "a/#", qos: 0 }])).toThrow(/wildcard/);
    expect(() => d.engine.subscribe([{ filter: "$share/g/a", qos: 0 }])).toThrow(/shared/);
    expect(() => d.engine.subscribe([{ filter: "a", qos: 0 }], { subscriptionIdentifiers: [7] })).toThrow(/identifier/);
    expect(d.engine.pending()).toBe(0);
  });

  it("refuses a publish larger than the server's Maximum Packet Size", () => {
    const d = new EngineDriver();
    d.connected(undefined, { maximumPacketSize: 20 });
    expect(() => d.engine.publish("t", "x".repeat(20), 0, false)).toThrow(/Maximum Packet Size/);
    expect(d.engine.publish("t", "x".repeat(10), 0, false)).toBe(0);
  });
});

describe("refusal messages", () => {
  it("names the CONNACK reason in the error passed to onClose", () => {
    const d = new EngineDriver();
    d.open();
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0x86 });
    expect(d.events()[1]).toMatchObject({ event: "close", reasonCode: 0x86, error: "CONNACK: connection refused: 0x86 Bad User Name or Password" });
  });
});
