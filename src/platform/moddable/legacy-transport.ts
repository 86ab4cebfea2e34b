// A Transport over Moddable's legacy sockets: `Socket` from "socket" and `SecureSocket` from
// "securesocket". They resolve host names themselves and report through one numbered callback.
//
// Backpressure: write() with no argument says how many bytes fit; we hand over at most that, and the
// "writable" message says when more fits. Reception: the legacy API has no read-into-buffer call, so
// each received chunk arrives as one ArrayBuffer, passed on as it is.

import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { LegacySocket, LegacySocketClass } from "./socket-io";
import type { TransportContext } from "./ecma419-transport";
import { LegacyMessage } from "./socket-io";
import { literalAddress } from "./address";
import { moddableSecureOptions, serverName } from "./tls-options";
import { ViewCache } from "./view-cache";
import { TransportBase } from "./transport-base";

/** The legacy socket classes the app passes in: `Socket` from "socket", `SecureSocket` from "securesocket". */
export interface LegacyIo {
  Socket: LegacySocketClass;
  /** Needed only for TLS connections. */
  SecureSocket?: LegacySocketClass;
}

/** A {@link Transport} over Moddable's legacy `socket` / `securesocket` modules. */
export class LegacySocketTransport extends TransportBase implements Transport {
  readonly #outView = new ViewCache();
  #socket: LegacySocket | undefined = undefined;
  #opened = false;
  #blocked = false;

  constructor(io: LegacyIo, options: TransportOptions, handler: TransportHandler, context: TransportContext) {
    super(handler, context);
    this.guard(this.#open, io, options);
  }

  write(bytes: Uint8Array, start: number, end: number): number {
    const socket = this.#socket;
    if (this.closed || !this.#opened || socket === undefined) return 0;
    try {
      const count = Math.min(end - start, Number(socket.write()));
      if (count < end - start) this.#blocked = true;
      if (count <= 0) return 0;
      socket.write(this.#outView.view(bytes, start, start + count));
      return count;
    } catch {
      this.#blocked = true;
      return 0;
    }
  }

  #open(io: LegacyIo, options: TransportOptions): void {
    const { host, port, tls } = options;
    if (options.websocket !== undefined) throw new Error("MQTT over WebSocket needs Ecma419Platform with a WebSocket class");
    const address = literalAddress(host);
    const dictionary: Record<string, unknown> = address === undefined ? { host, port } : { address, port };
    let socket: LegacySocket;
    if (tls) {
      if (io.SecureSocket === undefined) throw new Error("TLS requested but no SecureSocket class was given");
      dictionary.host = serverName(tls, host);
      dictionary.secure = moddableSecureOptions(tls);
      socket = new io.SecureSocket(dictionary);
    } else {
      socket = new io.Socket(dictionary);
    }
    socket.callback = (message, value) => this.guard(this.#onMessage, message, value ?? 0);
    this.#socket = socket;
  }

  #onMessage(message: number, value: number): void {
    if (this.closed) return;
    switch (message) {
      case LegacyMessage.connected:
        this.#opened = true;
        this.handler.onOpen();
        break;
      case LegacyMessage.readable:
        this.#onReadable();
        break;
      case LegacyMessage.writable:
        if (this.#blocked && value > 0) {
          this.#blocked = false;
          this.handler.onWritable();
        }
        break;
      case LegacyMessage.disconnected:
        this.finish(undefined);
        break;
      default:
        this.finish(new Error(`socket error ${message}`));
    }
  }

  #onReadable(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    const chunk = new Uint8Array(socket.read(ArrayBuffer));
    if (chunk.length > 0) this.handler.onData(chunk, 0, chunk.length);
  }

  protected release(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#outView.clear();
    socket?.close();
  }
}
