import { beforeEach, describe, expect, it } from "vitest";
import { LegacySocketTransport } from "../../src/platform/moddable/legacy-transport";
import { LegacyMessage } from "../../src/platform/moddable/socket-io";
import type { TransportOptions } from "../../src/client/transport";
import { FakeLegacySocket, ManualDefer, RecordingHandler, bytes } from "./fake-moddable-io";

class FakeSecureSocket extends FakeLegacySocket {}

function open(options: Partial<TransportOptions> = {}) {
  const handler = new RecordingHandler();
  const timers = new ManualDefer();
  const context = { receiveBuffer: new Uint8Array(0), defer: timers.defer };
  const io = { Socket: FakeLegacySocket, SecureSocket: FakeSecureSocket };
  const transport = new LegacySocketTransport(io, { host: "broker.example", port: 1883, ...options }, handler, context);
  const socket = FakeLegacySocket.instances.at(-1)!;
  return { handler, timers, transport, socket };
}

beforeEach(() => {
  FakeLegacySocket.instances = [];
});

describe("legacy socket transport", () => {
  it("lets the socket resolve a host name, and passes an IPv4 literal as address", () => {
    expect(open().socket.options).toEqual({ host: "broker.example", port: 1883 });
    expect(open({ host: "127.0.0.1" }).socket.options).toEqual({ address: "127.0.0.1", port: 1883 });
  });

  it("opens on the connected message and passes received chunks on", () => {
    const { handler, socket } = open();
    socket.callback(LegacyMessage.connected);
    socket.incoming.push(0x20, 3, 0, 0, 0);
    socket.callback(LegacyMessage.readable, 5);
    expect(handler.events).toEqual(["open", "data 5"]);
    expect(handler.received).toEqual([0x20, 3, 0, 0, 0]);
  });

  it("takes only what fits, reports the count, and says when more fits", () => {
    const { handler, transport, socket } = open();
    socket.callback(LegacyMessage.connected);
    socket.room = 3;
    expect(transport.write(bytes(1, 2, 3, 4, 5), 0, 5)).toBe(3);
    expect(socket.written).toEqual([1, 2, 3]);
    socket.room = 100;
    socket.callback(LegacyMessage.writable, 100);
    expect(handler.events).toEqual(["open", "writable"]);
    expect(transport.write(bytes(1, 2, 3, 4, 5), 3, 5)).toBe(2);
    expect(socket.written).toEqual([1, 2, 3, 4, 5]);
  });

  it("writes nothing before the connection is open", () => {
    const { transport, socket } = open();
    socket.room = 100;
    expect(transport.write(bytes(1), 0, 1)).toBe(0);
  });

  it("reports the peer's disconnect as an orderly close and a socket error as an error", () => {
    const first = open();
    first.socket.callback(LegacyMessage.disconnected);
    first.timers.flush();
    expect(first.handler.events).toEqual(["close"]);
    const second = open();
    second.socket.callback(LegacyMessage.error);
    second.timers.flush();
    expect(second.handler.events).toEqual(["close socket error -2"]);
  });

  it("uses SecureSocket for TLS with the server name and DER trust anchor", () => {
    const ca = bytes(0x30);
    const { socket } = open({ host: "10.1.1.1", tls: { ca, servername: "broker.example", rejectUnauthorized: false } });
    expect(socket).toBeInstanceOf(FakeSecureSocket);
    expect(socket.options).toEqual({ address: "10.1.1.1", host: "broker.example", port: 1883, secure: { verify: false, certificate: ca } });
  });
});
