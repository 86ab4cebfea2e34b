// A resumed server may send far more acknowledgeable packets at once than any queue of ours can hold
// (the chaos soak saw mosquitto resend 60+ QoS 2 messages and PUBRELs after a broker restart) while the
// transport takes none of our bytes. The engine must neither drop an ack nor fail: it stops reading and
// the caller feeds the rest again after consumed().

import { describe, expect, it } from "vitest";
import type { AckPacket, Packet } from "../../src/codec/packet";
import { EngineState } from "../../src/engine/index";
import { concat, decodeAll, encode, EngineDriver } from "../support/engine-harness";

const persistent = { clientId: "c", properties: { sessionExpiryInterval: 600 } };

function qos2(id: number, dup: boolean): Packet {
  return { type: 3, qos: 2, dup, retain: false, topic: "t", packetId: id, payload: new Uint8Array([id & 0xff]) };
}

function chunk(packets: Packet[]): Uint8Array {
  return concat(packets.map((p) => encode(p)));
}

function ack(type: 4 | 5 | 6 | 7, id: number): Packet {
  return { type, packetId: id, reasonCode: 0 };
}

// Held QoS 2 ids 1..16 (PUBREC sent, no PUBREL yet), then the connection drops and the session resumes.
function resumedHolding16(): EngineDriver {
  const d = new EngineDriver({ transmitBufferSize: 64, maxInflight: 4 });
  d.connected(persistent);
  for (let id = 1; id <= 16; id++) d.server(qos2(id, false));
  d.take();
  d.engine.connectionClosed(d.now);
  d.engine.connectionOpened(d.now);
  d.take();
  d.server({ type: 2, sessionPresent: true, reasonCode: 0 });
  d.take();
  d.handler.take();
  return d;
}

// 16 DUP resends of held ids, 16 new QoS 2 messages, PUBRELs for all 32, and 40 QoS 1 messages: 104 acks,
// against a 64-byte transmit buffer (16 acks) and a control queue of 8 + maxInflight (12): the engine stops
// reading whenever both are full, and goes on as the transport drains.
function flood(): Packet[] {
  const packets: Packet[] = [];
  for (let id = 1; id <= 16; id++) packets.push(qos2(id, true));
  for (let id = 17; id <= 32; id++) packets.push(qos2(id, false));
  for (let id = 1; id <= 32; id++) packets.push(ack(6, id));
  for (let id = 33; id <= 72; id++) packets.push({ type: 3, qos: 1, dup: false, retain: false, topic: "t", packetId: id, payload: new Uint8Array([1]) });
  return packets;
}

function expectedAcks(): Packet[] {
  const acks: Packet[] = [];
  for (let id = 1; id <= 32; id++) acks.push(ack(5, id));
  for (let id = 1; id <= 32; id++) acks.push(ack(7, id));
  for (let id = 33; id <= 72; id++) acks.push(ack(4, id));
  return acks;
}

function simplified(packets: Packet[]): Packet[] {
  return packets.map((p) => {
    const a = p as AckPacket;
    return { type: a.type, packetId: a.packetId, reasonCode: a.reasonCode } as Packet;
  });
}

describe("acknowledgement backpressure", () => {
  it("stops reading instead of failing when a resumed server floods acks while the transport takes nothing", () => {
    const d = resumedHolding16();
    const bytes = chunk(flood());
    const taken = d.engine.receive(bytes, 0, bytes.length, d.now);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(bytes.length);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    expect(d.handler.take().filter((e) => e.event === "close")).toHaveLength(0);
    d.unread = bytes.subarray(taken);
    // As the transport drains, the rest is fed again; every ack goes out once, in order, and no DISCONNECT.
    const out = decodeAll(d.take());
    expect(simplified(out)).toEqual(expectedAcks());
    expect(d.unread.length).toBe(0);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
  });

  it("delivers each new message once and never re-delivers the DUP resends of ids it holds", () => {
    const d = resumedHolding16();
    d.feed(chunk(flood()));
    d.take();
    const messages = d.handler.take().filter((e) => e.event === "message");
    expect(messages).toHaveLength(16 + 40);
  });

  it("takes a flood fed one byte at a time without a close, pausing on whole bytes and resuming exactly", () => {
    const d = resumedHolding16();
    const bytes = chunk(flood());
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < bytes.length) {
      const n = d.engine.receive(bytes, i, i + 1, d.now);
      i += n;
      if (n === 0) out.push(d.engine.transmitBuffer.slice(d.engine.pendingStart, d.engine.pendingEnd)), d.engine.consumed(d.engine.pending());
    }
    out.push(d.take());
    expect(simplified(out.flatMap((b) => decodeAll(b)))).toEqual(expectedAcks());
    expect(d.engine.state).toBe(EngineState.CONNECTED);
  });

  it("drops a PINGREQ that finds the control queue full instead of failing; acks still all go out", () => {
    const d = resumedHolding16();
    const bytes = chunk(flood());
    const taken = d.engine.receive(bytes, 0, bytes.length, d.now);
    expect(() => d.advance(60_000)).not.toThrow();
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    d.unread = bytes.subarray(taken);
    const acks = decodeAll(d.take()).filter((p) => p.type !== 12);
    expect(simplified(acks)).toEqual(expectedAcks());
  });

  it("answers DUP resends of held QoS 2 ids on the same connection with PUBREC, not 0x93", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "c", properties: { receiveMaximum: 2 } });
    d.server(qos2(1, false));
    d.server(qos2(2, false));
    d.take();
    d.server(qos2(1, true));
    d.server(qos2(2, true));
    expect(simplified(d.takePackets())).toEqual([ack(5, 1), ack(5, 2)]);
    expect(d.engine.state).toBe(EngineState.CONNECTED);
  });
});
