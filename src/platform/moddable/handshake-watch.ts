// What the SDK's WebSocket client does not tell: why an opening handshake failed. It reports every failure
// as a bare onError(), and it does not check which subprotocol the server selected. The client builds its
// socket from a class we give it (`socket: {io}`), so we give it WatchedSocket, which passes everything to
// the real socket and shows the bytes of the server's answer, read one at a time in "number" format, to a
// HandshakeWatch: the status code and the Sec-WebSocket-Protocol header. Once the answer's blank line has
// passed the watch is done and reads go straight through (no allocation; one test per read).

import { WebSocketHandshakeError, WebSocketHandshakeFailure } from "../../client/websocket-error";
import { MQTT_SUBPROTOCOL } from "../../client/websocket-options";
import type { StreamSocket, StreamSocketClass, StreamSocketOptions } from "./socket-io";

const LF = 10;
const PROTOCOL_HEADER = "sec-websocket-protocol";

/** Reads the server's answer to the upgrade request, byte by byte, as the client consumes it. */
export class HandshakeWatch {
  /** The connection is up: the client wrote its request. */
  requested = false;
  /** The answer's status line and headers have all passed. */
  done = false;
  status = 0;
  protocol: string | undefined = undefined;
  #line = "";
  #lines = 0;

  byte(value: number): void {
    if (value !== LF) {
      this.#line += String.fromCharCode(value);
      return;
    }
    const line = this.#line.trim();
    this.#line = "";
    if (this.#lines++ === 0) this.status = statusOf(line);
    else if (line === "") this.done = true;
    else this.#header(line);
  }

  /** Why a connection that failed before it opened failed. */
  failure(): Error {
    if (!this.requested) return new Error("WebSocket connection failed before the upgrade request (address, socket or TLS)");
    if (this.status !== 0 && this.status !== 101) {
      return new WebSocketHandshakeError(WebSocketHandshakeFailure.STATUS, this.status, `HTTP ${this.status}`);
    }
    if (this.status === 0) return new WebSocketHandshakeError(WebSocketHandshakeFailure.HANDSHAKE, 0, "the server closed the connection without answering the upgrade request");
    return new WebSocketHandshakeError(WebSocketHandshakeFailure.HANDSHAKE, 101, "the server's answer lacks the Upgrade, Connection or Sec-WebSocket-Accept header");
  }

  /** The error for a server that did not select "mqtt" ([MQTT-6.0.0-4]); undefined when it did. */
  subprotocolFailure(): Error | undefined {
    if (this.protocol === MQTT_SUBPROTOCOL) return undefined;
    const detail = this.protocol === undefined ? "the server selected no subprotocol" : `the server selected subprotocol "${this.protocol}"`;
    return new WebSocketHandshakeError(WebSocketHandshakeFailure.SUBPROTOCOL, 101, `${detail}, not "mqtt"`);
  }

  #header(line: string): void {
    const colon = line.indexOf(":");
    if (colon < 0 || line.substring(0, colon).trim().toLowerCase() !== PROTOCOL_HEADER) return;
    this.protocol = line.substring(colon + 1).trim();
  }
}

/** "HTTP/1.1 404 Not Found" -> 404; 0 when the line is no status line. */
function statusOf(line: string): number {
  const parts = line.split(" ");
  const status = parts.length >= 2 && parts[0]!.startsWith("HTTP/") ? Number(parts[1]) : 0;
  return Number.isInteger(status) && status >= 100 && status <= 999 ? status : 0;
}

/** The socket options WatchedSocket takes on top of the real socket's own. */
export interface WatchedSocketOptions extends StreamSocketOptions {
  watched: { io: StreamSocketClass; watch: HandshakeWatch };
}

/** The parts of an ECMA-419 socket the SDK's WebSocket client uses beyond StreamSocket. */
interface FormattedSocket extends StreamSocket {
  format?: string;
  read(into?: Uint8Array): unknown;
}

/** A socket class for the SDK's WebSocket client: the real one (TCP or TLS), watched during the handshake. */
export class WatchedSocket implements StreamSocket {
  readonly #socket: FormattedSocket;
  readonly #watch: HandshakeWatch;

  constructor(options: WatchedSocketOptions) {
    this.#watch = options.watched.watch;
    this.#socket = new options.watched.io(options) as FormattedSocket;
  }

  get format(): string | undefined {
    return this.#socket.format;
  }

  set format(value: string | undefined) {
    this.#socket.format = value;
  }

  read(into?: Uint8Array): unknown {
    const value = this.#socket.read(into);
    if (into === undefined && !this.#watch.done && typeof value === "number") this.#watch.byte(value);
    return value;
  }

  write(bytes: Uint8Array): unknown {
    this.#watch.requested = true;
    return this.#socket.write(bytes);
  }

  close(): void {
    this.#socket.close();
  }
}
