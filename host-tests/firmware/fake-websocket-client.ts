// A stand-in for the SDK's `embedded:network/websocket/client` (examples/io/tcp/websocketclient), behaving
// as it does at run time where our transport can tell: it always resolves its host through
// `new dns.io(dns)`, builds its socket from `socket.io` with the socket options spread in, writes the
// upgrade request on the socket's first onWritable, reads the answer one byte at a time in "number"
// format, fails with a bare onError() on a status other than 101 or missing headers, ignores which
// subprotocol the server selected, then reports writable counts less 8 and announces message data with
// onReadable(count, {more, binary}). write() throws when the message and its header do not fit.
import type { StreamSocket, WebSocketClient, WebSocketClientOptions, WebSocketReadableInfo } from "../../src/platform/moddable/socket-io";

export class FakeWebSocketClient implements WebSocketClient {
  static instances: FakeWebSocketClient[] = [];
  readonly options: WebSocketClientOptions;
  /** The socket it made from `socket.io` (our WatchedSocket around the fake socket). */
  socket: (StreamSocket & { format?: string; read(into?: Uint8Array): unknown }) | undefined;
  state: "resolving" | "connecting" | "handshake" | "connected" | "closed" = "resolving";
  request = "";
  /** Binary messages written, each as the bytes the app gave. */
  messages: number[][] = [];
  room = 0;
  #line = "";
  #lines: string[] = [];
  #data: number[] = [];
  readonly #info: WebSocketReadableInfo = { more: false, binary: true };

  constructor(options: WebSocketClientOptions) {
    this.options = options;
    FakeWebSocketClient.instances.push(this);
    const dns = new options.dns.io(options.dns as never);
    dns.resolve({
      host: options.host,
      onResolved: (host, address) => {
        this.state = "connecting";
        try {
          this.socket = new options.socket.io({
            ...(options.socket as object),
            address, host, port: options.port,
            onReadable: (count: number) => this.#socketReadable(count),
            onWritable: (count: number) => this.#socketWritable(count),
            onError: () => this.#fail(),
          } as never) as FakeWebSocketClient["socket"];
        } catch {
          this.#fail();
        }
      },
      onError: () => this.#fail(),
    });
  }

  /** The server sends a message (or part of one): its data is announced to the transport. */
  message(data: number[], binary = true): void {
    this.#data.push(...data);
    this.#info.binary = binary;
    this.options.onReadable(this.#data.length, this.#info);
  }

  control(opcode: number, data: number[]): void {
    this.options.onControl(opcode, Uint8Array.from(data).buffer);
  }

  read(into: Uint8Array): number {
    if (into.length > this.#data.length) throw new Error("read beyond the announced data");
    into.set(this.#data.splice(0, into.length));
    return into.length;
  }

  write(bytes: Uint8Array): number {
    if (this.state !== "connected" || bytes.length + 8 > this.room) throw new Error();
    this.room -= bytes.length + 8;
    this.messages.push([...bytes]);
    return Math.max(0, this.room - 14);
  }

  close(): void {
    this.state = "closed";
    this.socket?.close();
  }

  #socketWritable(count: number): void {
    this.room = count;
    if (this.state === "connecting") {
      const o = this.options;
      const headers = (o.headers ?? []).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      this.request = `GET ${o.path} HTTP/1.1\r\nHost: ${o.host}\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Protocol: ${o.protocol}\r\n${headers}\r\n`;
      this.socket!.write(new TextEncoder().encode(this.request));
      this.state = "handshake";
      this.socket!.format = "number";
    } else if (this.state === "connected") {
      this.options.onWritable(Math.max(0, count - 8));
    }
  }

  #socketReadable(count: number): void {
    if (this.state !== "handshake") return;
    while (count-- > 0) {
      const c = this.socket!.read() as number;
      this.#line += String.fromCharCode(c);
      if (c !== 10) continue;
      const line = this.#line;
      this.#line = "";
      if (this.#lines.push(line) === 1 && Number(line.split(" ")[1]) !== 101) return this.#fail();
      if (line !== "\r\n") continue;
      const names = this.#lines.map((l) => l.split(":")[0]!.trim().toLowerCase());
      if (!["upgrade", "connection", "sec-websocket-accept"].every((n) => names.includes(n))) return this.#fail();
      this.state = "connected";
      this.socket!.format = "buffer";
      if (this.room > 8) this.options.onWritable(this.room - 8);
      return;
    }
  }

  #fail(): void {
    this.close();
    this.options.onError();
  }
}

/** The bytes of a server's answer to the upgrade request; `protocol` null sends no subprotocol header. */
export function answer(status: string, protocol: string | null = "mqtt"): number[] {
  const lines = [`HTTP/1.1 ${status}`, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: x"];
  if (protocol !== null) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return [...new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`)];
}
