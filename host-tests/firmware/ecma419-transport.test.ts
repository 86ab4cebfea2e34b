import { beforeEach, describe, expect, it } from "vitest";
import { Ecma419Transport } from "../../src/platform/moddable/ecma419-transport";
import type { Ecma419Io } from "../../src/platform/moddable/ecma419-transport";
import type { Resolver } from "../../src/platform/moddable/socket-io";
import type { TransportOptions } from "../../src/client/transport";
import { FakeStreamSocket, ManualDefer, RecordingHandler, bytes } from "./fake-moddable-io";

class FakeResolver implements Resolver {
  static last: FakeResolver | undefined;
  request: Parameters<Resolver["resolve"]>[0] | undefined;
  closed = false;
  constructor(readonly options: unknown) {
    FakeResolver.last = this;
  }
  resolve(request: Parameters<Resolver["resolve"]>[0]): void {
    this.request = request;
  }
  close(): void {
    this.closed = true;
  }
}

const io: Ecma419Io = {
  TCP: FakeStreamSocket,
  TLS: FakeStreamSocket,
  dns: { io: FakeResolver, servers: ["192.0.2.53"], socket: { io: "UDP" } },
};

function open(options: Partial<TransportOptions> = {}, receiveBufferSize = 8) {
  const handler = new RecordingHandler();
  const timers = new ManualDefer();
  const context = { receiveBuffer: new Uint8Array(receiveBufferSize), defer: timers.defer };
  const transport = new Ecma419Transport(io, { host: "127.0.0.1", port: 1883, ...options }, handler, context);
  const socket = () => FakeStreamSocket.instances.at(-1)!;
  return { handler, timers, transport, socket };
}

beforeEach(() => {
  FakeStreamSocket.instances = [];
  FakeResolver.last = undefined;
});

describe("ECMA-419 transport", () => {
  it("connects to an IPv4 literal directly and opens on the socket's first onWritable", () => {
    const { handler, socket } = open();
    expect(socket().options).toMatchObject({ address: "127.0.0.1", port: 1883, format: "buffer", nodelay: true });
    expect(FakeResolver.last).toBeUndefined();
    expect(handler.events).toEqual([]);
    socket().options.onWritable(100);
    expect(handler.events).toEqual(["open"]);
  });

  it("takes only what fits, reports the count, and says when more fits", () => {
    const { handler, transport, socket } = open();
    socket().room = 5;
    socket().options.onWritable(5);
    expect(transport.write(bytes(1, 2, 3, 4, 5, 6, 7, 8), 1, 8)).toBe(5);
    expect(socket().written).toEqual([2, 3, 4, 5, 6]);
    expect(transport.write(bytes(7, 8), 0, 2)).toBe(0);
    socket().room = 10;
    socket().options.onWritable(10);
    expect(handler.events).toEqual(["open", "writable"]);
    expect(transport.write(bytes(7, 8), 0, 2)).toBe(2);
    expect(socket().written).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it("does not report writable when no write fell short", () => {
    const { handler, transport, socket } = open();
    socket().room = 50;
    socket().options.onWritable(50);
    transport.write(bytes(1, 2), 0, 2);
    socket().options.onWritable(48);
    expect(handler.events).toEqual(["open"]);
  });

  it("returns 0 and waits for onWritable when the socket refuses a write as would-block", () => {
    const { handler, transport, socket } = open();
    socket().options.onWritable(100);
    socket().room = 1;
    expect(transport.write(bytes(1, 2, 3), 0, 3)).toBe(0);
    expect(socket().written).toEqual([]);
    socket().room = 100;
    socket().options.onWritable(100);
    expect(handler.events).toEqual(["open", "writable"]);
  });

  it("reuses one view for repeated writes of the same window (no allocation per packet)", () => {
    const { transport, socket } = open();
    socket().room = 1000;
    socket().options.onWritable(1000);
    const out = new Uint8Array(64);
    transport.write(out, 0, 20);
    transport.write(out, 0, 20);
    expect(socket().writeViews[0]).toBe(socket().writeViews[1]);
  });

  it("drains a readable count larger than the receive buffer in buffer-sized steps, in order", () => {
    const { handler, socket } = open({}, 8);
    socket().options.onWritable(10);
    const sent = Array.from({ length: 21 }, (_, i) => i);
    socket().receive(sent);
    expect(handler.events).toEqual(["open", "data 8", "data 8", "data 5"]);
    expect(handler.received).toEqual(sent);
  });

  it("reads into the handler's readBuffer at readStart when it names one, never into the platform's", () => {
    const { handler, socket } = open();
    const target = new Uint8Array(6);
    const reader = Object.assign(handler, { readBuffer: target, readStart: 2 });
    socket().options.onWritable(100);
    const views: Uint8Array[] = [];
    const onData = reader.onData.bind(reader);
    reader.onData = (bytes, start, end) => {
      views.push(bytes);
      expect(start).toBe(2);
      onData(bytes, start, end);
    };
    socket().receive([1, 2, 3, 4, 5, 6]);
    expect(handler.received).toEqual([1, 2, 3, 4, 5, 6]); // in steps of the room after readStart: 4, then 2
    expect(handler.events).toEqual(["open", "data 4", "data 2"]);
    expect(views.every((v) => v === target)).toBe(true);
    expect([...target.subarray(2, 4)]).toEqual([5, 6]);
  });

  it("leaves bytes in the socket while paused and reads them, in order, on resume", () => {
    const { handler, transport, socket } = open({}, 8);
    socket().options.onWritable(10);
    const record = handler.onData.bind(handler);
    handler.onData = (b, start, end) => (record(b, start, end), transport.pause());
    const sent = Array.from({ length: 21 }, (_, i) => i);
    socket().receive(sent);
    expect(handler.events).toEqual(["open", "data 8"]);
    handler.onData = record;
    transport.resume();
    expect(handler.events).toEqual(["open", "data 8", "data 8", "data 5"]);
    expect(handler.received).toEqual(sent);
  });

  it("stops reading when the handler closes the transport during onData", () => {
    const { handler, transport, socket, timers } = open({}, 4);
    handler.onData = () => transport.close();
    socket().options.onWritable(10);
    socket().receive([1, 2, 3, 4, 5, 6, 7, 8]);
    timers.flush();
    expect(handler.events).toEqual(["open", "close"]);
    expect(socket().closed).toBe(true);
  });

  it("resolves a host name through the DNS resolver, then connects to the address", () => {
    const { socket } = open({ host: "broker.example" });
    expect(FakeStreamSocket.instances).toHaveLength(0);
    expect(FakeResolver.last!.options).toEqual({ servers: ["192.0.2.53"], socket: { io: "UDP" } });
    FakeResolver.last!.request!.onResolved("broker.example", "192.0.2.10");
    expect(socket().options.address).toBe("192.0.2.10");
    expect(FakeResolver.last!.closed).toBe(true);
  });

  it("reports a failed lookup through onClose with an error", () => {
    const { handler, timers } = open({ host: "nowhere.example" });
    FakeResolver.last!.request!.onError("nowhere.example");
    timers.flush();
    expect(handler.events).toEqual(["close cannot resolve nowhere.example"]);
  });

  it("opens TLS over the TCP class with SNI, certificate validation on and the CA in DER", () => {
    const ca = bytes(0x30, 0x82);
    const { socket } = open({ host: "10.0.0.2", tls: { ca, servername: "broker.example" } });
    expect(socket().options.host).toBe("broker.example");
    expect(socket().options.secure).toEqual({ verify: true, certificate: ca });
    expect(socket().options.TCP).toEqual({ io: FakeStreamSocket });
  });

  it("offers ALPN names through the SDK's TLS option for them (applicationLayerProtocolNegotiation)", () => {
    const { socket } = open({ host: "10.0.0.2", tls: { alpn: ["x-amzn-mqtt-ca"] } });
    expect(socket().options.secure).toEqual({ verify: true, applicationLayerProtocolNegotiation: ["x-amzn-mqtt-ca"] });
  });

  it("refuses a PEM CA on Moddable through onClose, naming the option", () => {
    const { handler, timers } = open({ tls: { ca: "-----BEGIN CERTIFICATE-----" } });
    timers.flush();
    expect(handler.closeError?.message).toBe("tls.ca: Moddable's TLS takes DER bytes, not PEM text");
  });

  it("turns a socket error into one onClose with an error, after which nothing is reported", () => {
    const { handler, timers, socket } = open();
    socket().options.onWritable(10);
    socket().options.onError();
    socket().options.onError();
    socket().options.onWritable(10);
    timers.flush();
    expect(handler.events).toEqual(["open", "close connection lost"]);
  });

  it("delivers onClose on a later turn after close(), once, and closes the socket", () => {
    const { handler, timers, transport, socket } = open();
    socket().options.onWritable(10);
    transport.close();
    transport.close();
    expect(handler.events).toEqual(["open"]);
    timers.flush();
    expect(handler.events).toEqual(["open", "close"]);
    expect(socket().closed).toBe(true);
    expect(transport.write(bytes(1), 0, 1)).toBe(0);
  });
});
