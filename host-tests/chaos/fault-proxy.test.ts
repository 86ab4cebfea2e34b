// The fault-injection proxy itself: each fault does what the chaos scenarios rely on, against a plain
// TCP sink, so a failing chaos test can be blamed on the client and not on the tool.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FaultProxy } from "../../tools/chaos/fault-proxy";
import { until } from "./support/until";

interface Sink {
  port: number;
  received: Buffer[];
  sockets: net.Socket[];
  closed: Promise<void>;
  server: net.Server;
}

/** A server that records what it gets; `closed` settles when its first connection ends. */
async function startSink(): Promise<Sink> {
  const received: Buffer[] = [];
  const sockets: net.Socket[] = [];
  let markClosed!: () => void;
  const closed = new Promise<void>((r) => (markClosed = r));
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on("data", (d) => received.push(d));
    s.on("error", () => undefined);
    s.on("close", () => markClosed());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.address() as net.AddressInfo).port, received, sockets, closed, server };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => resolve(s));
    s.on("error", reject);
  });
}

function closeOf(socket: net.Socket): Promise<void> {
  return new Promise((r) => socket.once("close", () => r()));
}

const total = (chunks: Buffer[]): Buffer => Buffer.concat(chunks);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(): Promise<{ proxy: FaultProxy; sink: Sink; client: net.Socket }> {
  const sink = await startSink();
  const proxy = new FaultProxy({ targetPort: sink.port });
  await proxy.listen();
  const client = await connect(proxy.port);
  client.on("error", () => undefined);
  cleanups.push(() => {
    client.destroy();
    sink.server.close();
  });
  cleanups.push(() => proxy.close());
  await until(() => sink.sockets.length === 1, 5000, "the proxied connection");
  return { proxy, sink, client };
}

describe("fault proxy", () => {
  it("forwards both directions unchanged when no fault is set", async () => {
    const { sink, client } = await setup();
    const got: Buffer[] = [];
    client.on("data", (d) => got.push(d));
    client.write("hello broker");
    await until(() => total(sink.received).length === 12, 5000, "12 bytes at the sink");
    sink.sockets[0].write("hello client");
    await until(() => total(got).length === 12, 5000, "12 bytes at the client");
    expect(total(sink.received).toString()).toBe("hello broker");
    expect(total(got).toString()).toBe("hello client");
  });

  it("cuts the connection after exactly the armed number of bytes", async () => {
    const { proxy, sink, client } = await setup();
    proxy.cutAfter("up", 7);
    const clientClosed = closeOf(client);
    client.write(Buffer.from("0123456789abcdef"));
    await Promise.all([clientClosed, sink.closed]);
    expect(total(sink.received).toString()).toBe("0123456");
    expect(proxy.stats.cuts).toBe(1);
  });

  it("arms a cut on a new connection from onConnection", async () => {
    const sink = await startSink();
    const proxy = new FaultProxy({ targetPort: sink.port });
    proxy.onConnection = (c) => c.downstream.armCut(3);
    await proxy.listen();
    cleanups.push(() => proxy.close(), () => void sink.server.close());
    const client = await connect(proxy.port);
    client.on("error", () => undefined);
    const got: Buffer[] = [];
    client.on("data", (d) => got.push(d));
    await until(() => sink.sockets.length === 1, 5000, "the proxied connection");
    const closed = closeOf(client);
    sink.sockets[0].write("abcdef");
    await closed;
    expect(total(got).toString()).toBe("abc");
  });

  it("splits a write into single-byte writes without changing the bytes", async () => {
    const { proxy, sink, client } = await setup();
    proxy.splitBytes("up", true);
    const message = Buffer.from("split me into bytes");
    client.write(message);
    await until(() => total(sink.received).length === message.length, 5000, "the whole message at the sink");
    expect(total(sink.received).equals(message)).toBe(true);
    expect(proxy.stats.upstreamBytes).toBe(message.length);
  });

  it("holds bytes back while stalled and releases them in order", async () => {
    const { proxy, sink, client } = await setup();
    proxy.stall("up", true);
    client.write("first ");
    client.write("second");
    // A round trip through the other direction proves the stalled bytes had time to arrive.
    const got: Buffer[] = [];
    client.on("data", (d) => got.push(d));
    sink.sockets[0].write("ping");
    await until(() => total(got).length === 4, 5000, "the ping at the client");
    expect(sink.received.length).toBe(0);
    proxy.stall("up", false);
    await until(() => total(sink.received).length === 12, 5000, "12 bytes at the sink");
    expect(total(sink.received).toString()).toBe("first second");
  });

  it("delays chunks but keeps their order", async () => {
    const { proxy, sink, client } = await setup();
    proxy.delay("up", 20);
    for (let i = 0; i < 5; i++) client.write(String(i));
    await until(() => total(sink.received).length === 5, 5000, "5 bytes at the sink");
    expect(total(sink.received).toString()).toBe("01234");
  });

  it("black-holes both directions without closing either socket", async () => {
    const { proxy, sink, client } = await setup();
    proxy.blackHole(true);
    let clientClosed = false;
    client.on("close", () => (clientClosed = true));
    const got: Buffer[] = [];
    client.on("data", (d) => got.push(d));
    client.write("lost");
    sink.sockets[0].write("lost too");
    // The proxy saw both writes (its counters stay at zero forwarded) and nobody got a FIN.
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.received.length).toBe(0);
    expect(got.length).toBe(0);
    expect(clientClosed).toBe(false);
    expect(proxy.connections().length).toBe(1);
    proxy.cutAll();
    await until(() => clientClosed, 5000, "the client's close");
  });
});
