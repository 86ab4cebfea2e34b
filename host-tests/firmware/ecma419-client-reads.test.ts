// The client over Ecma419Platform reads received bytes straight into its engine's receive buffer: a PUBLISH
// is parsed where it landed, one that arrives in pieces is assembled there without a copy, and the platform
// never makes a receive buffer of its own.
import { describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/index";
import { encodePacket, type Packet } from "../../src/codec/index";
import type { Platform, Transport, TransportHandler, TransportOptions } from "../../src/client/transport";
import { Ecma419Transport, type TransportContext } from "../../src/platform/moddable/ecma419-transport";
import { FakeStreamSocket } from "./fake-moddable-io";

/** Ecma419Platform's connect() over fake sockets (its clock and timers are the SDK's modules), with a receive
 * buffer that fails the test if a transport ever reads into it. */
class ReadsPlatform implements Platform, TransportContext {
  get receiveBuffer(): Uint8Array {
    throw new Error("the platform's receive buffer was used");
  }
  defer(callback: () => void): void {
    callback();
  }
  connect(options: TransportOptions, handler: TransportHandler): Transport {
    return new Ecma419Transport({ TCP: FakeStreamSocket }, options, handler, this);
  }
  now(): number {
    return 0;
  }
  setTimer(): unknown {
    return 1;
  }
  clearTimer(): void {}
  random(): number {
    return 0.5;
  }
}

function encode(packet: Packet): number[] {
  const out = new Uint8Array(512);
  return [...out.subarray(0, encodePacket(packet, 4, out, 0))];
}

describe("MqttClient over the ECMA-419 transport", () => {
  it("receives into the engine's receive buffer, whole or in pieces, and the platform makes no buffer", () => {
    FakeStreamSocket.instances = [];
    const platform = new ReadsPlatform();
    const client = new MqttClient({ platform, host: "127.0.0.1", clientId: "reads", protocolVersion: 4, reconnectPeriod: 0 });
    const received: { topic: string; text: string; sameBuffer: boolean }[] = [];
    client.on("message", (topic, payload) => {
      received.push({ topic, text: new TextDecoder().decode(payload), sameBuffer: payload.buffer === client.engine.receiveBuffer.buffer });
    });
    client.connect();
    const socket = FakeStreamSocket.instances[0]!;
    socket.room = 1000;
    socket.options.onWritable(1000);
    socket.receive(encode({ type: 2, sessionPresent: false, reasonCode: 0 }));
    expect(client.connected).toBe(true);
    const whole = encode({ type: 3, topic: "a/b", qos: 0, retain: false, dup: false, packetId: 0, payload: "whole" });
    socket.receive(whole);
    const pieces = encode({ type: 3, topic: "a/b", qos: 0, retain: false, dup: false, packetId: 0, payload: "in two pieces" });
    socket.receive(pieces.slice(0, 6));
    expect(client.engine.receiveStart).toBeGreaterThan(0); // part of the body waits in the receive buffer
    socket.receive(pieces.slice(6));
    expect(received).toEqual([
      { topic: "a/b", text: "whole", sameBuffer: true },
      { topic: "a/b", text: "in two pieces", sameBuffer: true },
    ]);
    client.destroy();
  });
});
