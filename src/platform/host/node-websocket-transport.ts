// A Transport carrying MQTT over WebSocket (MQTT 5 section 6) on Node, over the `ws` package (Node 20 has
// no stable WebSocket client of its own). ws:// or wss:// with the same TLS options as mqtts://.
//
// The client offers the "mqtt" subprotocol and requires the server to select it ([MQTT-6.0.0-3],
// [MQTT-6.0.0-4]); MQTT bytes travel in binary messages ([MQTT-6.0.0-1]: a text message ends the
// connection). Packets and messages need not line up ([MQTT-6.0.0-2]): whatever a message holds goes to
// the engine as a byte stream, and what we write goes out as one message per staged chunk (one per
// event-loop turn in steady state), however the packets fall in it.
//
// Backpressure as in NodeTransport (StagedTransport): write() takes at most `highWaterMark` bytes beyond
// what the socket has flushed (ws counts it as bufferedAmount), and onWritable follows when a send
// completes below that mark.
// A failed opening handshake is a WebSocketHandshakeError carrying the HTTP status.
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import type { Transport, TransportHandler, TransportOptions, WebSocketOptions } from "../../client/transport";
import { WebSocketHandshakeError, WebSocketHandshakeFailure } from "../../client/websocket-error";
import { DEFAULT_WEBSOCKET_PATH, MQTT_SUBPROTOCOL } from "../../client/websocket-options";
import type { NodeTransportOptions } from "./node-transport";
import { StagedTransport } from "./staged-transport";
import { nodeTlsOptions } from "./tls-options";

export class NodeWebSocketTransport extends StagedTransport implements Transport {
  private readonly ws: WebSocket;
  /** The server answered 101 Switching Protocols: later failures are the handshake's. */
  private upgraded = false;
  private paused = false;
  /** Messages ws parsed after pause(): delivered, in order, by resume(). */
  private readonly heldMessages: Buffer[] = [];

  constructor(options: TransportOptions, handler: TransportHandler, config: NodeTransportOptions = {}) {
    super(handler, config);
    const ws = new WebSocket(webSocketUrl(options), MQTT_SUBPROTOCOL, clientOptions(options, config));
    this.ws = ws;
    ws.binaryType = "nodebuffer";
    ws.on("upgrade", (response) => this.onUpgrade(response));
    ws.on("unexpected-response", (_request, response) => this.onRefused(response));
    ws.on("open", () => this.opened());
    ws.on("message", (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    ws.on("error", (error) => this.onError(error));
    ws.on("close", (code, reason) => this.closed(closeError(code, reason)));
  }

  /** Stops reading the socket; messages ws had already parsed wait here until resume(). */
  pause(): void {
    this.paused = true;
    this.ws.pause();
  }

  resume(): void {
    this.paused = false;
    while (!this.paused && !this.ended && this.heldMessages.length > 0) this.deliver(this.heldMessages.shift()!);
    if (!this.paused) this.ws.resume();
  }

  protected endOrderly(): void {
    this.ws.close(1000);
  }

  protected abort(): void {
    this.ws.terminate();
  }

  /** ws counts what its sender and the socket still hold. */
  protected unflushed(): number {
    return this.ws.bufferedAmount;
  }

  protected handOver(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.staging.take(this.send);
  }

  private readonly send = (window: Uint8Array): void => {
    this.ws.send(window, { binary: true }, this.sent);
  };

  /** A send reached the kernel: more may fit now. */
  private readonly sent = (): void => {
    this.drained();
  };

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.ended) return;
    if (!isBinary) {
      this.error ??= new Error("the server sent a text message; MQTT travels in binary messages only [MQTT-6.0.0-1]");
      this.ws.terminate();
      return;
    }
    if (this.paused) this.heldMessages.push(data);
    else this.deliver(data);
  }

  private deliver(data: Buffer): void {
    if (data.length > 0) this.handler.onData(data, 0, data.length);
  }

  private onUpgrade(response: IncomingMessage): void {
    this.upgraded = true;
    const protocol = response.headers["sec-websocket-protocol"];
    if (protocol === MQTT_SUBPROTOCOL) return;
    const detail = protocol === undefined ? "the server selected no subprotocol" : `the server selected subprotocol "${protocol}"`;
    this.error ??= new WebSocketHandshakeError(WebSocketHandshakeFailure.SUBPROTOCOL, 101, `${detail}, not "mqtt"`);
    this.ws.terminate();
  }

  private onRefused(response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    const text = response.statusMessage ? ` ${response.statusMessage}` : "";
    this.error ??= new WebSocketHandshakeError(WebSocketHandshakeFailure.STATUS, status, `HTTP ${status}${text}`);
    this.ws.terminate();
  }

  private onError(error: Error): void {
    if (this.closing) return;
    this.error ??= this.open ? error : handshakeError(error, this.upgraded);
  }

  protected override closed(unreported: Error | undefined): void {
    this.heldMessages.length = 0;
    super.closed(unreported);
  }
}

/** A close frame with a code that reports a fault becomes an error; the others end the connection as a
 * FIN does for mqtt:// (RFC 6455 7.4.1: 1000 normal, 1001 going away, 1005 none given, 1006 no close frame). */
function closeError(code: number, reason: Buffer): Error | undefined {
  if (code === 1000 || code === 1001 || code === 1005 || code === 1006) return undefined;
  return new Error(`the server closed the WebSocket with code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ""}`);
}

function webSocketUrl(options: TransportOptions): string {
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const path = (options.websocket as WebSocketOptions).path ?? DEFAULT_WEBSOCKET_PATH;
  return `${options.tls ? "wss" : "ws"}://${host}:${options.port}${path}`;
}

function clientOptions(options: TransportOptions, config: NodeTransportOptions): WebSocket.ClientOptions {
  const result: WebSocket.ClientOptions = {
    perMessageDeflate: false,
    // One message may carry several packets; none may carry more than this (ws closes with 1009).
    maxPayload: config.maxMessageSize ?? 16 * 1024 * 1024,
  };
  const headers = options.websocket?.headers;
  if (headers !== undefined) result.headers = headers;
  if (options.tls) {
    const { host: _host, port: _port, ...tls } = nodeTlsOptions(options.host, options.port, options.tls);
    Object.assign(result, tls);
  }
  return result;
}

/** Errors after the server answered 101 are the handshake's; "socket hang up" is a server that closed
 * without answering the upgrade request at all. Connection and TLS errors stay as they are. */
function handshakeError(error: Error, upgraded: boolean): Error {
  if (upgraded) return new WebSocketHandshakeError(WebSocketHandshakeFailure.HANDSHAKE, 101, error.message);
  if ((error as NodeJS.ErrnoException).code === "ECONNRESET" && error.message === "socket hang up") {
    return new WebSocketHandshakeError(WebSocketHandshakeFailure.HANDSHAKE, 0, "the server closed the connection without answering the upgrade request");
  }
  return error;
}
