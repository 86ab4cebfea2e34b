// The Moddable WebSocket transport over a stand-in for the SDK's `embedded:network/websocket/client`
// (fake-websocket-client.ts) that runs over the fake ECMA-419 socket: the upgrade request it makes, the
// handshake failures it cannot name itself (HTTP status, subprotocol, hang-up) reported as
// WebSocketHandshakeError, backpressure, reading in receive-buffer steps and while paused, text messages,
// close frames, name lookups, TLS options with ALPN, and the legacy platform's refusal.
import { beforeEach, describe, expect, it } from "vitest";
import type { TransportOptions } from "../../src/client/transport";
import { WebSocketHandshakeError } from "../../src/client/websocket-error";
import { LegacySocketTransport } from "../../src/platform/moddable/legacy-transport";
import type { Ecma419Io } from "../../src/platform/moddable/ecma419-transport";
import type { Resolver } from "../../src/platform/moddable/socket-io";
import { Ecma419WebSocketTransport } from "../../src/platform/moddable/websocket-transport";
import { FakeLegacySocket, FakeStreamSocket, ManualDefer, RecordingHandler } from "./fake-moddable-io";
import { FakeWebSocketClient, answer } from "./fake-websocket-client";

class FakeResolver implements Resolver {
  static instances: FakeResolver[] = [];
  request: Parameters<Resolver["resolve"]>[0] | undefined;
  closed = false;
  constructor(readonly options: unknown) {
    FakeResolver.instances.push(this);
  }
  resolve(request: Parameters<Resolver["resolve"]>[0]): void {
    this.request = request;
  }
  close(): void {
    this.closed = true;
  }
}

class FakeTls extends FakeStreamSocket {}

const io: Ecma419Io = {
  TCP: FakeStreamSocket,
  TLS: FakeTls,
  dns: { io: FakeResolver, servers: ["192.0.2.53"], socket: { io: "UDP" } },
  WebSocket: FakeWebSocketClient,
};

function start(options: Partial<TransportOptions> = {}, receiveBufferSize = 8) {
  const handler = new RecordingHandler();
  const timers = new ManualDefer();
  const context = { receiveBuffer: new Uint8Array(receiveBufferSize), defer: timers.defer };
  const transport = new Ecma419WebSocketTransport(io, { host: "127.0.0.1", port: 8080, websocket: { path: "/mqtt" }, ...options }, handler, context);
  const client = () => FakeWebSocketClient.instances.at(-1)!;
  /** The real (fake) socket under the client's WatchedSocket. */
  const socket = () => FakeStreamSocket.instances.at(-1)!;
  /** The socket connects; the client writes its request. */
  const connect = () => {
    socket().room = 4096;
    socket().options.onWritable(4096);
  };
  /** The server answers the upgrade request; deferred closes run. */
  const serverAnswers = (bytes: number[]) => {
    socket().receive(bytes);
    timers.flush();
  };
  const opened = () => {
    connect();
    serverAnswers(answer("101 Switching Protocols"));
    expect(handler.events).toEqual(["open"]);
    handler.events = [];
  };
  return { handler, timers, transport, client, socket, connect, serverAnswers, opened };
}

beforeEach(() => {
  FakeWebSocketClient.instances = [];
  FakeStreamSocket.instances = [];
  FakeResolver.instances = [];
});

describe("Moddable WebSocket transport: the opening handshake", () => {
  it("asks for the path with the mqtt subprotocol and opens once the server selects it", () => {
    const t = start({ websocket: { path: "/mqtt?client=1", headers: { Authorization: "Bearer t" } } });
    expect(t.socket().options).toMatchObject({ address: "127.0.0.1", port: 8080 });
    expect(FakeResolver.instances).toEqual([]); // a literal needs no lookup
    t.connect();
    expect(t.client().request).toMatch(/^GET \/mqtt\?client=1 HTTP\/1\.1\r\n/);
    expect(t.client().request).toContain("Sec-WebSocket-Protocol: mqtt\r\n");
    expect(t.client().request).toContain("Authorization: Bearer t\r\n");
    expect(t.handler.events).toEqual([]);
    t.serverAnswers(answer("101 Switching Protocols"));
    expect(t.handler.events).toEqual(["open"]);
  });

  it("reports an HTTP error status (404 for a wrong path) as WebSocketHandshakeError with the status", () => {
    const t = start();
    t.connect();
    t.serverAnswers(answer("404 Not Found"));
    expect(t.handler.closeError).toBeInstanceOf(WebSocketHandshakeError);
    expect(t.handler.closeError).toMatchObject({ kind: "status", status: 404 });
    expect(t.socket().closed).toBe(true);
  });

  it("refuses a server that selects another subprotocol, or none [MQTT-6.0.0-4]", () => {
    for (const protocol of ["chat", null]) {
      const t = start();
      t.connect();
      t.serverAnswers(answer("101 Switching Protocols", protocol));
      expect(t.handler.events).toHaveLength(1);
      expect(t.handler.closeError).toMatchObject({ kind: "subprotocol", status: 101 });
    }
  });

  it("a server that closes without answering is a handshake failure with no status", () => {
    const t = start();
    t.connect();
    t.socket().options.onError();
    t.timers.flush();
    expect(t.handler.closeError).toMatchObject({ kind: "handshake", status: 0 });
  });

  it("a socket that never connects is a connection error, not a handshake one", () => {
    const t = start();
    t.socket().options.onError();
    t.timers.flush();
    expect(t.handler.closeError).toBeInstanceOf(Error);
    expect(t.handler.closeError).not.toBeInstanceOf(WebSocketHandshakeError);
  });

  it("looks a name up through the app's resolver, then closes that resolver", () => {
    const t = start({ host: "broker.example" });
    const resolver = FakeResolver.instances[0]!;
    expect(resolver.request!.host).toBe("broker.example");
    resolver.request!.onResolved("broker.example", "192.0.2.10");
    expect(resolver.closed).toBe(true);
    expect(t.socket().options).toMatchObject({ address: "192.0.2.10", host: "broker.example", port: 8080 });
  });

  it("runs over the TLS socket for wss, with the CA, SNI name and ALPN names in its secure options", () => {
    const ca = new Uint8Array([0x30, 1, 2]);
    const t = start({ tls: { ca, servername: "broker.example", alpn: ["mqtt"] } });
    expect(t.socket()).toBeInstanceOf(FakeTls);
    expect(t.socket().options).toMatchObject({
      secure: { certificate: ca, verify: true, serverName: "broker.example", applicationLayerProtocolNegotiation: ["mqtt"] },
      TCP: { io: FakeStreamSocket },
    });
  });

  it("the legacy socket platform refuses WebSocket connections with an error", () => {
    const handler = new RecordingHandler();
    const timers = new ManualDefer();
    new LegacySocketTransport({ Socket: FakeLegacySocket }, { host: "127.0.0.1", port: 80, websocket: {} }, handler, { receiveBuffer: new Uint8Array(0), defer: timers.defer });
    timers.flush();
    expect(handler.closeError?.message).toMatch(/WebSocket needs Ecma419Platform/);
  });
});

describe("Moddable WebSocket transport: data", () => {
  it("writes at most what the client says fits, one binary message per write, then resumes on onWritable", () => {
    const t = start();
    t.opened();
    const packet = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const first = t.transport.write(packet, 0, packet.length);
    expect(first).toBe(4096 - 8);
    expect(t.client().messages[0]).toEqual([...packet.subarray(0, first)]);
    expect(t.transport.write(packet, first, packet.length)).toBe(0);
    t.socket().options.onWritable(2000);
    expect(t.handler.events).toEqual(["writable"]);
    expect(t.transport.write(packet, first, packet.length)).toBe(packet.length - first);
    expect(t.client().messages.flat()).toEqual([...packet]);
  });

  it("never makes a message above 65,535 bytes, whatever room there is", () => {
    const t = start();
    t.opened();
    t.client().room = 1 << 20;
    t.socket().options.onWritable(1 << 20);
    expect(t.transport.write(new Uint8Array(70_000), 0, 70_000)).toBe(65_535);
  });

  it("reads announced data in receive-buffer steps, and leaves it with the client while paused", () => {
    const t = start({}, 4);
    t.opened();
    t.transport.pause!();
    t.client().message([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.handler.received).toEqual([]);
    t.transport.resume!();
    expect(t.handler.events).toEqual(["data 4", "data 4", "data 2"]);
    expect(t.handler.received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("ends the connection on a text message [MQTT-6.0.0-1]", () => {
    const t = start();
    t.opened();
    t.client().message([0x20], false);
    t.timers.flush();
    expect(t.handler.closeError?.message).toMatch(/text message.*MQTT-6\.0\.0-1/);
  });

  it("a close frame ends the connection at once: no error for 1000, an error naming any other code", () => {
    const normal = start();
    normal.opened();
    normal.client().control(8, [0x03, 0xe8]);
    normal.timers.flush();
    expect(normal.handler.events).toEqual(["close"]);
    const failing = start();
    failing.opened();
    failing.client().control(8, [0x03, 0xf3]);
    failing.timers.flush();
    expect(failing.handler.closeError?.message).toMatch(/code 1011/);
  });

  it("a ping is left to the client", () => {
    const t = start();
    t.opened();
    t.client().control(9, []);
    t.timers.flush();
    expect(t.handler.events).toEqual([]);
  });
});
