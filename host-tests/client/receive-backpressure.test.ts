// When the engine's acknowledgements have no room (the transport takes none of our bytes), the engine stops
// reading. The client must keep the bytes it did not take, pause the transport, and feed them again as the
// transport drains: no byte lost, no ack dropped, no disconnect. (Before this, MqttClient ignored the count
// receive() returned and silently dropped the rest of the chunk, corrupting the stream.)
import { describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/index";
import type { AckPacket, Packet } from "../../src/codec/packet";
import { concat, encode } from "../support/engine-harness";
import { FakePlatform } from "./fake-platform";

function qos2(id: number, dup: boolean): Packet {
  return { type: 3, qos: 2, dup, retain: false, topic: "t", packetId: id, payload: new Uint8Array([id & 0xff]) };
}
function qos1(id: number): Packet {
  return { type: 3, qos: 1, dup: false, retain: false, topic: "t", packetId: id, payload: new Uint8Array([1]) };
}
function ack(type: 4 | 5 | 6 | 7, id: number): Packet {
  return { type, packetId: id, reasonCode: 0 };
}

// A session holding QoS 2 ids 1..16 (PUBREC sent, no PUBREL yet) resumes; the server then sends, in one chunk,
// 16 DUP resends of them, 16 new QoS 2 messages, PUBRELs for all 32 and 40 QoS 1 messages: 104 acks against
// a 64-byte transmit buffer that the transport does not drain.
function resumedClient() {
  const platform = new FakePlatform();
  const client = new MqttClient({
    platform, host: "broker.test", clientId: "c", keepalive: 0, clean: false, reconnectPeriod: 100,
    properties: { sessionExpiryInterval: 600 },
    engine: { transmitBufferSize: 64, maxInflight: 4 },
  });
  const delivered: number[] = [];
  const errors: string[] = [];
  client.on("message", (_topic, _payload, packet) => delivered.push(packet.packetId));
  client.on("error", (e) => errors.push(e.message));
  client.connect();
  let t = platform.last;
  t.handler.onOpen();
  t.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
  for (let id = 1; id <= 16; id++) t.deliver(qos2(id, false));
  t.drop();
  platform.advance(60_000);
  t = platform.last;
  t.handler.onOpen();
  t.deliver({ type: 2, sessionPresent: true, reasonCode: 0 });
  t.take();
  delivered.length = 0;
  errors.length = 0; // the deliberate drop above
  return { platform, client, t, delivered, errors };
}

function flood(): Uint8Array {
  const packets: Packet[] = [];
  for (let id = 1; id <= 16; id++) packets.push(qos2(id, true));
  for (let id = 17; id <= 32; id++) packets.push(qos2(id, false));
  for (let id = 1; id <= 32; id++) packets.push(ack(6, id));
  for (let id = 33; id <= 72; id++) packets.push(qos1(id));
  return concat(packets.map((p) => encode(p)));
}

function expectedAcks(): string[] {
  const acks: string[] = [];
  for (let id = 1; id <= 32; id++) acks.push(`5:${id}`);
  for (let id = 1; id <= 32; id++) acks.push(`7:${id}`);
  for (let id = 33; id <= 72; id++) acks.push(`4:${id}`);
  return acks;
}

describe("MqttClient receive backpressure", () => {
  it("holds what the engine cannot take, pauses the transport, and feeds it again as the transport drains", () => {
    const { client, t, delivered, errors } = resumedClient();
    t.room = 0;
    const bytes = flood();
    t.handler.onData(bytes, 0, bytes.length);
    expect(t.flow).toEqual(["pause"]);
    expect(client.connected).toBe(true);
    // The transport drains a little at a time; the held bytes go in as room appears.
    const acks: string[] = [];
    for (let round = 0; round < 200 && t.flow.length < 2; round++) {
      t.drain(24);
      for (const p of t.take()) acks.push(`${p.type}:${(p as AckPacket).packetId}`);
    }
    t.drain();
    for (const p of t.take()) acks.push(`${p.type}:${(p as AckPacket).packetId}`);
    expect(t.flow).toEqual(["pause", "resume"]);
    expect(acks).toEqual(expectedAcks());
    expect(delivered).toEqual([...Array.from({ length: 16 }, (_, i) => 17 + i), ...Array.from({ length: 40 }, (_, i) => 33 + i)]);
    expect(errors).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it("keeps the order of bytes that arrive while earlier ones are still held", () => {
    const { t, delivered } = resumedClient();
    t.room = 0;
    const bytes = flood();
    const cut = Math.floor(bytes.length / 2);
    t.handler.onData(bytes, 0, cut);
    t.handler.onData(bytes, cut, bytes.length); // a transport that delivers one more chunk after pause()
    t.drain();
    t.take();
    expect(delivered).toHaveLength(56);
    expect(new Set(delivered).size).toBe(56);
  });
});
