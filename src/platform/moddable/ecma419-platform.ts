// Platform for Moddable apps using ECMA-419 sockets. The app passes the socket classes it included:
//
//   import TCP from "embedded:io/socket/tcp";
//   new Ecma419Platform({ io: { TCP, TLS, dns: { io: Resolver, servers: ["1.1.1.1"], socket: { io: UDP } } } })
//
// With `WebSocket` (embedded:network/websocket/client) in io too, connections with the websocket option
// carry MQTT over WebSocket, over TCP or TLS.

import type { Platform, Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { Ecma419Io } from "./ecma419-transport";
import { Ecma419Transport } from "./ecma419-transport";
import { ModdableClock } from "./clock";
import { Ecma419WebSocketTransport } from "./websocket-transport";

/** Options of {@link Ecma419Platform}. */
export interface ModdablePlatformOptions {
  /** Bytes read from the socket per step (default 1024; 512 suits an ESP8266). */
  receiveBufferSize?: number;
}

/**
 * The {@link Platform} for Moddable apps with ECMA-419 sockets: the app passes the socket classes it
 * included (`TCP`, optionally `TLS`, and a DNS resolver for host names).
 */
export class Ecma419Platform extends ModdableClock implements Platform {
  readonly #io: Ecma419Io;
  readonly #receiveBuffer: Uint8Array;

  constructor(options: { io: Ecma419Io } & ModdablePlatformOptions) {
    super();
    this.#io = options.io;
    this.#receiveBuffer = new Uint8Array(options.receiveBufferSize ?? 1024);
  }

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    const context = { receiveBuffer: this.#receiveBuffer, defer: (callback: () => void) => this.defer(callback) };
    if (options.websocket !== undefined) return new Ecma419WebSocketTransport(this.#io, options, handler, context);
    return new Ecma419Transport(this.#io, options, handler, context);
  }
}
