// Found by the soak: the Receive Maximum quota is per network connection (MQTT 5.0 section 4.9: "The send
// quota and Receive Maximum value are not preserved across Network Connections"). QoS 2 ids still held from
// the previous connection (PUBREC sent, PUBREL not yet received) must not count against the new
// connection's quota, or the client disconnects with 0x93 a server that did nothing wrong, over and over.
import { describe, expect, it } from "vitest";
import { EngineState } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

const qos2 = (id: number): string => `34 06 00 01 61 00 ${id.toString(16).padStart(2, "0")} 00`;

describe("receive maximum across a reconnect", () => {
  it("gives the new connection a full quota while QoS 2 ids from the last one wait for PUBREL", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "rm", properties: { receiveMaximum: 2, sessionExpiryInterval: 60 } });
    d.feed(qos2(1) + qos2(2));
    expect(d.takePackets().map((p) => p.type)).toEqual([5, 5]);
    d.engine.connectionClosed(d.now);
    d.engine.connectionOpened(d.now);
    d.take();
    d.server({ type: 2, sessionPresent: true, reasonCode: 0 });
    d.handler.take();
    // Fresh quota of 2 on this connection, sent before the server resends its PUBRELs.
    d.feed(qos2(3) + qos2(4));
    expect(d.engine.state).toBe(EngineState.CONNECTED);
    expect(d.takePackets().map((p) => p.type)).toEqual([5, 5]);
    d.feed("62 02 00 01 62 02 00 02 62 02 00 03 62 02 00 04");
    expect(d.takePackets().map((p) => [p.type, "reasonCode" in p ? p.reasonCode : -1])).toEqual([[7, 0], [7, 0], [7, 0], [7, 0]]);
    expect(d.events().filter((e) => e.event === "close")).toEqual([]);
  });

  it("still refuses a server that exceeds the quota within one connection (0x93, once the accepted ones are released)", () => {
    const d = new EngineDriver();
    d.connected({ clientId: "rm", properties: { receiveMaximum: 2, sessionExpiryInterval: 60 } });
    d.feed(qos2(1) + qos2(2) + qos2(3) + "62 02 00 01 62 02 00 02");
    const written = d.takePackets();
    expect(written.filter((p) => p.type === 5).map((p) => (p as { packetId: number }).packetId)).toEqual([1, 2]);
    expect(written[written.length - 1]).toMatchObject({ type: 14, reasonCode: 0x93 });
  });
});
