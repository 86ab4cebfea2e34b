// Memory under flood: a server sends faster than the app consumes. Receiving must not grow memory with
// the number of messages (the payload is a window into the fixed receive buffer, acks go through the fixed
// transmit buffer), and QoS 1 flow is bounded by the Receive Maximum we announce. Measured on the Node
// heap after forced collections, between a warm-up and ten times as many messages.
import net from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PubackPacket } from "../../src/codec/packet";
import { FaultProxy } from "../../tools/chaos/fault-proxy";
import { packetBytes, ScriptedBroker } from "../support/scripted-broker";
import { TcpSession } from "./support/tcp-session";
import { until } from "./support/until";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const LONG = process.env.CHAOS_LONG === "1";
const WARMUP = 20_000;
const FLOOD = LONG ? 1_000_000 : 200_000;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The app: slow on purpose (some work per message), counting only. */
function slowConsumer(): { count: number; work: number; consume: () => void } {
  const state = {
    count: 0,
    work: 0,
    consume: () => {
      state.count++;
      for (let i = 0; i < 200; i++) state.work = (state.work * 31 + i) | 0;
    },
  };
  return state;
}

/** Writes `count` copies of `packet` as fast as the socket takes them. */
async function flood(socket: net.Socket, packet: Uint8Array, count: number): Promise<void> {
  const perBatch = 1000;
  const batch = Buffer.alloc(packet.length * perBatch);
  for (let i = 0; i < perBatch; i++) batch.set(packet, i * packet.length);
  for (let sent = 0; sent < count; sent += perBatch) {
    const n = Math.min(perBatch, count - sent);
    if (!socket.write(n === perBatch ? batch : batch.subarray(0, n * packet.length))) {
      await new Promise((r) => socket.once("drain", r));
    }
  }
}

let broker: ScriptedBroker;
beforeAll(async () => {
  broker = await ScriptedBroker.start();
});
afterAll(async () => {
  await broker?.close();
});

describe("memory under flood", () => {
  it(`receives ${FLOOD} QoS 0 messages sent flat out with no heap growth beyond the warm-up`, async () => {
    const app = slowConsumer();
    const session = new TcpSession({ port: broker.port, connect: { clientId: "flood0" }, reconnect: false, recordMessages: false, recordWrites: false });
    session.onMessageHook = app.consume;
    session.start();
    const conn = await broker.accept();
    await conn.handshake();
    const publish = packetBytes({ type: 3, topic: "flood/0", qos: 0, retain: false, dup: false, packetId: 0, payload: new Uint8Array(64) });

    await flood(conn.socket, publish, WARMUP);
    await until(() => app.count === WARMUP, 60_000, "the warm-up consumed");
    const before = heapAfterGc();
    await flood(conn.socket, publish, FLOOD);
    await until(() => app.count === WARMUP + FLOOD, 120_000, "the flood consumed");
    const after = heapAfterGc();
    console.info(`flood QoS 0: ${FLOOD} messages, heap ${(before / 1e6).toFixed(2)} MB -> ${(after / 1e6).toFixed(2)} MB`);
    // 200,000 messages of 64 bytes are 13 MB on the wire; retaining even 8 bytes each would show 1.6 MB.
    expect(after - before).toBeLessThan(1_000_000);
    expect(session.closes).toEqual([]);
    session.stop();
  }, 240_000);

  it("keeps a QoS 1 flood within our Receive Maximum while the acks cannot leave (stalled uplink), then drains", async () => {
    const proxy = new FaultProxy({ targetPort: broker.port });
    await proxy.listen();
    const app = slowConsumer();
    const receiveMaximum = 8;
    const session = new TcpSession({
      port: proxy.port,
      connect: { clientId: "flood1", properties: { receiveMaximum } },
      reconnect: false,
      recordMessages: false,
    });
    session.onMessageHook = app.consume;
    session.start();
    const conn = await broker.accept();
    await conn.handshake();
    await until(() => session.connected, 5000, "CONNACK");
    // The server side honours the quota: it sends only while fewer than receiveMaximum are unacknowledged.
    const total = 2000;
    let sent = 0;
    let maxUnacked = 0;
    const send = (): void => {
      while (sent < total && sent - countAcks() < receiveMaximum) {
        sent++;
        conn.sendPacket({ type: 3, topic: "flood/1", qos: 1, retain: false, dup: false, packetId: ((sent - 1) % 65535) + 1, payload: "x" });
        maxUnacked = Math.max(maxUnacked, sent - countAcks());
      }
    };
    const countAcks = (): number => conn.received.filter((p): p is PubackPacket => p.type === 4).length;
    proxy.stall("up", true);
    send();
    await until(() => app.count === receiveMaximum, 5000, "a Receive Maximum of messages consumed");
    // Uplink stalled: no ack reaches the server, so nothing more may come and the client holds only its acks.
    expect(sent).toBe(receiveMaximum);
    expect(session.engine.pending()).toBeLessThanOrEqual(receiveMaximum * 4);
    proxy.stall("up", false);
    while (app.count < total) {
      send();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(maxUnacked).toBeLessThanOrEqual(receiveMaximum);
    expect(session.closes).toEqual([]);
    session.stop();
    await proxy.close();
  }, 60_000);
});
