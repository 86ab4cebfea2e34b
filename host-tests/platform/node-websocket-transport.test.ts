// The Node WebSocket transport against a scripted WebSocket server (the `ws` package's server), for what a
// real broker does not do on demand: MQTT packets split across messages and several in one message on the
// way in ([MQTT-6.0.0-2]), a text message ([MQTT-6.0.0-1]), a close frame with an error code, a peer that
// stops reading (backpressure), and messages that arrive while the client has paused the transport.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket as ServerSocket } from "ws";
import type { Transport, TransportHandler } from "../../src/client/transport";
import { NodePlatform } from "../../src/platform/host/index";
import { until } from "../chaos/support/until";

interface Recorded {
  opened: boolean;
  data: number[];
  closed: boolean;
  error?: Error;
  writable: number;
}

let server: WebSocketServer;
let port = 0;
const transports: Transport[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: (protocols) => (protocols.has("mqtt") ? "mqtt" : false) });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Opens a transport to the scripted server; resolves with the server's end once both sides are open. */
async function open(platform = new NodePlatform()): Promise<{ transport: Transport; peer: ServerSocket; seen: Recorded; handler: TransportHandler }> {
  const seen: Recorded = { opened: false, data: [], closed: false, writable: 0 };
  const handler: TransportHandler = {
    onOpen: () => (seen.opened = true),
    onData: (bytes, start, end) => seen.data.push(...bytes.subarray(start, end)),
    onWritable: () => seen.writable++,
    onClose: (error) => {
      seen.closed = true;
      seen.error = error;
    },
  };
  const accepted = new Promise<ServerSocket>((resolve) => server.once("connection", resolve));
  const transport = platform.connect({ host: "127.0.0.1", port, websocket: { path: "/mqtt" } }, handler);
  transports.push(transport);
  const peer = await accepted;
  await until(() => seen.opened, 5000, "open");
  return { transport, peer, seen, handler };
}

const CONNACK = [0x20, 0x03, 0x00, 0x00, 0x00];
const SUBACK = [0x90, 0x04, 0x00, 0x01, 0x00, 0x01];
const PUBLISH = [0x30, 0x05, 0x00, 0x01, 0x74, 0x68, 0x69];

describe("Node WebSocket transport", () => {
  it("offers the mqtt subprotocol and asks for the configured path", async () => {
    const request = new Promise<{ url?: string; protocol?: string }>((resolve) =>
      server.once("connection", (_socket, req) => resolve({ url: req.url, protocol: req.headers["sec-websocket-protocol"] as string })));
    const { transport } = await open();
    expect(await request).toEqual({ url: "/mqtt", protocol: "mqtt" });
    transport.close();
  });

  it("hands the engine a byte stream however packets fall in messages: split across them, or several in one", async () => {
    const { peer, seen } = await open();
    peer.send(Buffer.from(CONNACK.slice(0, 2)), { binary: true });
    peer.send(Buffer.from(CONNACK.slice(2)), { binary: true });
    peer.send(Buffer.from([...SUBACK, ...PUBLISH]), { binary: true });
    await until(() => seen.data.length === CONNACK.length + SUBACK.length + PUBLISH.length, 5000, "all bytes");
    expect(seen.data).toEqual([...CONNACK, ...SUBACK, ...PUBLISH]);
  });

  it("sends what it is given as binary messages, in order", async () => {
    const { transport, peer } = await open();
    const got: Buffer[] = [];
    peer.on("message", (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true);
      got.push(data);
    });
    const bytes = new Uint8Array(40_000).map((_, i) => i & 0xff);
    expect(transport.write(bytes, 0, 100)).toBe(100);
    expect(transport.write(bytes, 100, bytes.length)).toBe(bytes.length - 100);
    await until(() => got.reduce((n, b) => n + b.length, 0) === bytes.length, 5000, "every byte");
    expect(Buffer.compare(Buffer.concat(got), bytes)).toBe(0);
  });

  it("ends the connection with an error on a text message [MQTT-6.0.0-1]", async () => {
    const { peer, seen } = await open();
    peer.send("not binary");
    await until(() => seen.closed, 5000, "close");
    expect(seen.error?.message).toMatch(/text message.*MQTT-6\.0\.0-1/);
  });

  it("reports a close frame with an error code as an error, and a normal close as none", async () => {
    const failing = await open();
    failing.peer.close(1011, "internal error");
    await until(() => failing.seen.closed, 5000, "close");
    expect(failing.seen.error?.message).toMatch(/1011: internal error/);
    const normal = await open();
    normal.peer.close(1000);
    await until(() => normal.seen.closed, 5000, "close");
    expect(normal.seen.error).toBeUndefined();
  });

  it("close() is orderly: no error, and the server sees a normal close", async () => {
    const { transport, peer, seen } = await open();
    const code = new Promise<number>((resolve) => peer.once("close", (c) => resolve(c)));
    transport.close();
    expect(await code).toBe(1000);
    await until(() => seen.closed, 5000, "close");
    expect(seen.error).toBeUndefined();
  });

  it("takes no more than the high-water mark while the peer does not read, then says when more fits", async () => {
    const highWaterMark = 32 * 1024;
    const { transport, peer, seen } = await open(new NodePlatform({ highWaterMark, chunkSize: 4096 }));
    let received = 0;
    peer.on("message", (data: Buffer) => (received += data.length));
    peer.pause();
    const block = new Uint8Array(8192);
    let written = 0;
    let took = 0;
    // Write until the transport refuses: the kernel buffers fill, then the mark is reached.
    for (let i = 0; i < 10_000; i++) {
      took = transport.write(block, 0, block.length);
      written += took;
      if (took < block.length) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(took).toBeLessThan(block.length);
    expect(seen.writable).toBe(0);
    peer.resume();
    await until(() => seen.writable > 0, 10_000, "onWritable");
    await until(() => received === written, 10_000, "every byte taken arrives");
  });

  it("holds messages that arrive while paused and delivers them, in order, on resume", async () => {
    const { transport, peer, seen } = await open();
    transport.pause!();
    peer.send(Buffer.from(CONNACK), { binary: true });
    peer.send(Buffer.from(SUBACK), { binary: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.data).toEqual([]);
    transport.resume!();
    await until(() => seen.data.length === CONNACK.length + SUBACK.length, 5000, "held messages");
    expect(seen.data).toEqual([...CONNACK, ...SUBACK]);
  });
});
