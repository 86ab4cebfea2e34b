// The scripted broker itself, checked with an independent client (MQTT.js) so that scenario failures
// point at our client, not at the fake broker.
import mqtt from "mqtt";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectPacket, PublishPacket, SubscribePacket } from "../../src/codec/packet";
import { hexBytes, packetBytes, ScriptedBroker } from "../support/scripted-broker";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startBroker(version: 4 | 5 = 5): Promise<ScriptedBroker> {
  const broker = await ScriptedBroker.start(version);
  cleanups.push(() => broker.close());
  return broker;
}

function mqttJs(port: number, version: 4 | 5 = 5): mqtt.MqttClient {
  const client = mqtt.connect({ host: "127.0.0.1", port, protocolVersion: version, reconnectPeriod: 0, clientId: "scripted-test" });
  client.on("error", () => undefined);
  cleanups.push(() => void client.end(true));
  return client;
}

describe("scripted broker", () => {
  it("decodes the CONNECT and answers CONNACK so a real client connects", async () => {
    const broker = await startBroker();
    const client = mqttJs(broker.port);
    const connected = new Promise<void>((r) => client.once("connect", () => r()));
    const conn = await broker.accept();
    const connect = await conn.handshake();
    await connected;
    expect(connect.clientId).toBe("scripted-test");
    expect(connect.protocolVersion).toBe(5);
  });

  it("records packets in order and sends exact bytes the client decodes", async () => {
    const broker = await startBroker();
    const client = mqttJs(broker.port);
    const conn = await broker.accept();
    await conn.handshake();
    client.subscribe("a/b", { qos: 1 });
    const sub = await conn.expect<SubscribePacket>(8);
    expect(sub.subscriptions[0]).toMatchObject({ filter: "a/b", qos: 1 });
    conn.sendPacket({ type: 9, packetId: sub.packetId, reasonCodes: [1] });
    const got = new Promise<[string, Buffer]>((r) => client.once("message", (t, p) => r([t, p])));
    // PUBLISH QoS 0, topic "a/b", no properties, payload "hi", written by hand.
    conn.send("30 08 00 03 61 2f 62 00 68 69");
    const [topic, payload] = await got;
    expect(topic).toBe("a/b");
    expect(payload.toString()).toBe("hi");
    expect(conn.received.map((p) => p.type)).toEqual([1, 8]);
  });

  it("copies publish payloads out of the decoder's reused buffer", async () => {
    const broker = await startBroker();
    const client = mqttJs(broker.port);
    const conn = await broker.accept();
    await conn.handshake();
    client.publish("t", "first");
    client.publish("t", "second");
    const a = await conn.expect<PublishPacket>(3);
    const b = await conn.expect<PublishPacket>(3);
    expect(new TextDecoder().decode(a.payload as Uint8Array)).toBe("first");
    expect(new TextDecoder().decode(b.payload as Uint8Array)).toBe("second");
  });

  it("reports a client close and rejects waiting for a packet that never comes", async () => {
    const broker = await startBroker();
    const socket = net.connect({ host: "127.0.0.1", port: broker.port });
    const conn = await broker.accept();
    socket.end();
    await conn.waitClosed();
    await expect(conn.next(100)).rejects.toThrow(/client closed/);
  });

  it("keeps raw bytes and a decode error when the client sends garbage", async () => {
    const broker = await startBroker();
    const socket = net.connect({ host: "127.0.0.1", port: broker.port });
    socket.on("error", () => undefined);
    const conn = await broker.accept();
    socket.write(hexBytes("10 ff ff ff ff 7f"));
    await expect(conn.next(2000)).rejects.toThrow();
    expect(conn.rawReceived.length).toBe(6);
    expect(conn.decodeError).toBeDefined();
    socket.destroy();
  });

  it("encodes 3.1.1 packets for a level 4 connection", async () => {
    const broker = await startBroker(4);
    const client = mqttJs(broker.port, 4);
    const connected = new Promise<void>((r) => client.once("connect", () => r()));
    const conn = await broker.accept();
    const connect: ConnectPacket = await conn.handshake();
    await connected;
    expect(connect.protocolVersion).toBe(4);
    expect(Array.from(packetBytes({ type: 2, sessionPresent: false, reasonCode: 0 }, 4))).toEqual([0x20, 2, 0, 0]);
  });
});
