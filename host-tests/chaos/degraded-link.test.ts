// A working but degraded link between the client and a real mosquitto: every byte in its own write, chunks
// delayed, a stall shorter than the keepalive. Packets split at every offset must still be reassembled,
// and a slow link is not a dead one: no disconnect, every message delivered once (QoS 2) or more (QoS 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QoS } from "../../src/codec/packet";
import { FaultProxy } from "../../tools/chaos/fault-proxy";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { TcpSession } from "./support/tcp-session";

let broker: Mosquitto;
let proxy: FaultProxy;
beforeAll(async () => {
  broker = await startMosquitto();
  proxy = new FaultProxy({ targetPort: broker.port });
  await proxy.listen();
});
afterAll(async () => {
  await proxy?.close();
  await broker?.close();
});

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Publishes `count` messages at QoS 1 and 2 to itself (through the broker) and waits for all of them. */
async function roundTrip(session: TcpSession, count: number): Promise<void> {
  const sub = session.subscribe(["self/#"], 2);
  await until(() => session.subscribeDone.has(sub), 10_000, "SUBACK");
  for (let i = 0; i < count; i++) {
    for (const qos of [1, 2] as QoS[]) {
      while (session.publish(`self/${qos}`, `${qos}:${i}`, qos) <= 0) await new Promise((r) => setTimeout(r, 2));
    }
  }
  await until(() => new Set(session.messages.map((m) => m.payload)).size === 2 * count, 30_000, "all messages back");
}

function freshSession(name: string): TcpSession {
  const session = new TcpSession({ port: proxy.port, connect: { clientId: name, keepAlive: 5 }, reconnect: false });
  session.start();
  return session;
}

describe("degraded link", () => {
  it("carries QoS 1 and 2 both ways when every byte is a separate write in both directions", async () => {
    proxy.heal();
    proxy.splitBytes("up", true);
    proxy.splitBytes("down", true);
    const session = freshSession("split-bytes");
    await until(() => session.connected, 10_000, "CONNACK");
    await roundTrip(session, 50);
    expect(session.messages.filter((m) => m.qos === 2).length).toBe(50);
    expect(session.closes).toEqual([]);
    session.stop();
  }, 60_000);

  it("carries them through a link that delays every chunk", async () => {
    proxy.heal();
    proxy.delay("up", 3);
    proxy.delay("down", 3);
    const session = freshSession("delayed");
    await until(() => session.connected, 10_000, "CONNACK");
    await roundTrip(session, 50);
    expect(session.closes).toEqual([]);
    session.stop();
  }, 60_000);

  it("survives a stall in both directions shorter than the keepalive, then completes the exchange", async () => {
    proxy.heal();
    const session = freshSession("stalled");
    await until(() => session.connected, 10_000, "CONNACK");
    proxy.stall("up", true);
    proxy.stall("down", true);
    for (let i = 0; i < 10; i++) session.publish("self/1", `early:${i}`, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(session.closes).toEqual([]);
    proxy.heal();
    await roundTrip(session, 20);
    expect(session.closes).toEqual([]);
    session.stop();
  }, 60_000);
});
