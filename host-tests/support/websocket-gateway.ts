// An HTTP front for a broker's WebSocket listener, as a reverse proxy in front of a cloud broker would be:
// upgrade requests for /mqtt are relayed byte for byte to mosquitto's `protocol websockets` listener, and
// anything else is answered with 404 (mosquitto itself upgrades any path). `answer` makes it refuse in the
// ways a handshake can fail: an HTTP error status, a 101 that selects another subprotocol, or a hang-up.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";

export type GatewayAnswer =
  | { kind: "relay" }
  | { kind: "status"; status: number; text: string }
  | { kind: "subprotocol"; protocol: string | undefined }
  | { kind: "hangup" };

const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export class WebSocketGateway {
  /** How the next upgrade requests for /mqtt are answered. */
  answer: GatewayAnswer = { kind: "relay" };
  /** The paths of every upgrade request, in order. */
  readonly requests: string[] = [];
  port = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly brokerWsPort: number, private readonly path = "/mqtt") {
    this.server = createServer((_request, response) => response.writeHead(404).end());
    this.server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  url(path = this.path): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.requests.push(request.url ?? "");
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const answer = request.url === this.path ? this.answer : { kind: "status" as const, status: 404, text: "Not Found" };
    switch (answer.kind) {
      case "relay":
        return this.relay(request, socket, head);
      case "status":
        socket.end(`HTTP/1.1 ${answer.status} ${answer.text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      case "subprotocol": {
        const accept = createHash("sha1").update(`${request.headers["sec-websocket-key"]}${WEBSOCKET_GUID}`).digest("base64");
        const protocol = answer.protocol === undefined ? "" : `Sec-WebSocket-Protocol: ${answer.protocol}\r\n`;
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol}\r\n`);
        return;
      }
      case "hangup":
        socket.destroy();
        return;
    }
  }

  private relay(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const broker: Socket = connect({ host: "127.0.0.1", port: this.brokerWsPort });
    this.sockets.add(broker);
    broker.on("close", () => (this.sockets.delete(broker), socket.destroy()));
    broker.on("error", () => socket.destroy());
    socket.on("close", () => broker.destroy());
    const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
    for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
    broker.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (head.length > 0) broker.write(head);
    socket.pipe(broker);
    broker.pipe(socket);
  }
}
