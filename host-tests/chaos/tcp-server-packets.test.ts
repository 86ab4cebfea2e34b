// The same server byte streams as engine-server-packets.test.ts, now over a real TCP connection from the
// scripted broker to the engine driven by TcpSession: a malformed stream makes the client write DISCONNECT
// with the reason code and close the socket, and the app gets a typed MqttError; a tolerated stream
// delivers its messages and the connection keeps working.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttError } from "../../src/codec/errors";
import type { DisconnectPacket, Packet } from "../../src/codec/packet";
import { decodeAll, fromHex } from "../support/engine-harness";
import { ScriptedBroker, type ScriptedConnection } from "../support/scripted-broker";
import { MALFORMED_CASES, SCENARIO_CONNECT, TOLERATED_CASES } from "./cases/server-packets";
import { TcpSession } from "./support/tcp-session";
import { until } from "./support/until";

let broker: ScriptedBroker;
beforeAll(async () => {
  broker = await ScriptedBroker.start();
});
afterAll(async () => {
  await broker?.close();
});

async function connected(receiveBufferSize?: number): Promise<{ session: TcpSession; conn: ScriptedConnection }> {
  const session = new TcpSession({
    port: broker.port,
    connect: { ...SCENARIO_CONNECT, properties: { ...SCENARIO_CONNECT.properties } },
    engine: receiveBufferSize ? { receiveBufferSize } : undefined,
    reconnect: false,
  });
  session.start();
  const conn = await broker.accept();
  await conn.handshake();
  await until(() => session.connected, 5000, "CONNACK");
  return { session, conn };
}

const ackShape = (p: Packet): unknown => ({ type: p.type, packetId: "packetId" in p ? p.packetId : undefined, reasonCode: "reasonCode" in p ? p.reasonCode : undefined });

describe("malformed server packets over TCP", () => {
  it.each(MALFORMED_CASES.map((c) => [c.name, c] as const))("%s: DISCONNECT, socket closed, typed error", async (_name, c) => {
    const { session, conn } = await connected();
    let packetId = 0;
    if (c.subscribe || c.unsubscribe) {
      if (c.subscribe) session.subscribe(["a", "b"], 1);
      else session.unsubscribe(["a", "b"]);
      const request = await conn.next();
      packetId = "packetId" in request ? request.packetId : 0;
    }
    conn.send(c.bytes({ packetId }));
    // Acks for packets that came before the bad one may precede the DISCONNECT; nothing else may.
    let next = await conn.next();
    while (next.type === 4 || next.type === 5 || next.type === 7) next = await conn.next();
    expect(next.type).toBe(14);
    const disconnect = next as DisconnectPacket;
    expect(c.reasonCodes).toContain(disconnect.reasonCode);
    await conn.waitClosed();
    await until(() => session.closes.length === 1, 5000, "the close");
    const error = session.closes[0].error;
    expect(error).toBeInstanceOf(MqttError);
    expect((error as MqttError).reasonCode).toBe(disconnect.reasonCode);
    expect(session.closes[0].reasonCode).toBe(disconnect.reasonCode);
  });
});

describe("tolerated server packets over TCP", () => {
  it.each(TOLERATED_CASES.map((c) => [c.name, c] as const))("%s: delivered, answered, still connected", async (_name, c) => {
    const { session, conn } = await connected(c.receiveBufferSize);
    conn.send(c.bytes());
    const expectedAnswer = decodeAll(fromHex(c.answer)).map(ackShape);
    const answer: unknown[] = [];
    while (answer.length < expectedAnswer.length) answer.push(ackShape(await conn.next()));
    expect(answer).toEqual(expectedAnswer);
    // A probe after the case proves the connection still carries messages.
    conn.send("30 08 00 05 70 72 6f 62 65 00");
    await until(() => session.messages.some((m) => m.topic === "probe"), 5000, "the probe message");
    const seen = session.messages.filter((m) => m.topic !== "probe");
    expect(seen.map((m) => ({ topic: m.topic, payload: m.payload, retain: m.retain }))).toEqual(
      c.messages.map((m) => ({ topic: m.topic, payload: m.payload, retain: m.retain ?? false })),
    );
    expect(session.closes).toEqual([]);
    expect(conn.isClosed).toBe(false);
    session.stop();
    await conn.expect(14);
  });
});
