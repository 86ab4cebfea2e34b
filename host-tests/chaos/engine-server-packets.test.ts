// The engine fed exact server bytes: every class of malformed packet ends the connection with the
// DISCONNECT reason code the specification names, and the tolerated edge cases do not. Each stream is fed
// whole and again one byte per receive() call, since a real socket may split anywhere.
import { describe, expect, it } from "vitest";
import type { Packet } from "../../src/codec/packet";
import { EngineState } from "../../src/engine/index";
import { decodeAll, EngineDriver, fromHex } from "../support/engine-harness";
import { MALFORMED_CASES, SCENARIO_CONNECT, TOLERATED_CASES, type MalformedCase } from "./cases/server-packets";

type Feeding = "whole" | "byte by byte";

function feed(d: EngineDriver, hexText: string, how: Feeding): void {
  const bytes = fromHex(hexText);
  if (how === "whole") d.engine.receive(bytes, 0, bytes.length, d.now);
  else for (let i = 0; i < bytes.length; i++) d.engine.receive(bytes, i, i + 1, d.now);
}

function connectedDriver(receiveBufferSize?: number): EngineDriver {
  const d = new EngineDriver(receiveBufferSize ? { receiveBufferSize } : undefined);
  d.connected({ ...SCENARIO_CONNECT, properties: { ...SCENARIO_CONNECT.properties } });
  return d;
}

/** Subscribes (or unsubscribes) "a" and "b" and returns the request's packet id. */
function requestTwo(d: EngineDriver, c: MalformedCase): number {
  if (c.subscribe) d.engine.subscribe([{ filter: "a", qos: 1 }, { filter: "b", qos: 1 }], undefined, d.now);
  else if (c.unsubscribe) d.engine.unsubscribe(["a", "b"], undefined, d.now);
  else return 0;
  const request = d.takePackets().find((p) => p.type === 8 || p.type === 10);
  if (!request || !("packetId" in request)) throw new Error("no SUBSCRIBE/UNSUBSCRIBE written");
  return request.packetId;
}

const codes = (c: MalformedCase): string => c.reasonCodes.map((r) => `0x${r.toString(16)}`).join(" or ");
const ackShape = (p: Packet): unknown => ({ type: p.type, packetId: "packetId" in p ? p.packetId : undefined, reasonCode: "reasonCode" in p ? p.reasonCode : undefined });

describe.each<Feeding>(["whole", "byte by byte"])("engine fed server bytes %s", (how) => {
  describe("malformed or forbidden server packets end the connection", () => {
    it.each(MALFORMED_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const d = connectedDriver();
      const packetId = requestTwo(d, c);
      feed(d, c.bytes({ packetId }), how);
      const written = d.takePackets();
      const last = written[written.length - 1];
      expect(last?.type, `expected DISCONNECT ${codes(c)}`).toBe(14);
      expect(c.reasonCodes).toContain((last as { reasonCode: number }).reasonCode);
      const close = d.events().find((e) => e.event === "close");
      expect(close).toMatchObject({ event: "close", reasonCode: (last as { reasonCode: number }).reasonCode });
      expect(close && "error" in close && close.error).toBeTruthy();
      expect(d.engine.state).toBe(EngineState.CLOSING);
      // Bytes that still arrive before the transport is gone are ignored; closing is orderly.
      feed(d, "30 04 00 01 61 00", how);
      expect(d.events().filter((e) => e.event === "message")).toEqual([]);
      d.engine.connectionClosed(d.now);
      expect(d.engine.state).toBe(EngineState.DISCONNECTED);
    });
  });

  describe("edge cases the specification allows keep the connection", () => {
    it.each(TOLERATED_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const d = connectedDriver(c.receiveBufferSize);
      feed(d, c.bytes(), how);
      const events = d.events();
      expect(events.filter((e) => e.event === "close")).toEqual([]);
      const messages = events.filter((e) => e.event === "message");
      expect(messages.map((m) => (m.event === "message" ? { topic: m.topic, payload: m.payload, retain: m.retain } : m))).toEqual(
        c.messages.map((m) => ({ topic: m.topic, payload: m.payload, retain: m.retain ?? false })),
      );
      expect(d.takePackets().map(ackShape)).toEqual(decodeAll(fromHex(c.answer)).map(ackShape));
      expect(d.engine.state).toBe(EngineState.CONNECTED);
    });
  });
});
